"""Typography: kerned, fractional advances shared by the PNG and the SVG; Hebrew and Arabic from pinned fallback
fonts, shaped right to left; characters no pinned font has named by a located warning, never silently lost."""

from __future__ import annotations

import inspect
import io
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from diagram_dsl import Flow, Scores
from diagram_dsl.glyphs import FONTS, REPLACEMENT, displayable, font_for, undrawable
from diagram_dsl.model import Diagram, Message, MessageKind, Participant, ParticipantKind
from diagram_dsl.renderers.native.layout import layout_diagram
from diagram_dsl.renderers.native.png import render_png
from diagram_dsl.renderers.native.png_palette import line_mask
from diagram_dsl.renderers.native.svg import render_svg
from diagram_dsl.renderers.native.text import line_width, shape_line
from diagram_dsl.validate import validate

SVG = "{http://www.w3.org/2000/svg}"
HEBREW, ARABIC = "שלום עולם", "مرحبا بالعالم"


def _ink_columns(text: str, size: int = 13, weight: int = 400) -> tuple[int, int]:
    """Leftmost and rightmost column with ink of a line as the PNG canvas draws it."""
    drawn = line_mask(text, size, weight)
    assert drawn is not None
    cover, left, _ = drawn
    box = cover.getbbox()
    assert box is not None
    return left + box[0], left + box[2]


@pytest.mark.parametrize("pair", ["AV", "To", "Wa", "Ty", "LT"])
def test_pairs_are_kerned(pair: str) -> None:
    alone = sum(line_width(char, 13, 400) for char in pair)
    assert line_width(pair, 13, 400) < alone - 0.3


def test_empty_and_blank_lines_measure_nothing() -> None:
    assert line_width("", 13, 400) == 0.0
    assert shape_line("", 400).width == 0.0
    assert line_mask("", 13, 400) is None and line_mask("   ", 13, 400) is None


def test_advances_are_fractional_and_add_up_along_a_line() -> None:
    widths = [line_width(char, 13, 400) for char in "SELECTabcdefghijklmnop"]
    assert any(width != round(width) for width in widths)
    text = "SELECT id FROM users"
    assert line_width(text, 26, 400) == pytest.approx(2 * line_width(text, 13, 400), abs=0.01)  # no hinting


def test_png_ink_follows_the_kerned_width() -> None:
    text = "AVAVAVAVAVAVAVAV"
    left, right = _ink_columns(text)
    measured = line_width(text, 13, 400)
    unkerned = sum(line_width(char, 13, 400) for char in text)
    assert abs((right - left) - measured) <= 1.5
    assert unkerned - measured > 6  # so the ink shows the kerning, not the advances one by one


def test_letters_keep_even_spacing() -> None:
    """'SELEC T': no gap between letters of a word is wider than the others by a pixel or more."""
    for word in ("SELECT", "ACCEPTED", "IDEMPOTENT", "HTTP"):
        drawn = line_mask(word, 13, 400)
        assert drawn is not None
        cover = drawn[0]
        columns = [False, *(max(cover.getpixel((x, y)) for y in range(cover.height)) > 127
                            for x in range(cover.width)), False]
        starts = [x for x in range(1, len(columns)) if columns[x] and not columns[x - 1]]
        ends = [x for x in range(1, len(columns)) if not columns[x] and columns[x - 1]]
        gaps = [start - end for end, start in zip(ends, starts[1:], strict=False)]
        assert len(gaps) == len(word) - 1, word
        assert max(gaps) - min(gaps) <= 1, (word, gaps)


def test_hebrew_and_arabic_come_from_pinned_fallback_fonts() -> None:
    assert displayable(HEBREW) == HEBREW and displayable(ARABIC) == ARABIC
    assert FONTS[font_for("ש") or 0].family == "Heebo"
    assert FONTS[font_for("م") or 0].family == "Noto Sans Arabic"
    assert undrawable(f"{HEBREW} {ARABIC} café Ωμέγα Привет → ✓") == ""


