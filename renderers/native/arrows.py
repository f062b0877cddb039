"""Arrow shafts and heads: solid requests with filled heads, dashed replies and async sends with open heads."""

from __future__ import annotations

import math

from diagram_dsl.model import MessageKind
from diagram_dsl.renderers.native.scene import EllipseShape, Point, PolygonShape, PolylineShape, Rect, Shape, Stroke
from diagram_dsl.renderers.native.styles import Styles

_FILLED = (MessageKind.REQUEST, MessageKind.CREATE, MessageKind.DESTROY, MessageKind.FOUND, MessageKind.SELF,
           MessageKind.LOST)


def arrow_shapes(kind: MessageKind, tail: Point, tip: Point, styles: Styles, lead: tuple[Point, ...] = (),
                 end_dot: bool = False) -> list[Shape]:
    """The shaft through ``lead`` + ``tail`` to ``tip`` and the head at ``tip``.

    A found message starts at a filled dot; a lost one ends in a cross before its target,
    or (``end_dot``, lost to nowhere) in a head touching a filled dot, as in UML.
    """
    theme, m = styles.theme, styles.metrics
    stroke = Stroke(theme.ink, theme.stroke, m.reply_dash if kind is MessageKind.REPLY else ())
    points = (*lead, tail, tip) if not lead or lead[-1] != tail else (*lead, tip)
    shapes: list[Shape] = [PolylineShape(points, stroke)]
    if kind is MessageKind.FOUND:
        shapes.append(_dot(points[0], m.found_dot, theme.ink))
    if kind is MessageKind.LOST and not end_dot:
        shapes.extend(cross(tip[0], tip[1], m.cross_size, theme.ink))
        return shapes
    dx, dy = tip[0] - tail[0], tip[1] - tail[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    back = (tip[0] - ux * m.arrow_length, tip[1] - uy * m.arrow_length)
    left = (round(back[0] - uy * m.arrow_half_width, 3), round(back[1] + ux * m.arrow_half_width, 3))
    right = (round(back[0] + uy * m.arrow_half_width, 3), round(back[1] - ux * m.arrow_half_width, 3))
    if kind in _FILLED:
        shapes.append(PolygonShape((left, tip, right), theme.ink, Stroke(theme.ink, theme.stroke)))
    else:
        shapes.append(PolylineShape((left, tip, right), Stroke(theme.ink, theme.stroke)))
    if end_dot:
        radius = m.found_dot / 2
        shapes.append(_dot((tip[0] + ux * radius, tip[1] + uy * radius), m.found_dot, theme.ink))
    return shapes


def _dot(centre: Point, size: float, colour: str) -> EllipseShape:
    radius = size / 2
    return EllipseShape(Rect(centre[0] - radius, centre[1] - radius, size, size), colour, None)


def cross(x: float, y: float, size: float, color: str) -> list[Shape]:
    half = size / 2
    stroke = Stroke(color, 2.0)
    return [PolylineShape(((x - half, y - half), (x + half, y + half)), stroke),
            PolylineShape(((x - half, y + half), (x + half, y - half)), stroke)]
