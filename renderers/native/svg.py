"""The SVG canvas: plain text, no dependency, deterministic (fixed number format, no ids, no dates)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from diagram_dsl.renderers.native.draw import draw
from diagram_dsl.renderers.native.fonts import FONT_NAME
from diagram_dsl.renderers.native.scene import Layout, Point, Rect, Stroke
from diagram_dsl.renderers.native.text import TextStyle

FONT_FAMILY = f"{FONT_NAME}, 'DejaVu Sans', Arial, Helvetica, sans-serif"


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
    def __init__(self, width: float, height: float, background: str) -> None:
        self.parts = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" '
            f'viewBox="0 0 {_n(width)} {_n(height)}" font-family={quoteattr(FONT_FAMILY)}>',
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
                          f'fill="{style.color}"{fit} xml:space="preserve">{escape(text)}</text>')

    def markup(self) -> str:
        return "\n".join([*self.parts, "</svg>", ""])


def render_svg(layout: Layout) -> bytes:
    canvas = SvgCanvas(layout.width, layout.height, layout.background)
    draw(layout, canvas)
    return canvas.markup().encode("utf-8")