def test_right_to_left_runs_are_shaped_and_placed_in_visual_order() -> None:
    mixed = shape_line(f"GET /users {HEBREW}", 400)
    assert mixed.runs[0].text.startswith("GET")
    hebrew = [run for run in mixed.runs if run.text == HEBREW]
    assert hebrew and hebrew[0].rtl and hebrew[0].offsets is None
    rtl_first = shape_line(f"{HEBREW} API", 400)
    assert rtl_first.runs[0].text == "API"  # a right-to-left line starts at the right: the Latin word is leftmost
    joined = line_mask(ARABIC, 13, 400)
    isolated = line_mask(" ".join(ARABIC), 13, 400)
    assert joined is not None and isolated is not None
    assert joined[0].width < isolated[0].width - 10  # joining forms, not isolated letters


def test_characters_no_pinned_font_has_are_named_not_hidden() -> None:
    assert undrawable("deploy 🚀 to 東京 🚀") == "🚀東京"
    assert undrawable("plain ascii") == ""
    assert undrawable("bell\x07 and \u200b zero width") == ""  # dropped, never drawn: not "undrawable"
    assert displayable("deploy 🚀") == f"deploy {REPLACEMENT}"


def test_undrawable_characters_are_a_located_warning() -> None:
    flow = Flow(number=1, title="Glyphs", description="d",
                scores=Scores(solution_quality=5, implementation_difficulty=2, performance_level="High"),
                when_to_use=["a"], important_points=["b"])
    line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
    a, b = flow.participant("Client 🚀"), flow.participant("שרת")
    a.call(b, "注文 ok").reply("مرحبا")
    model = flow.build()
    findings = [f for f in validate(model.diagram, model.metadata) if f.code == "SEQ171"]
    assert [f.severity.value for f in findings] == ["warning", "warning"]
    assert "🚀 (U+1F680)" in findings[0].message and findings[0].location.line == line
    assert "注 (U+6CE8), 文 (U+6587)" in findings[1].message and findings[1].location.line == line + 1
    assert findings[1].location.file.endswith("test_render_typography.py")
    waived = validate(model.diagram, model.metadata, allow=("SEQ171",))
    assert not [f for f in waived if f.code == "SEQ171"]


def _diagram(labels: tuple[str, str], message: str) -> Diagram:
    participants = tuple(Participant(f"p{i}", label, ParticipantKind.PARTICIPANT) for i, label in enumerate(labels))
    return Diagram(participants, (Message(1, MessageKind.ASYNC, "p0", "p1", message),), title="Scripts")


def test_svg_embeds_a_subset_of_each_font_it_uses() -> None:
    svg = render_svg(layout_diagram(_diagram(("Client", HEBREW), f"AVATAR Tokyo → {ARABIC}")), "Scripts")
    root = ElementTree.fromstring(svg)
    style = "".join(element.text or "" for element in root.iter(f"{SVG}style"))
    faces = style.split("@font-face")[1:]
    assert len(faces) == 3
    families = set()
    for face in faces:
        family = face.split('font-family:"')[1].split('"')[0]
        families.add(family)
        data = face.split("base64,")[1].split(")")[0]
        import base64

        font = TTFont(io.BytesIO(base64.b64decode(data)))
        assert font.flavor == "woff2"
        assert "fvar" not in font or [axis.axisTag for axis in font["fvar"].axes] == ["wght"]
    assert families == {"ddsl-Inter", "ddsl-Heebo", "ddsl-Noto-Sans-Arabic"}
    drawn = "".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))
    assert HEBREW in drawn and ARABIC in drawn


