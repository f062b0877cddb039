"""The generated catalog page: structure, image links, GitHub anchors, score-derived guides, determinism, CLI."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from diagram_dsl.build import run_build
from diagram_dsl.build.staleness import plan_build
from diagram_dsl.catalog import Catalog, load_catalog
from diagram_dsl.catalog_page import (
    COMPLEXITY_GUIDE,
    DOMAIN_GUIDE,
    GUIDE_SECTIONS,
    PERFORMANCE_GUIDE,
    USE_CASE_GUIDE,
    picture_widths,
    render_catalog_page,
    render_page,
)
from diagram_dsl.cli import main
from diagram_dsl.errors import DiagramDslError
from diagram_dsl.markdown.links import check_links
from diagram_dsl.model import GuideEntry, Metadata, Scores
from diagram_dsl.project import DEFAULT_PAGE, Project, load_project
from diagram_dsl.renderers.base import get_renderer

REPO_ROOT = Path(__file__).resolve().parent.parent


def meta(number: int, title: str, difficulty: int = 5, performance: str = "High",
         guides: tuple[GuideEntry, ...] = (), when_to_use: tuple[str, ...] = ("Anything",)) -> Metadata:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return Metadata(number=number, title=title, slug=slug, description=f"What {title} does.",
                    scores=Scores(8, difficulty, performance), when_to_use=when_to_use,
                    important_points=("Mind the gap",), guides=guides)


def headings(page: str) -> list[tuple[int, str]]:
    return [(len(m.group(1)), m.group(2)) for m in re.finditer(r"^(#{1,6}) (.+)$", page, re.MULTILINE)]


def github_slugs(page: str) -> set[str]:
    """Anchors as GitHub's slugger makes them: lowercase, drop punctuation but - and _, spaces to -, dedupe -N."""
    seen: Counter[str] = Counter()
    slugs = set()
    for _, text in headings(page):
        base = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
        slugs.add(base if seen[base] == 0 else f"{base}-{seen[base]}")
        seen[base] += 1
    return slugs


def guide_sections(page: str, guide: str) -> dict[str, list[str]]:
    """``### section`` -> bullet lines under the ``## guide`` heading."""
    body = page.split(f"\n## {guide}\n", 1)[1].split("\n## ", 1)[0]
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in body.splitlines():
        if line.startswith("### "):
            current = sections.setdefault(line[4:], [])
        elif line.startswith("- "):
            current.append(line)
    return sections


@pytest.fixture(scope="module")
def repo_catalog_page() -> tuple[list[Metadata], str]:
    catalog = load_catalog(REPO_ROOT)
    return [flow.metadata for flow in catalog.flows], render_catalog_page(catalog)


def test_page_has_the_seed_structure(repo_catalog_page: tuple[list[Metadata], str]) -> None:
    metas, page = repo_catalog_page
    assert metas, "the repository's sources/ should hold flows"
    titles = [text for level, text in headings(page) if level <= 2]
    assert titles[:2] == ["Sequence Diagram Solutions - Patterns and Flows", "Diagram Index"]
    assert titles[2:2 + len(metas)] == [f"{m.number}. {m.title}" for m in metas]
    present_guides = titles[2 + len(metas):]
    assert present_guides == [g for g, _ in GUIDE_SECTIONS if g in present_guides]
    assert {COMPLEXITY_GUIDE, PERFORMANCE_GUIDE} <= set(present_guides)
    assert f"documents {len(metas)} sequence diagrams" in page
    assert "Original files available" not in page and "docs/generated-diagrams" not in page
    assert page.endswith("\n") and not page.endswith("\n\n")


def test_every_flow_section_shows_its_metadata_and_image(repo_catalog_page: tuple[list[Metadata], str]) -> None:
    metas, page = repo_catalog_page
    pictures = re.findall(r'^<a href="([^"]+)"><picture>\n<source media="\(prefers-color-scheme: dark\)" '
                          r'srcset="([^"]+)">\n<img src="([^"]+)" alt="([^"]+)" width="(\d+)">\n</picture></a>$',
                          page, re.MULTILINE)
    outputs = Project(Path("/p"), themes=("light", "dark"))

    def shown(m: Metadata, extension: str, theme: str | None = None) -> str:
        return outputs.output_path(m, extension, theme).relative_to("/p").as_posix()

    assert [(svg, dark, png, alt) for svg, dark, png, alt, _ in pictures] == [
        (shown(m, "svg"), shown(m, "png", "dark"), shown(m, "png"), m.description) for m in metas]
    assert all(300 <= int(width) <= 3000 for *_, width in pictures)
    for m in metas:
        section = page.split(f"\n## {m.number}. {m.title}\n", 1)[1].split("\n---\n", 1)[0]
        assert f"**Description:** {m.description}" in section
        assert f"- **Solution Quality:** {m.scores.solution_quality}/10" in section
        assert f"- **Implementation Difficulty:** {m.scores.implementation_difficulty}/10" in section
        assert f"- **Performance Level:** {m.scores.performance_level}" in section
        for item in (*m.when_to_use, *m.important_points):
            assert f"\n- {item}\n" in section + "\n"
        assert section.index("**When to Use:**") < section.index("**Important Points:**")


