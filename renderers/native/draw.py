"""Walks a ``Layout`` in paint order and calls a ``Canvas``."""

from __future__ import annotations

from diagram_dsl.renderers.native.canvas import Canvas
from diagram_dsl.renderers.native.scene import EllipseShape, Layout, PolygonShape, PolylineShape, RectShape, TextShape


def draw(layout: Layout, canvas: Canvas) -> None:
    for shape in layout.shapes:
        if isinstance(shape, RectShape):
            canvas.rect(shape.rect, shape.fill, shape.stroke, shape.radius)
        elif isinstance(shape, PolylineShape):
            canvas.polyline(shape.points, shape.stroke)
        elif isinstance(shape, PolygonShape):
            canvas.polygon(shape.points, shape.fill, shape.stroke)
        elif isinstance(shape, EllipseShape):
            canvas.ellipse(shape.rect, shape.fill, shape.stroke)
        elif isinstance(shape, TextShape):
            for line in shape.lines:
                if line.text:
                    canvas.text(line.x, line.baseline, line.text, shape.style, line.width)
