"""The pentagon tab that labels fragments and ``ref`` boxes."""

from __future__ import annotations

from diagram_dsl.renderers.native.context import Context
from diagram_dsl.renderers.native.scene import PolygonShape, Shape, Stroke
from diagram_dsl.renderers.native.styles import text_block
from diagram_dsl.renderers.native.text import line_width


def tab_size(context: Context, keyword: str) -> tuple[float, float]:
    theme, style = context.styles.theme, context.styles.keyword
    width = line_width(keyword, style.size, style.weight) + 2 * theme.tab_pad_x + theme.tab_slant
    return width, style.line_height + 6


def tab_shapes(context: Context, keyword: str, left: float, top: float) -> tuple[float, float, list[Shape]]:
    """Width, height and shapes of a tab whose top-left corner is (left, top)."""
    theme = context.styles.theme
    width, height = tab_size(context, keyword)
    right, bottom, slant = left + width, top + height, theme.tab_slant
    outline = ((left, top), (right, top), (right, bottom - slant), (right - slant, bottom), (left, bottom))
    shapes: list[Shape] = [
        PolygonShape(outline, theme.tab_fill, Stroke(theme.fragment_stroke, theme.stroke)),
        text_block((keyword,), left + theme.tab_pad_x, top + 3, context.styles.keyword, "keyword"),
    ]
    return width, height, shapes
