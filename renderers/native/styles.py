"""Text styles derived from the theme, and positioned text blocks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from diagram_dsl.renderers.native.scene import Rect, TextLine, TextShape
from diagram_dsl.renderers.native.text import TextStyle, line_width, text_height, text_width
from diagram_dsl.renderers.native.theme import DEFAULT_METRICS, LayoutMetrics, Theme

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Styles:
    theme: Theme
    metrics: LayoutMetrics
    body: TextStyle
    head: TextStyle
    title: TextStyle
    small: TextStyle
    keyword: TextStyle
    guard: TextStyle
    number: TextStyle
    box_title: TextStyle

    @classmethod
    def from_theme(cls, theme: Theme, metrics: LayoutMetrics = DEFAULT_METRICS) -> Styles:
        def style(size: int, weight: int, color: str) -> TextStyle:
            return TextStyle(size, weight, color, round(size * theme.line_height_ratio))

        return cls(
            theme=theme,
            metrics=metrics,
            body=style(theme.body_size, theme.regular_weight, theme.ink),
            head=style(theme.body_size, 500, theme.ink),
            title=style(theme.title_size, theme.strong_weight, theme.ink),
            small=style(theme.small_size, theme.regular_weight, theme.ink),
            keyword=style(theme.small_size, 700, theme.ink),
            guard=style(theme.small_size, theme.regular_weight, theme.muted_ink),
            number=style(theme.small_size, 700, theme.number_ink),
            box_title=style(theme.small_size, theme.strong_weight, theme.ink),
        )


def text_block(lines: tuple[str, ...], x: float, top: float, style: TextStyle, role: str,
               align: Align = "left", owner: int | None = None) -> TextShape:
    """Lines stacked from ``top``; ``x`` is the left edge, the centre or the right edge per ``align``."""
    width = text_width(lines, style)
    left = x - width / 2 if align == "center" else x - width if align == "right" else x
    placed = []
    for index, line in enumerate(lines):
        line_w = line_width(line, style.size, style.weight)
        line_x = left + (width - line_w) / 2 if align == "center" else left + width - line_w if align == "right" \
            else left
        placed.append(TextLine(round(line_x, 2), round(top + index * style.line_height + style.baseline, 2), line,
                               line_w))
    return TextShape(Rect(left, top, width, text_height(lines, style)), tuple(placed), style, role, owner)
