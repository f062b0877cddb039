"""The SVG canvas: plain text, no dependency, deterministic (fixed number format, no ids, no dates)."""

from __future__ import annotations

import hashlib
import re
from xml.sax.saxutils import escape, quoteattr

from diagram_dsl.renderers.native.draw import draw
from diagram_dsl.renderers.native.fonts import FONT_NAME
from diagram_dsl.renderers.native.scene import Layout, Point, Rect, Stroke
from diagram_dsl.renderers.native.text import TextStyle

FONT_FAMILY = f"{FONT_NAME}, 'DejaVu Sans', Arial, Helvetica, sans-serif"


# Characters XML 1.0 forbids anywhere in a document (C0 controls but tab/newline/return, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` made safe as XML character data: forbidden characters dropped, markup characters escaped."""
    return escape(_NOT_XML.sub("", text))


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _paint(fill: str | None, stroke: Stroke | None) -> str:
    parts = [f'fill="{fill}"' if fill else 'fill="none"']
    if stroke is not None:
        parts.append(f'stroke="{stroke.color}" stroke-width="{_n(stroke.width)}"')
        if stroke.dash:
            parts.append(f'stroke-dasharray="{" ".join(_n(d) for d in stroke.dash)}"')
    return " ".join(parts)


def _points(points: tuple[Point, ...]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


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
            f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="{background}"/>',
        ]

    def rect(self, rect: Rect, fill: str | None, stroke: Stroke | None, radius: float) -> None:
        corner = f' rx="{_n(radius)}"' if radius > 0 else ""
        self.parts.append(f'<rect x="{_n(rect.x)}" y="{_n(rect.y)}" width="{_n(rect.w)}" height="{_n(rect.h)}"'
                          f'{corner} {_paint(fill, stroke)}/>')

    def polyline(self, points: tuple[Point, ...], stroke: Stroke) -> None:
        self.parts.append(f'<polyline points="{_points(points)}" {_paint(None, stroke)} stroke-linejoin="round"/>')

    def polygon(self, points: tuple[Point, ...], fill: str | None, stroke: Stroke | None) -> None:
        self.parts.append(f'<polygon points="{_points(points)}" {_paint(fill, stroke)} stroke-linejoin="round"/>')

    def ellipse(self, rect: Rect, fill: str | None, stroke: Stroke | None) -> None:
        self.parts.append(f'<ellipse cx="{_n(rect.x + rect.w / 2)}" cy="{_n(rect.y + rect.h / 2)}" '
                          f'rx="{_n(rect.w / 2)}" ry="{_n(rect.h / 2)}" {_paint(fill, stroke)}/>')

    def text(self, x: float, baseline: float, text: str, style: TextStyle, width: float) -> None:
        weight = f' font-weight="{style.weight}"' if style.weight != 400 else ""
        # textLength keeps the measured width when a viewer lacks Inter and substitutes another font,
        # so the layout's no-overlap guarantee holds in every viewer.
        fit = f' textLength="{_n(width)}" lengthAdjust="spacingAndGlyphs"' if width > 0 else ""
        self.parts.append(f'<text x="{_n(x)}" y="{_n(baseline)}" font-size="{style.size}"{weight} '
                          f'fill="{style.color}"{fit} xml:space="preserve">{xml_text(text)}</text>')

    def markup(self) -> str:
        return "\n".join([*self.parts, "</svg>", ""])


def render_svg(layout: Layout, title: str = "", description: str = "") -> bytes:
    """The layout as an SVG document; ``title`` and ``description`` become its accessible name and description."""
    canvas = SvgCanvas(layout.width, layout.height, layout.background, title, description)
    draw(layout, canvas)
    return canvas.markup().encode("utf-8")
