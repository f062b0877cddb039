"""What the MkDocs plugin and the Sphinx extension share: block options, fences, markup, pictures, loaded flows."""

from __future__ import annotations

from pathlib import Path

import pytest
from docs_sites import fixture_project

from diagram_dsl.build import run_build
from diagram_dsl.embed.html import embed_html
from diagram_dsl.embed.options import Embed, EmbedError, parse_block
from diagram_dsl.embed.pictures import PictureStore
from diagram_dsl.embed.site import docs_flows
from diagram_dsl.mkdocs_plugin.fences import diagram_fences
from diagram_dsl.mkdocs_plugin.pages import PageEmbedder


def test_a_block_reads_every_option_and_a_bare_first_line_names_the_flow() -> None:
    embed = parse_block("# the checkout\nflow: 4\ntheme: dark\nformat: PNG\nwidth: 80%\nalt: 'Pay: now'\n"
                        "caption: Happy path\n")
    assert embed == Embed("4", "dark", "png", "80%", "Pay: now", "Happy path")
    assert embed.flow_line == 1
    assert embed.width_attributes() == {"style": "width: 80%"}
    assert parse_block("e-commerce-checkout\nwidth: 640px").width_attributes() == {"width": "640"}


@pytest.mark.parametrize(("text", "offset", "words"), [
    ("flow: 4\ncolour: red", 1, "unknown option 'colour'"),
    ("flow: 4\nflow: 5", 1, "given twice"),
    ("width: 600", 0, "no flow named"),
    ("flow: 4\n\ntheme: sepia", 2, "'sepia' is not a theme"),
    ("flow: 4\nformat: gif", 1, "'gif' is not a picture format"),
    ("flow: 4\nwidth: 0", 1, "'0' is not a width"),
    ("flow: 4\nwidth: 120%", 1, "'120%' is not a width"),
    ("flow: 4\nnot an option line", 1, "cannot read"),
])
def test_a_bad_block_names_the_line_and_the_problem(text: str, offset: int, words: str) -> None:
    with pytest.raises(EmbedError) as raised:
        parse_block(text)
    assert raised.value.line_offset == offset and words in raised.value.message


def test_only_top_level_diagram_fences_count() -> None:
    lines = ["````markdown", "```diagram-dsl", "flow: 1", "```", "````", "", "~~~ diagram-dsl", "flow: 2", "~~~",
             "```python", "x = 1", "```", "```{.diagram-dsl}", "flow: 3"]
    fences = diagram_fences(lines)
    assert [(f.start, f.end, f.body) for f in fences] == [(6, 8, "flow: 2"), (12, 13, "flow: 3")]


def test_markup_for_one_theme_two_themes_and_material() -> None:
    embed = Embed("4", width="640", caption="Pay <now>")
    one = embed_html({"light": "a/4.svg"}, embed, 'Checkout "quoted" <b>')
    assert one == ('<figure class="diagram-dsl"><img src="a/4.svg" alt="Checkout &quot;quoted&quot; &lt;b&gt;" '
                   'width="640" loading="lazy"><figcaption>Pay &lt;now&gt;</figcaption></figure>')
    both = embed_html({"light": "a/4.svg", "dark": "a/4.dark.svg"}, Embed("4"), "alt")
    assert '<picture><source media="(prefers-color-scheme: dark)" srcset="a/4.dark.svg"><img src="a/4.svg"' in both
    material = embed_html({"light": "a/4.svg", "dark": "a/4.dark.svg"}, Embed("4"), "alt", material=True)
    assert 'src="a/4.svg#only-light"' in material and 'src="a/4.dark.svg#only-dark"' in material


def test_committed_pictures_are_reused_only_while_current(tmp_path: Path) -> None:
    root = fixture_project(tmp_path, ("01_simple_login_sequence.py", "04_e_commerce_checkout.py"))
    assert run_build(root, jobs=1).ok
    flows = docs_flows(root)
    login = flows.lookup("1")
    assert login is not None
    store = PictureStore()
    pictures, problems = store.pictures(flows.project, [(login, "light", "svg"), (login, "light", "png")])
    assert problems == [] and store.rendered == 0 and store.reused == 2
    committed = root / "generated-diagrams" / "sequence-diagram-solutions" / "1-simple-login-sequence.svg"
    assert pictures[(login, "light", "svg")].path == committed

    source = root / "sources" / "01_simple_login_sequence.py"
    source.write_text(source.read_text(encoding="utf-8").replace("POST /login", "POST /signin"), encoding="utf-8")
    flows = docs_flows(root)
    assert flows.lookup("1") is not login  # the changed source was loaded again
    login = flows.lookup("1")
    assert login is not None
    pictures, problems = store.pictures(flows.project, [(login, "light", "svg")])
    picture = pictures[(login, "light", "svg")]
    assert problems == [] and picture.path is None and store.rendered == 1  # stale: drawn, not the old file
    assert b"POST /signin" in picture.read() and b"POST /signin" not in committed.read_bytes()
    store.pictures(flows.project, [(login, "light", "png")])
    assert store.rendered == 1  # drawn once per flow and theme, remembered for the next build


def test_flows_are_loaded_once_until_a_source_changes(tmp_path: Path) -> None:
    root = fixture_project(tmp_path, ("01_simple_login_sequence.py",))
    first = docs_flows(root)
    assert docs_flows(root) is first
    (root / "sources" / "04_e_commerce_checkout.py").write_text(
        (Path(__file__).parents[1] / "sources" / "04_e_commerce_checkout.py").read_text(encoding="utf-8"),
        encoding="utf-8")
    again = docs_flows(root)
    assert again is not first and [f.metadata.number for f in again.flows] == [1, 4]


def test_a_page_keeps_its_other_text_and_rewrites_only_generated_picture_links(tmp_path: Path) -> None:
    root = fixture_project(tmp_path, ("01_simple_login_sequence.py", "04_e_commerce_checkout.py"))
    flows = docs_flows(root)
    embedder = PageEmbedder(flows)
    markdown = ("# Page\n\nText ![logo](img/logo.png) stays.\n\n  ```diagram-dsl\n  flow: 4\n  ```\n\n"
                "## 1. Simple Login Sequence\n\n"
                "![Login](<../generated-diagrams/sequence-diagram-solutions/1-simple-login-sequence.png>)\n")
    wanted = embedder.wanted(markdown, root / "docs")
    assert [(flow.metadata.number, theme, fmt) for flow, theme, fmt in wanted] == [(4, "light", "svg"),
                                                                                  (1, "light", "png")]
    result = embedder.transform(markdown, root / "docs",
                                lambda item, link: f"{'md' if link else 'html'}/{item[0].metadata.number}.{item[2]}")
    assert result.problems == []
    lines = result.markdown.splitlines()
    assert lines[2] == "Text ![logo](img/logo.png) stays."
    assert lines[5].startswith('  <figure class="diagram-dsl"><img src="html/4.svg" alt="Complete e-commerce')
    assert lines[-1] == "![Login](md/1.png)"