def test_image_links_are_the_build_outputs() -> None:
    page = render_page([meta(4, "E-commerce Checkout")], widths={4: 812})
    assert ('<a href="generated-diagrams/sequence-diagram-solutions/4-e-commerce-checkout.svg">'
            '<img src="generated-diagrams/sequence-diagram-solutions/4-e-commerce-checkout.png" '
            'alt="What E-commerce Checkout does." width="812"></a>') in page
    assert "<picture>" not in page  # one theme: nothing to switch


def test_index_anchors_resolve_to_headings(repo_catalog_page: tuple[list[Metadata], str]) -> None:
    metas, page = repo_catalog_page
    links = re.findall(r"\]\(#([^)]+)\)", page)
    assert len(links) == len(metas)
    assert set(links) <= github_slugs(page)


def test_anchors_match_github_for_punctuated_titles() -> None:
    page = render_page([meta(4, "E-commerce Checkout"), meta(11, "CQRS Implementation"),
                        meta(12, "OAuth 2.0 (PKCE) & Refresh")])
    links = re.findall(r"\]\(#([^)]+)\)", page)
    assert links == ["4-e-commerce-checkout", "11-cqrs-implementation", "12-oauth-20-pkce--refresh"]
    assert set(links) <= github_slugs(page)


def test_complexity_and_performance_come_from_scores_not_listed_sections() -> None:
    misplaced = GuideEntry(COMPLEXITY_GUIDE, "Low Complexity (1-4/10)", "Traffic control")
    flows = [
        meta(1, "Edge Low", difficulty=4, performance="Very High"),
        meta(6, "Trivial", difficulty=0, performance="Very High"),
        meta(2, "Rate Limit", difficulty=5, guides=(misplaced,)),
        meta(3, "Edge Medium", difficulty=7, performance="Medium",
             guides=(GuideEntry(USE_CASE_GUIDE, "Architecture Patterns", "Use-case blurb"),)),
        meta(4, "Edge High", difficulty=8, performance="Low", when_to_use=("First use",)),
        meta(5, "Top", difficulty=10, performance="High", when_to_use=()),
    ]
    page = render_page(flows)
    complexity = guide_sections(page, COMPLEXITY_GUIDE)
    assert complexity == {
        "Low Complexity (1-4/10)": ["- **Edge Low** - Anything", "- **Trivial** - Anything"],
        "Medium Complexity (5-7/10)": ["- **Rate Limit** - Traffic control", "- **Edge Medium** - Use-case blurb"],
        "High Complexity (8-10/10)": ["- **Edge High** - First use", "- **Top**"],
    }
    performance = guide_sections(page, PERFORMANCE_GUIDE)
    assert performance == {
        "Very High Performance": ["- **Edge Low** - Anything", "- **Trivial** - Anything"],
        "High Performance": ["- **Rate Limit** - Anything", "- **Top**"],
        "Medium Performance": ["- **Edge Medium** - Use-case blurb"],
        "Low Performance": ["- **Edge High** - First use"],
    }


def test_real_flows_land_in_the_band_their_scores_say(repo_catalog_page: tuple[list[Metadata], str]) -> None:
    metas, page = repo_catalog_page
    complexity = guide_sections(page, COMPLEXITY_GUIDE)
    performance = guide_sections(page, PERFORMANCE_GUIDE)
    for m in metas:
        difficulty = m.scores.implementation_difficulty
        band = ("Low Complexity (1-4/10)" if 0 <= difficulty <= 4 else
                "Medium Complexity (5-7/10)" if difficulty <= 7 else "High Complexity (8-10/10)")
        placed = [s for s, lines in complexity.items() if any(line.startswith(f"- **{m.title}**") for line in lines)]
        assert placed == [band], m.title
        placed = [s for s, lines in performance.items() if any(line.startswith(f"- **{m.title}**") for line in lines)]
        assert placed == [f"{m.scores.performance_level} Performance"], m.title


