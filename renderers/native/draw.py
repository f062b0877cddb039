"""Walks a ``Layout`` in paint order and calls a ``Canvas``."""

from __future__ import annotations

from typing import assert_never

from diagram_dsl.renderers.native.canvas import Canvas
from diagram_dsl.renderers.native.scene import EllipseShape, Layout, PolygonShape, PolylineShape, RectShape, TextShape


def draw(layout: Layout, canvas: Canvas) -> None:
    for shape in layout.shapes:
        # cases in the order of how common they are (lines, then labels): each case is an isinstance test
        match shape:
            case PolylineShape():
                canvas.polyline(shape.points, shape.stroke)
            case TextShape():
                for line in shape.lines:
                    if line.text:
                        canvas.text(line.x, line.baseline, line.text, shape.style, line.width)
            case RectShape():
                canvas.rect(shape.rect, shape.fill, shape.stroke, shape.radius)
            case PolygonShape():
                canvas.polygon(shape.points, shape.fill, shape.stroke)
            case EllipseShape():
                canvas.ellipse(shape.rect, shape.fill, shape.stroke)
            case _:
                assert_never(shape)
