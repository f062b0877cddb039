"""The SVG canvas: plain text, deterministic (fixed number format, ids from content, no dates).

Text is placed glyph by glyph from ``text.shape_line`` (the PNG's own positions) and drawn with
subsets of the pinned fonts embedded in the file (``svg_fonts``), so a browser, GitHub's ``<img>``
and the PNG show the same letters at the same places; the text stays real text (selectable,
searchable). Runs that need shaping (Hebrew, Arabic) are placed as a whole and shaped by the viewer
with the embedded subset of the same font.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from xml.sax.saxutils import escape, quoteattr

from diagram_dsl.renderers.native.draw import draw
from diagram_dsl.renderers.native.fonts import FONT_NAME, PRIMARY
from diagram_dsl.renderers.native.png_smooth import is_axis_aligned
from diagram_dsl.renderers.native.scene import Layout, Point, Rect, Stroke
from diagram_dsl.renderers.native.svg_fonts import family, font_face
from diagram_dsl.renderers.native.text import Run, TextStyle, shape_line

FONT_FAMILY = f"{family(PRIMARY)}, {FONT_NAME}, 'DejaVu Sans', Arial, Helvetica, sans-serif"


# Characters XML 1.0 forbids anywhere in a document (C0 controls but tab/newline/return, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` made safe as XML character data: forbidden characters dropped, markup characters escaped."""
    return escape(_NOT_XML.sub("", text))


_TRAILING_ZEROS = re.compile(r"\.?0+(?= |$)")  # "12.50" -> "12.5", "12.00" -> "12" in a list of positive numbers


@functools.lru_cache(maxsize=65536)
def _n(value: float) -> str:
    """Two decimals at most, no trailing zeros: 12.5, 12, 0.05 (cached: a diagram has thousands of numbers, most of
    them repeated: lifeline and column positions, row edges, stroke widths)."""
    text = f"{value:.2f}"
    if text.endswith("00"):
        text = text[:-3]
    elif text.endswith("0"):
        text = text[:-1]
    return "0" if text == "-0" else text


@functools.lru_cache(maxsize=1024)
def _paint(fill: str | None, stroke: Stroke | None) -> str:
    parts = [f'fill="{fill}"' if fill else 'fill="none"']
    if stroke is not None:
        parts.append(f'stroke="{stroke.color}" stroke-width="{_n(stroke.width)}"')
        if stroke.dash:
            parts.append(f'stroke-dasharray="{" ".join(_n(d) for d in stroke.dash)}"')
    return " ".join(parts)


def _points(points: tuple[Point, ...]) -> str:
    return " ".join([f"{_n(x)},{_n(y)}" for x, y in points])  # a list: join builds one from a generator anyway


# Lines and box edges go where the PNG canvas puts them. Pillow draws a 1-unit line at y on pixel row
# floor(y) (a dashed straight line on round(y), see png.PillowCanvas._straight_dash); an SVG stroke is
# centred on its coordinate, so a line at y = 10 would cover half of two rows: two grey rows in a browser
# where the PNG has one crisp row. Placed on the same pixel centres, both look the same, and sharp.
def _snap(value: float) -> float:
    return math.floor(value) + 0.5


def _snap_round(value: float) -> float:
    return round(value) + 0.5