def test_listed_guides_follow_metadata_in_seed_section_order() -> None:
    flows = [
        meta(7, "Service Talk", guides=(GuideEntry(DOMAIN_GUIDE, "SaaS Platforms", "Service architecture"),
                                        GuideEntry(USE_CASE_GUIDE, "Architecture Patterns", "Service interaction"))),
        meta(2, "Sign Up", guides=(GuideEntry(DOMAIN_GUIDE, "E-commerce", "Customer onboarding"),
                                   GuideEntry(USE_CASE_GUIDE, "Authentication & Authorization", "User onboarding"))),
        meta(9, "Unlisted"),
    ]
    page = render_page(flows)
    assert guide_sections(page, USE_CASE_GUIDE) == {
        "Authentication & Authorization": ["- **Sign Up** - User onboarding"],
        "Architecture Patterns": ["- **Service Talk** - Service interaction"],
    }
    assert list(guide_sections(page, DOMAIN_GUIDE)) == ["E-commerce", "SaaS Platforms"]
    order = [page.index(f"\n## {guide}\n") for guide in (USE_CASE_GUIDE, COMPLEXITY_GUIDE, PERFORMANCE_GUIDE,
                                                          DOMAIN_GUIDE)]
    assert order == sorted(order)


def test_scores_outside_the_bands_are_located_errors() -> None:
    with pytest.raises(DiagramDslError, match="difficulty 11 is outside 0-10"):
        render_page([meta(1, "Too Hard", difficulty=11)])
    with pytest.raises(DiagramDslError, match="performance level 'Blazing'"):
        render_page([meta(1, "Too Fast", performance="Blazing")])


def test_output_is_deterministic(repo_catalog_page: tuple[list[Metadata], str]) -> None:
    metas, page = repo_catalog_page
    shuffled = list(metas)
    random.Random(7).shuffle(shuffled)
    project = load_project(REPO_ROOT)
    assert render_page(shuffled, project, picture_widths(project, metas)) == page
    script = ("import sys; from pathlib import Path; from diagram_dsl.catalog import load_catalog; "
              "from diagram_dsl.catalog_page import render_catalog_page; "
              "sys.stdout.write(render_catalog_page(load_catalog(Path(sys.argv[1]))))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", script, str(REPO_ROOT)], env=env, capture_output=True,
                           text=True, encoding="utf-8", check=True).stdout
    assert other == page


