"""The drawing surface contract. Canvases know pixels or markup; nothing else in the renderer does."""

from __future__ import annotations

import itertools
from typing import Protocol

from diagram_dsl.renderers.native.scene import Point, Rect, Stroke
from diagram_dsl.renderers.native.text import TextStyle


class Canvas(Protocol):
    def rect(self, rect: Rect, fill: str | None, stroke: Stroke | None, radius: float) -> None: ...

    def polyline(self, points: tuple[Point, ...], stroke: Stroke) -> None: ...

    def polygon(self, points: tuple[Point, ...], fill: str | None, stroke: Stroke | None) -> None: ...

    def ellipse(self, rect: Rect, fill: str | None, stroke: Stroke | None) -> None: ...

    def text(self, x: float, baseline: float, text: str, style: TextStyle, width: float) -> None:
        """One line of text, its left end at ``x``, its baseline at ``baseline``, ``width`` wide in the pinned font."""
        ...


def dash_segments(points: tuple[Point, ...], dash: tuple[float, ...]) -> list[tuple[Point, Point]]:
    """The 'on' pieces of a dashed polyline, the pattern continuing across corners."""
    pieces: list[tuple[Point, Point]] = []
    pattern_index, left_in_pattern, on = 0, dash[0], True
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        travelled = 0.0
        while travelled < length - 1e-9:
            step = min(left_in_pattern, length - travelled)
            if on:
                a, b = travelled / length, (travelled + step) / length
                pieces.append(((x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)))
            travelled += step
            left_in_pattern -= step
            if left_in_pattern <= 1e-9:
                pattern_index = (pattern_index + 1) % len(dash)
                left_in_pattern, on = dash[pattern_index], not on
    return pieces
