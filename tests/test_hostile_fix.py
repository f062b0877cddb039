"""``check --fix`` changes only the link targets it reports: every other byte of the file stays as it was.

Encodings, line endings, byte-order marks and final newlines are kept; code, comments and absolute URLs are
never touched; the file stays the same file (symlinks, hard links, mode). A property test plants wrong image
links among random bytes and checks that the byte diff is exactly the planted targets.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagram_dsl.catalog import load_catalog
from diagram_dsl.checks.doc_links import check_doc_links
from diagram_dsl.cli import main

OUT = "generated-diagrams/sequence-diagram-solutions"
FLOW = '''
from diagram_dsl import Flow, Scores
flow = Flow(number={n}, title={title!r}, description="d", scores=Scores(5, 5, "High"))
a, b = flow.actor("A"), flow.participant("B")
a.send(b, "x")
'''
TITLES = ["Alpha Flow", "Beta Flow", "Gamma Flow"]
SLUGS = ["1-alpha-flow", "2-beta-flow", "3-gamma-flow"]


def make_project(root: Path) -> Path:
    (root / "sources").mkdir(parents=True)
    out = root / OUT
    out.mkdir(parents=True)
    for n, title in enumerate(TITLES, start=1):
        (root / "sources" / f"{n:02d}_f.py").write_text(FLOW.format(n=n, title=title))
    for flow in load_catalog(root).flows:
        for extension in ("png", "svg"):
            (out / f"{flow.metadata.number}-{flow.metadata.slug}.{extension}").write_bytes(b"picture")
    return root


def fix(root: Path, doc: Path) -> str:
    result = CliRunner().invoke(main, ["--root", str(root), "check", str(doc), "--fix"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.output


def check(root: Path, doc: Path) -> str:
    result = CliRunner().invoke(main, ["--root", str(root), "check", str(doc)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.output


def wrong(n: int, tag: str = "old-name") -> bytes:
    return f"{OUT}/{n}-{tag}.png".encode()


def right(n: int) -> bytes:
    return f"{OUT}/{SLUGS[n - 1]}.png".encode()


# -- bytes outside the targets ------------------------------------------------------------------------
def test_encoding_line_endings_bom_and_final_newline_are_kept(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    doc = root / "doc.md"
    original = (b"\xef\xbb\xbf# Caf\xe9 notes\r\n\r\n## 2. Beta Flow\r\n"
                b"Latin-1 \xe9\xe8 and broken UTF-8 \xff\xfe\xc3 here: ![beta](" + wrong(2) + b")\r"
                b"lone CR line\r\r## 3. Gamma Flow\n  ![g](" + wrong(3) + b' "title \xe9")\n'
                b"NUL \x00 and form feed \x0c stay, no final newline")
    doc.write_bytes(original)
    fix(root, doc)
    assert doc.read_bytes() == original.replace(wrong(2), right(2)).replace(wrong(3), right(3))
    assert "DOC20" not in check(root, doc)


def test_a_bom_does_not_hide_the_first_heading(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    doc = root / "doc.md"
    # The image's alt text names no flow: only the heading on the BOM line says which flow is meant.
    original = b"\xef\xbb\xbf## 2. Beta Flow\n![x](" + f"{OUT}/1-alpha-flow.png".encode() + b")"
    doc.write_bytes(original)
    assert "DOC201" in check(root, doc)
    fix(root, doc)
    assert doc.read_bytes() == original.replace(b"1-alpha-flow", b"2-beta-flow")


# -- the same file ------------------------------------------------------------------------------------
def test_fix_writes_through_a_symlink_and_keeps_it_a_symlink(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    real = root / "shared" / "real.md"
    real.parent.mkdir()
    real.write_bytes(b"## 1. Alpha Flow\n![a](../" + wrong(1) + b")\n")
    link = root / "doc.md"
    link.symlink_to(Path("shared") / "real.md")
    # As a whole-project check finds it: by the link's own name.
    check_doc_links(load_catalog(root), [link], fix=True)
    assert link.is_symlink() and os.readlink(link) == str(Path("shared") / "real.md")
    assert real.read_bytes() == b"## 1. Alpha Flow\n![a](../" + right(1) + b")\n"


def test_a_symlink_out_of_the_project_is_not_read(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    outside = tmp_path / "elsewhere.md"
    original = b"## 1. Alpha Flow\n![a](" + wrong(1) + b")\n"
    outside.write_bytes(original)
    (root / "docs").mkdir()
    (root / "docs" / "linked.md").symlink_to(outside)
    assert check_doc_links(load_catalog(root), [], fix=True) == []
    assert outside.read_bytes() == original


def test_fix_keeps_hard_links_and_the_mode(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    doc = root / "doc.md"
    doc.write_bytes(b"## 1. Alpha Flow\n![a](" + wrong(1) + b")\n")
    doc.chmod(0o640)
    other = root / "other-name.md"
    os.link(doc, other)
    inode = doc.stat().st_ino
    fix(root, doc)
    assert doc.stat().st_ino == inode == other.stat().st_ino
    assert other.read_bytes() == b"## 1. Alpha Flow\n![a](" + right(1) + b")\n"
    assert stat.S_IMODE(doc.stat().st_mode) == 0o640


def test_fix_keeps_the_mode_of_a_single_file(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    doc = root / "doc.md"
    doc.write_bytes(b"## 1. Alpha Flow\n![a](" + wrong(1) + b")\n")
    doc.chmod(0o604)
    fix(root, doc)
    assert stat.S_IMODE(doc.stat().st_mode) == 0o604
    assert right(1) in doc.read_bytes()


# -- what is never a link -----------------------------------------------------------------------------
PROTECTED = b"""## 2. Beta Flow

