"""Arrow shafts and heads: solid requests with filled heads, dashed replies and async sends with open heads."""

from __future__ import annotations

import math

from diagram_dsl.model import MessageKind
from diagram_dsl.renderers.native.scene import EllipseShape, Point, PolygonShape, PolylineShape, Rect, Shape, Stroke
from diagram_dsl.renderers.native.theme import Theme

_FILLED = (MessageKind.REQUEST, MessageKind.CREATE, MessageKind.DESTROY, MessageKind.FOUND, MessageKind.SELF)


def arrow_shapes(kind: MessageKind, tail: Point, tip: Point, theme: Theme, lead: tuple[Point, ...] = ()
                 ) -> list[Shape]:
    """The shaft through ``lead`` + ``tail`` to ``tip`` and the head (or cross) at ``tip``."""
    dash = (5.0, 3.0) if kind is MessageKind.REPLY else ()
    stroke = Stroke(theme.ink, theme.stroke, dash)
    points = (*lead, tail, tip) if not lead or lead[-1] != tail else (*lead, tip)
    shapes: list[Shape] = [PolylineShape(points, stroke)]
    if kind is MessageKind.FOUND:
        radius = theme.found_dot / 2
        start = points[0]
        shapes.append(EllipseShape(Rect(start[0] - radius, start[1] - radius, 2 * radius, 2 * radius), theme.ink,
                                   None))
    if kind is MessageKind.LOST:
        shapes.extend(cross(tip[0], tip[1], theme.cross_size, theme.ink))
        return shapes
    dx, dy = tip[0] - tail[0], tip[1] - tail[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    back = (tip[0] - ux * theme.arrow_length, tip[1] - uy * theme.arrow_length)
    left = (round(back[0] - uy * theme.arrow_half_width, 3), round(back[1] + ux * theme.arrow_half_width, 3))
    right = (round(back[0] + uy * theme.arrow_half_width, 3), round(back[1] - ux * theme.arrow_half_width, 3))
    if kind in _FILLED:
        shapes.append(PolygonShape((left, tip, right), theme.ink, Stroke(theme.ink, theme.stroke)))
    else:
        shapes.append(PolylineShape((left, tip, right), Stroke(theme.ink, theme.stroke)))
    return shapes


def cross(x: float, y: float, size: float, color: str) -> list[Shape]:
    half = size / 2
    stroke = Stroke(color, 2.0)
    return [PolylineShape(((x - half, y - half), (x + half, y + half)), stroke),
            PolylineShape(((x - half, y + half), (x + half, y - half)), stroke)]
