"""The pentagon tab that labels fragments and ``ref`` boxes, and the guards written beside it."""

from __future__ import annotations

from diagram_dsl.model import Fragment, FragmentKind
from diagram_dsl.renderers.native.context import Context, Label, measure
from diagram_dsl.renderers.native.scene import PolygonShape, Rect, Shape, Stroke
from diagram_dsl.renderers.native.styles import Styles, text_block
from diagram_dsl.renderers.native.text import line_width


def keyword_of(fragment: Fragment) -> str:
    """What the tab says: the fragment's kind, or a group's own name."""
    if fragment.kind is FragmentKind.GROUP:
        return fragment.label.strip().split("\n")[0] or "group"
    return str(fragment.kind.value)


def guard_label(context: Context, text: str) -> Label | None:
    if not text.strip():
        return None
    return measure(f"[{text}]", context.styles.guard, context.wrap_width)


def tab_size(styles: Styles, keyword: str) -> tuple[float, float]:
    m, style = styles.metrics, styles.keyword
    width = line_width(keyword, style.size, style.weight) + 2 * m.tab_pad_x + m.tab_slant
    return width, style.line_height + 2 * m.tab_pad_y


def tab_shapes(styles: Styles, keyword: str, left: float, top: float, fill: str, stroke: Stroke
               ) -> tuple[Rect, list[Shape]]:
    """The outline and shapes of a tab whose top-left corner is (left, top)."""
    m = styles.metrics
    width, height = tab_size(styles, keyword)
    right, bottom, slant = left + width, top + height, m.tab_slant
    outline = ((left, top), (right, top), (right, bottom - slant), (right - slant, bottom), (left, bottom))
    shapes: list[Shape] = [
        PolygonShape(outline, fill, stroke),
        text_block((keyword,), left + m.tab_pad_x, top + m.tab_pad_y, styles.keyword, "keyword"),
    ]
    return Rect(left, top, width, height), shapes