class SvgCanvas:
    def __init__(self, width: float, height: float, background: str, title: str = "", description: str = "") -> None:
        # Accessible name and description: screen readers announce an <img>-embedded SVG by them. The ids
        # derive from the text, so two diagrams inlined in one page do not share an id (and stay deterministic).
        key = hashlib.sha256(f"{title}\0{description}".encode("utf-8", "surrogatepass")).hexdigest()[:10]
        labelled = [f"title-{key}"] + ([f"desc-{key}"] if description else [])
        self.parts = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" '
            f'viewBox="0 0 {_n(width)} {_n(height)}" role="img" aria-labelledby="{" ".join(labelled)}" '
            f'font-family={quoteattr(FONT_FAMILY)}>',
            f'<title id="title-{key}">{xml_text(title or "Sequence diagram")}</title>',
            *([f'<desc id="desc-{key}">{xml_text(description)}</desc>'] if description else []),
        ]
        self.style_at = len(self.parts)  # the embedded fonts go here once every character is known
        self.parts.append(f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="{background}"/>')
        self.used: dict[int, tuple[set[str], set[int]]] = {}  # font -> (characters, weights)

    def rect(self, rect: Rect, fill: str | None, stroke: Stroke | None, radius: float) -> None:
        corner = f' rx="{_n(radius)}"' if radius > 0 else ""
        if stroke is None:  # a fill covers whole pixels, from the first row to the last one drawn
            x, y = float(math.floor(rect.x)), float(math.floor(rect.y))
            right, bottom = math.floor(rect.right) + 1.0, math.floor(rect.bottom) + 1.0
        else:  # the outline runs through the centres of the edge pixels
            x, y, right, bottom = _snap(rect.x), _snap(rect.y), _snap(rect.right), _snap(rect.bottom)
        self.parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(right - x)}" height="{_n(bottom - y)}"'
                          f'{corner} {_paint(fill, stroke)}/>')

    def polyline(self, points: tuple[Point, ...], stroke: Stroke) -> None:
        if is_axis_aligned(points):
            straight_dash = bool(stroke.dash) and len(points) == 2
            snap = _snap_round if straight_dash else _snap
            points = tuple((snap(x), snap(y)) for x, y in points)
            if straight_dash:  # the PNG lays the dash pattern from the left or top end
                points = tuple(sorted(points))
        self.parts.append(f'<polyline points="{_points(points)}" {_paint(None, stroke)} stroke-linejoin="round"/>')

    def polygon(self, points: tuple[Point, ...], fill: str | None, stroke: Stroke | None) -> None:
        self.parts.append(f'<polygon points="{_points(points)}" {_paint(fill, stroke)} stroke-linejoin="round"/>')

    def ellipse(self, rect: Rect, fill: str | None, stroke: Stroke | None) -> None:
        self.parts.append(f'<ellipse cx="{_n(rect.x + rect.w / 2)}" cy="{_n(rect.y + rect.h / 2)}" '
                          f'rx="{_n(rect.w / 2)}" ry="{_n(rect.h / 2)}" {_paint(fill, stroke)}/>')

    def text(self, x: float, baseline: float, text: str, style: TextStyle, width: float) -> None:
        weight = f' font-weight="{style.weight}"' if style.weight != 400 else ""
        placed, fonts = _placed(x, text, style.weight, style.size)
        for font, chars in fonts:
            used_chars, weights = self.used.setdefault(font, (set(), set()))
            used_chars.update(chars)
            weights.add(style.weight)
        self.parts.append(f'<text y="{round(baseline)}" font-size="{style.size}"{weight} fill="{style.color}" '
                          f'xml:space="preserve"{placed}</text>')

    def markup(self) -> str:
        faces = [font_face(index, "".join(sorted(chars)), tuple(sorted(weights)))
                 for index, (chars, weights) in sorted(self.used.items()) if chars - {" "}]
        style = [f"<style>{''.join(faces)}</style>"] if faces else []
        parts = [*self.parts[:self.style_at], *style, *self.parts[self.style_at:]]
        return "\n".join([*parts, "</svg>", ""])


@functools.lru_cache(maxsize=8192)
def _placed(x: float, text: str, weight: int, size: int) -> tuple[str, tuple[tuple[int, str], ...]]:
    """The rest of a ``<text>`` element after its attributes, and the characters each font draws in it.

    Cached: the light and the dark picture, and every re-render of a flow, place the same lines alike.
    """
    runs = shape_line(text, weight).runs
    fonts = tuple((run.font, run.text) for run in runs)
    if len(runs) == 1 and runs[0].offsets is not None:
        return f' x="{_xs(x, runs[0], size)}">{xml_text(runs[0].text)}', fonts
    return ">" + "".join(_span(x, run, size) for run in runs), fonts


def _xs(x: float, run: Run, size: int) -> str:
    """Each character's left edge: the kerned, fractional advances of the shaping, as in the PNG."""
    assert run.offsets is not None
    # One format and one substitution for the whole list: a catalog diagram has tens of thousands of characters.
    listed = " ".join([f"{x + position:.2f}" for position in _positions(run, size)])
    return _TRAILING_ZEROS.sub("", listed)


@functools.lru_cache(maxsize=8192)
def _positions(run: Run, size: int) -> tuple[float, ...]:
    assert run.offsets is not None
    return tuple((run.x + offset) * size for offset in run.offsets)


def _span(x: float, run: Run, size: int) -> str:
    font = "" if run.font == PRIMARY else f' font-family="{family(run.font)}"'
    if run.offsets is not None:
        return f'<tspan x="{_xs(x, run, size)}"{font}>{xml_text(run.text)}</tspan>'
    # A run the viewer shapes itself (joining, right to left): placed by its left edge at its measured width.
    fit = f' textLength="{_n(run.width * size)}" lengthAdjust="spacingAndGlyphs"' if run.width > 0 else ""
    return f'<tspan x="{_n(x + run.x * size)}"{font}{fit}>{xml_text(run.text)}</tspan>'


def render_svg(layout: Layout, title: str = "", description: str = "") -> bytes:
    """The layout as an SVG document; ``title`` and ``description`` become its accessible name and description."""
    canvas = SvgCanvas(layout.width, layout.height, layout.background, title, description)
    draw(layout, canvas)
    return canvas.markup().encode("utf-8")
