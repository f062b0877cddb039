"""Doc links into generated-diagrams/ must exist and show the flow their section names."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from diagram_dsl.catalog import Catalog, load_catalog
from diagram_dsl.markdown.document import MarkdownDocument
from diagram_dsl.markdown.links import LinkProblem, check_links, fix_links
from diagram_dsl.markdown.scan import image_links, markdown_files

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "tests" / "fixtures" / "seed-sequence-diagram-solutions.md"

FLOW = '''
from diagram_dsl import Flow, Scores
flow = Flow(number={n}, title={title!r}, description="d", scores=Scores(5, 5, "High"))
a, b = flow.actor("A"), flow.participant("B")
a.send(b, "x")
'''


def _check(doc: Path, catalog: Catalog) -> list[LinkProblem]:
    return check_links(doc, MarkdownDocument(doc.read_bytes()), catalog)


def project(tmp_path: Path, titles: list[str]) -> Path:
    (tmp_path / "sources").mkdir()
    out = tmp_path / "generated-diagrams" / "sequence-diagram-solutions"
    out.mkdir(parents=True)
    for n, title in enumerate(titles, start=1):
        (tmp_path / "sources" / f"{n:02d}_f.py").write_text(FLOW.format(n=n, title=title))
    catalog = load_catalog(tmp_path)
    for flow in catalog.flows:
        (out / f"{flow.metadata.number}-{flow.metadata.slug}.png").write_bytes(b"png")
    return tmp_path


def test_markdown_structure_skips_code_and_tracks_headings() -> None:
    text = textwrap.dedent("""\
        # Top
        ## 2. Second
        ![alt](generated-diagrams/x.png "title")
        ```markdown
        ![not a link](generated-diagrams/y.png)
        ## not a heading
        ```
        <img src="generated-diagrams/z.svg" width="50">

        ### Detail
        ![](a.png)
        """)
    links = image_links(MarkdownDocument(text.encode()))
    assert [(link.line, link.target) for link in links] == [
        (3, "generated-diagrams/x.png"), (8, "generated-diagrams/z.svg"), (11, "a.png")]
    assert [h.text for h in links[0].headings] == ["Top", "2. Second"]
    assert [h.text for h in links[2].headings] == ["Top", "2. Second", "Detail"]


def test_missing_wrong_and_unresolvable_links(tmp_path: Path) -> None:
    root = project(tmp_path, ["Alpha Flow", "Beta Flow"])
    doc = root / "docs" / "guide.md"
    doc.parent.mkdir()
    doc.write_text(textwrap.dedent("""\
        ## 1. Alpha Flow
        ![Alpha](../generated-diagrams/sequence-diagram-solutions/1-alpha-flow.png)
        ## 2. Beta Flow
        ![Beta](../generated-diagrams/sequence-diagram-solutions/1-alpha-flow.png)
        ## Beta Flow
        ![x](../generated-diagrams/sequence-diagram-solutions/9-gone.png)
        ## Unrelated heading
        ![x](../generated-diagrams/sequence-diagram-solutions/7-unknown.png)
        ## Alpha Flow
        ![x](generated-diagrams/sequence-diagram-solutions/1-alpha-flow.svg)
        """))
    catalog = load_catalog(root)
    problems = _check(doc, catalog)
    assert [(p.line, p.code) for p in problems] == [(4, "DOC201"), (6, "DOC200"), (8, "DOC200"), (10, "DOC202")]
    assert problems[0].fixed_target == "../generated-diagrams/sequence-diagram-solutions/2-beta-flow.png"
    assert "shows flow 1 (Alpha Flow) but the section is about flow 2 (Beta Flow)" in problems[0].message
    assert problems[1].fixed_target == "../generated-diagrams/sequence-diagram-solutions/2-beta-flow.png"
    assert problems[2].fixed_target is None  # nothing says which flow was meant: reported, not guessed
    # the svg was never produced on disk here, so the folder-relative fix is kept as the nearest right answer
    assert problems[3].code == "DOC202"


def test_fix_rewrites_only_the_links_and_is_idempotent(tmp_path: Path) -> None:
    root = project(tmp_path, ["Alpha Flow", "Beta Flow"])
    doc = root / "README.md"
    original = "intro\n## 2. Beta Flow\nsee ![Beta](generated-diagrams/sequence-diagram-solutions/2-old.png) here\n"
    doc.write_text(original)
    catalog = load_catalog(root)
    problems = _check(doc, catalog)
    assert fix_links(doc, MarkdownDocument(doc.read_bytes()), problems) == 1
    assert doc.read_text() == original.replace("2-old.png", "2-beta-flow.png")
    assert _check(doc, catalog) == []


def test_markdown_files_skip_tool_folders(tmp_path: Path) -> None:
    for name in ("README.md", "docs/a.md", ".venv/x.md", "tools/node_modules/y.md", ".git/z.md"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in markdown_files(tmp_path, [])]
    assert found == ["README.md", "docs/a.md"]


def test_the_users_document_has_19_drifted_links_and_fix_clears_them(tmp_path: Path) -> None:
    catalog = load_catalog(REPO)
    if len(catalog.flows) < 20:
        pytest.fail(f"the catalog has {len(catalog.flows)} flows; the seed-document check needs all 20")
    doc = tmp_path / "seed.md"
    shutil.copy(SEED, doc)
    problems = _check(doc, catalog)
    assert len(problems) == 19, [p.message for p in problems]
    assert {p.code for p in problems} == {"DOC200"}
    assert all(p.fixed_target is not None for p in problems)
    by_line = {p.line: p for p in problems}
    registration = next(p for p in problems if "2-login-with-database-read.png" in p.target)
    assert registration.fixed_target is not None and registration.fixed_target.endswith("/2-user-registration-flow.png")
    assert "flow 2 (User Registration Flow)" in registration.message
    assert len(by_line) == 19
    assert fix_links(doc, MarkdownDocument(doc.read_bytes()), problems) == 19
    assert _check(doc, catalog) == []
    fixed = doc.read_text()
    assert "generated-diagrams/sequence-diagram-solutions/20-full-modern-architecture.png" in fixed
    assert fixed.replace("2-user-registration-flow", "") != SEED.read_text()