def test_the_embedded_subset_holds_exactly_the_drawn_characters() -> None:
    import base64

    svg = render_svg(layout_diagram(_diagram(("A", "B"), "hello")), "t")
    root = ElementTree.fromstring(svg)
    style = "".join(element.text or "" for element in root.iter(f"{SVG}style"))
    data = style.split("base64,")[1].split(")")[0]
    font = TTFont(io.BytesIO(base64.b64decode(data)))
    drawn = {char for element in root.iter(f"{SVG}text") for char in "".join(element.itertext())}
    assert {chr(code) for code in font.getBestCmap()} == drawn
    assert "GPOS" not in font and "GSUB" not in font  # every glyph is placed explicitly


def test_png_draws_fallback_scripts_with_ink() -> None:
    png = render_png(layout_diagram(_diagram((HEBREW, ARABIC), "ok")))
    with Image.open(io.BytesIO(png)) as image:
        assert image.size[0] > 100
    for text in (HEBREW, ARABIC):
        drawn = line_mask(text, 13, 400)
        assert drawn is not None and drawn[0].getbbox() is not None


def test_catalog_svgs_carry_their_fonts_within_budget() -> None:
    from diagram_dsl.project import load_project

    # The committed outputs only: a one-off preview by another renderer (git-ignored) carries no fonts of ours.
    project = load_project(Path(__file__).resolve().parents[1])
    svgs = sorted(project.output_dir.glob("*.svg"))
    assert len(svgs) == 40  # 20 flows, light and dark
    for path in svgs:
        tree = ElementTree.parse(path).getroot()
        style = "".join(element.text or "" for element in tree.iter(f"{SVG}style"))
        assert "@font-face" in style, path.name
        assert len(style.encode()) <= 40_000, path.name


def test_font_subsets_are_the_same_bytes_on_every_machine() -> None:
    """Digests recorded with the pinned uharfbuzz and brotli: another machine (or a drifted pin) that subsets or
    compresses differently fails here instead of silently changing every committed SVG."""
    import hashlib

    from diagram_dsl.renderers.native.svg_fonts import font_face, subset_font
    from diagram_dsl.renderers.native.woff2 import encode_woff2

    sfnt = subset_font(0, "Hello, World → ✓", (400, 600))
    assert hashlib.sha256(sfnt).hexdigest() == "35536a1e909eeba706e7754f03632a79ef8670984802a74ba7406e9e31d56460"
    woff2 = encode_woff2(sfnt)
    assert hashlib.sha256(woff2).hexdigest() == "adf160d4bbc3051944d579185c92282626c5dce7752e76b6dcb05d487a9f5447"
    hebrew = font_face(1, "שלום", (400,)).encode()
    assert hashlib.sha256(hebrew).hexdigest() == "46d4f0bd01048393f598be5a28c451a8ee6ab9fbd7296c151233be2ed12efd4b"


def test_woff2_encoding_round_trips_through_an_independent_decoder() -> None:
    from diagram_dsl.renderers.native.svg_fonts import subset_font
    from diagram_dsl.renderers.native.woff2 import base128, encode_woff2, sfnt_tables

    assert [base128(v) for v in (0, 127, 128, 16383, 16384)] == [b"\x00", b"\x7f", b"\x81\x00", b"\xff\x7f",
                                                                   b"\x81\x80\x00"]
    sfnt = subset_font(2, "مرحبا", (400, 700))
    decoded = TTFont(io.BytesIO(encode_woff2(sfnt)))
    for tag, data in sfnt_tables(sfnt)[1]:
        assert decoded.reader[tag] == data, tag


def test_outputs_go_stale_when_the_fonts_or_shaping_tools_change() -> None:
    from diagram_dsl.build import fingerprint
    from diagram_dsl.renderers.native import NativeRenderer

    assert any(path.name == "glyphs.py" for path in fingerprint._CODE_INPUTS)  # the font list and coverage
    version = NativeRenderer().version()
    for part in ("Inter 4.1", "Heebo 3.100", "Noto Sans Arabic 2.12", "zlib-ng 1.1.0", "uharfbuzz 0.57.0",
                 "brotli 1.2.1"):
        assert part in version