FLOW_SOURCE = '''from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(number=3, title="Tiny Ping", description="A ping.", scores=Scores(6, 2, "High"),
            when_to_use=["Demos"], important_points=["Keep it small"],
            guides=[GuideEntry("Selection Guide by Use Case", "Architecture Patterns", "Pinging")])
a, b = flow.actor("A"), flow.participant("B")
with a.call(b, "ping") as ping:
    ping.reply("pong")
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "03_tiny_ping.py").write_text(FLOW_SOURCE, encoding="utf-8")
    return tmp_path


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), "docs", *args])
    return result.exit_code, result.output


def test_cli_writes_the_page_and_check_detects_drift(project: Path) -> None:
    page = project / DEFAULT_PAGE
    code, output = invoke(project, "--check")
    assert code == 1 and "is missing" in output and not page.exists()
    code, output = invoke(project)
    assert code == 0 and "wrote" in output
    assert page.read_text(encoding="utf-8") == render_catalog_page(load_catalog(project))
    assert '<img src="generated-diagrams/sequence-diagram-solutions/3-tiny-ping.png" alt="A ping.">' in page.read_text()
    assert invoke(project, "--check")[0] == 0
    assert "unchanged" in invoke(project)[1]
    page.write_text(page.read_text(encoding="utf-8").replace("Pinging", "Pinging!"), encoding="utf-8")
    code, output = invoke(project, "--check")
    assert code == 1 and "out of date" in output


def test_cli_refuses_when_a_flow_fails_to_load(project: Path) -> None:
    (project / "sources" / "04_broken.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    code, output = invoke(project)
    assert code == 1
    assert "04_broken.py:1" in output and "boom" in output
    assert not (project / DEFAULT_PAGE).exists()


def test_committed_page_matches_the_flows(repo_catalog_page: tuple[list[Metadata], str]) -> None:
    _, page = repo_catalog_page
    committed = (REPO_ROOT / DEFAULT_PAGE).read_text(encoding="utf-8")
    assert committed == page, "sequence-diagram-solutions.md is stale: run `diagram-dsl docs` and commit it"


def test_a_dark_theme_gives_each_picture_a_dark_mode_source() -> None:
    project = Project(Path("/project"), themes=("light", "dark"))
    page = render_page([meta(4, "E-commerce Checkout")], project, {4: 640})
    folder = "generated-diagrams/sequence-diagram-solutions"
    assert (f'<a href="{folder}/4-e-commerce-checkout.svg"><picture>\n'
            f'<source media="(prefers-color-scheme: dark)" srcset="{folder}/4-e-commerce-checkout.dark.png">\n'
            f'<img src="{folder}/4-e-commerce-checkout.png" alt="What E-commerce Checkout does." width="640">\n'
            "</picture></a>") in page
    only_png = Project(Path("/project"), formats=("png",), themes=("light", "dark"))
    assert "<a href" not in render_page([meta(4, "E-commerce Checkout")], only_png)  # no SVG to open


def test_alt_text_is_the_description_escaped_on_one_line() -> None:
    hostile = Metadata(number=5, title="Quotes", slug="quotes", description='Says "hi" <b>&\nthen   leaves',
                       scores=Scores(8, 5, "High"))
    page = render_page([hostile])
    assert 'alt="Says &quot;hi&quot; &lt;b&gt;&amp; then leaves"' in page


def test_the_page_passes_checks_own_link_lint_with_one_and_two_themes(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    for name in ("01_simple_login_sequence.py", "04_e_commerce_checkout.py"):
        (tmp_path / "sources" / name).write_text((REPO_ROOT / "sources" / name).read_text(encoding="utf-8"),
                                                 encoding="utf-8")
    assert run_build(tmp_path, jobs=1).ok
    catalog = load_catalog(tmp_path)
    page_path = tmp_path / DEFAULT_PAGE
    for themes in (("light",), ("light", "dark")):
        project = replace(catalog.project, themes=themes)
        text = render_catalog_page(Catalog(project, catalog.flows, catalog.errors))
        assert text.count("<img ") == 2 and ("<picture>" in text) == (len(themes) == 2)
        assert check_links(page_path, text, catalog) == []
    widths = picture_widths(catalog.project, [flow.metadata for flow in catalog.flows])
    svg = (tmp_path / "generated-diagrams/sequence-diagram-solutions/4-e-commerce-checkout.svg").read_text()
    assert f'width="{widths[4]}"' in svg


def test_a_template_lays_out_the_page(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "03_tiny_ping.py").write_text(FLOW_SOURCE, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "catalog.md").write_text(
        "# {title} ({count})\n\nOur own words. Braces {like} {these} stay.\n\n{flows}\n\n## Contents\n\n{index}\n",
        encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.diagram-dsl.catalog-page]\ntitle = "Team flows"\ntemplate = "docs/catalog.md"\n', encoding="utf-8")
    catalog = load_catalog(tmp_path)
    page = render_catalog_page(catalog)
    assert page.startswith("<!-- Generated by")
    assert "# Team flows (1)\n\nOur own words. Braces {like} {these} stay.\n\n## 3. Tiny Ping\n" in page
    assert page.endswith("## Contents\n\n3. [Tiny Ping](#3-tiny-ping)\n")
    assert "Selection Guide" not in page  # {guides} was left out

    assert run_build(tmp_path, jobs=1).ok
    assert plan_build(load_project(tmp_path), "native", _native_version()).up_to_date
    (tmp_path / "docs" / "catalog.md").write_text("# {title}\n\n{flows}\n", encoding="utf-8")
    assert not plan_build(load_project(tmp_path), "native", _native_version()).up_to_date  # template edited
    assert run_build(tmp_path, jobs=1).ok
    assert "Our own words" not in (tmp_path / DEFAULT_PAGE).read_text(encoding="utf-8")

    (tmp_path / "docs" / "catalog.md").unlink()
    with pytest.raises(DiagramDslError, match=r"template docs/catalog\.md cannot be read"):
        render_catalog_page(load_catalog(tmp_path))


def _native_version() -> str:
    return get_renderer("native").version()


def test_the_default_wording_is_generic_and_this_catalog_sets_its_own(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "03_tiny_ping.py").write_text(FLOW_SOURCE, encoding="utf-8")
    page = render_catalog_page(load_catalog(tmp_path))
    assert "# Sequence Diagrams\n\nFlows in this catalog: 1." in page
    assert "showcasing common architectural patterns" not in page
    assert "showcasing common architectural patterns" in (REPO_ROOT / DEFAULT_PAGE).read_text(encoding="utf-8")