Inline code `![c](%(w)s)` and ``double ![c](%(w)s) ticks`` stay.

> quoted
> ```
> ![fenced in a quote](%(w)s)
> ```

- item
  ```md
  ![fenced in a list](%(w)s)
  ```
- item two

      ![indented code](%(w)s)

<!-- ![commented](%(w)s) -->
text <!-- inline ![comment](%(w)s)
across lines --> text

<!--
![block comment](%(w)s)
-->

~~~
![tilde fence](%(w)s)
~~~

![absolute](https://example.com/%(w)s)
\\![escaped, so not an image](%(w)s)

[a text link](%(w)s) and the image ![real one](%(w)s) on one line
"""


def test_code_comments_urls_and_text_links_are_never_rewritten(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    doc = root / "doc.md"
    original = PROTECTED % {b"w": wrong(1)}
    doc.write_bytes(original)
    before = check(root, doc)
    fix(root, doc)
    fixed = doc.read_bytes()
    last = original.rindex(wrong(1))  # the image after the text link on the last line
    assert fixed == original[:last] + right(2) + original[last + len(wrong(1)):]
    # Only the real image and the absolute URL (reported, no fix) were findings.
    assert before.count("DOC20") == 2 and "example.com" in before


# -- what is a link -----------------------------------------------------------------------------------
def test_reference_images_setext_headings_and_img_tags(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    doc = root / "doc.md"
    original = (b"Beta Flow\n=========\n\n![full][beta]  ![collapsed][]  ![Shortcut]\n\n"
                b"Gamma Flow\n----------\n\n"
                b"<IMG SRC='" + wrong(3, "single") + b"' alt=\"x\">\n"
                b'<img\n  width="9"\n  src=' + wrong(3, "bare") + b"\n>\n\n"
                b'Text <img title="src=' + wrong(1, "decoy") + b'" src="' + wrong(3, "double") + b'"> inline.\n\n'
                b"[beta]: " + wrong(1, "full") + b' "title"\n'
                b"[collapsed]:\n  <" + wrong(1, "collapsed") + b">\n"
                b"[shortcut]: " + wrong(1, "shortcut") + b"\n")
    doc.write_bytes(original)
    findings = check(root, doc)
    assert findings.count("DOC200") == 6 and "decoy" not in findings, findings
    assert findings.count("section is about flow 3 (Gamma Flow)") == 3, findings
    fix(root, doc)
    expected = original
    for tag in ("single", "bare", "double"):
        expected = expected.replace(wrong(3, tag), right(3))
    for tag in ("full", "collapsed", "shortcut"):
        expected = expected.replace(wrong(1, tag), right(2))
    assert doc.read_bytes() == expected
    assert "DOC20" not in check(root, doc)


def test_a_definition_two_sections_share_is_reported_not_guessed(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    doc = root / "doc.md"
    original = b"## 1. Alpha Flow\n![a][pic]\n## 2. Beta Flow\n![b][pic]\n\n[pic]: " + wrong(1) + b"\n"
    doc.write_bytes(original)
    output = fix(root, doc)
    assert doc.read_bytes() == original
    assert output.count("DOC200") == 2 and "share its reference definition" in output


# -- property: random bytes around planted links --------------------------------------------------------
# Filler never opens a construct (no Markdown punctuation, no leading indentation), but holds any other byte:
# letters, spaces, tabs, control characters and bytes that are not UTF-8.
_FILLER_BYTES = [byte for byte in range(256) if bytes([byte]) not in b"`~<>[]()!\\*_#-=+|:&\"'\r\n" and
                 not 0x30 <= byte <= 0x39]
_FILLER = st.binary(max_size=30).map(lambda data: bytes(_FILLER_BYTES[b % len(_FILLER_BYTES)] for b in data))
_EOL = st.sampled_from([b"\n", b"\r\n", b"\r"])
# Decoys: constructs that hold a wrong link that must stay as it is.
_DECOYS = st.sampled_from([b"`![x](%s)`", b"<!-- ![x](%s) -->", b"[text](%s)", b"![x](https://h.example/%s)",
                           b"\\![x](%s)", b"``` ![x](%s) ```"])


@st.composite
def planted_documents(draw: st.DrawFn) -> tuple[bytes, list[tuple[int, bytes]]]:
    """A document and the (offset, right target) of each planted wrong link."""
    parts: list[bytes] = [draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))]
    plants: list[tuple[int, bytes]] = []
    for _ in range(draw(st.integers(1, 4))):
        n = draw(st.integers(1, 3))
        eol = draw(_EOL)
        parts += [b"x", draw(_FILLER), eol, eol, f"## {n}. {TITLES[n - 1]}".encode(), eol]
        parts += [b"y", draw(_FILLER), b" "]
        if draw(st.booleans()):
            parts += [draw(_DECOYS) % wrong(draw(st.integers(1, 3))), b" "]
        style = draw(st.sampled_from(["inline", "angle", "html", "html-single"]))
        opener = {"inline": b"![pic](", "angle": b"![pic](<", "html": b'<img src="', "html-single": b"<IMG Src='"}
        closer = {"inline": b")", "angle": b">)", "html": b'">', "html-single": b"'>"}
        parts.append(opener[style])
        plants.append((len(b"".join(parts)), right(n)))
        parts += [wrong(n), closer[style], b" z", draw(_FILLER), eol]
    parts.append(draw(st.sampled_from([b"", b"\n", b"tail without newline"])))
    return b"".join(parts), plants


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted_documents())
def test_the_byte_diff_is_exactly_the_planted_targets(planted: tuple[bytes, list[tuple[int, bytes]]]) -> None:
    original, plants = planted
    expected = bytearray(original)
    for offset, target in reversed(plants):
        length = len(wrong(1))
        expected[offset:offset + length] = target
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder))
        doc = root / "doc.md"
        doc.write_bytes(original)
        fix(root, doc)
        assert doc.read_bytes() == bytes(expected)
