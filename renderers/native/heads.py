"""Participant heads: one distinct shape per kind, measured and drawn as primitives."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from diagram_dsl.model import Participant, ParticipantKind
from diagram_dsl.renderers.native.scene import (
    EllipseShape,
    Point,
    PolygonShape,
    PolylineShape,
    Rect,
    RectShape,
    Shape,
    Stroke,
)
from diagram_dsl.renderers.native.styles import Styles, text_block
from diagram_dsl.renderers.native.text import text_height, text_width
from diagram_dsl.renderers.native.wrapping import wrap

_GLYPH_KINDS = (ParticipantKind.ACTOR, ParticipantKind.BOUNDARY, ParticipantKind.CONTROL, ParticipantKind.ENTITY)
_CYLINDER_CAP = 6.0  # half-height of a database cap, half-width of a queue cap
_STACK_OFFSET = 4.0  # how far the back card of a collections head peeks out


@dataclass(frozen=True)
class HeadSize:
    width: float
    height: float
    lines: tuple[str, ...]
    label_width: float


def measure_head(participant: Participant, styles: Styles, wrap_width: float) -> HeadSize:
    m = styles.metrics
    lines = wrap(participant.label, styles.head, wrap_width)
    label_w, label_h = text_width(lines, styles.head), text_height(lines, styles.head)
    kind = participant.kind
    if kind in _GLYPH_KINDS:
        glyph_h = m.actor_height if kind is ParticipantKind.ACTOR else m.glyph_size
        glyph_w = m.glyph_size + (10.0 if kind is ParticipantKind.BOUNDARY else 0.0)
        return HeadSize(max(label_w, glyph_w), glyph_h + m.glyph_label_gap + label_h, lines, label_w)
    width = max(label_w + 2 * m.head_pad_x, m.head_min_width)
    height = label_h + 2 * m.head_pad_y
    if kind is ParticipantKind.DATABASE:
        height += 2 * _CYLINDER_CAP
    elif kind is ParticipantKind.QUEUE:
        width += 2 * _CYLINDER_CAP
    elif kind is ParticipantKind.COLLECTIONS:
        width += _STACK_OFFSET
        height += _STACK_OFFSET
    return HeadSize(width, height, lines, label_w)


def head_shapes(participant: Participant, size: HeadSize, cx: float, top: float, styles: Styles
                ) -> list[Shape]:
    """The head of ``participant`` with its outline box at (cx - width/2, top)."""
    theme, m = styles.theme, styles.metrics
    fill, stroke = theme.head_fill, Stroke(theme.head_stroke, theme.heavy_stroke)
    box = Rect(cx - size.width / 2, top, size.width, size.height)
    label_h = text_height(size.lines, styles.head)
    kind = participant.kind
    if kind in _GLYPH_KINDS:
        glyph_bottom = box.bottom - label_h - m.glyph_label_gap
        shapes = _glyph(kind, cx, glyph_bottom, fill, stroke, m.glyph_size, m.actor_height)
        shapes.append(text_block(size.lines, cx, glyph_bottom + m.glyph_label_gap, styles.head, "head",
                                 align="center"))
        return shapes
    shapes = []
    label_top = box.y + m.head_pad_y
    label_cx = cx
    if kind is ParticipantKind.DATABASE:
        shapes.extend(_cylinder(box, fill, stroke))
        label_top += 2 * _CYLINDER_CAP
    elif kind is ParticipantKind.QUEUE:
        shapes.extend(_queue(box, fill, stroke))
        label_cx -= _CYLINDER_CAP
    elif kind is ParticipantKind.COLLECTIONS:
        back = Rect(box.x + _STACK_OFFSET, box.y, box.w - _STACK_OFFSET, box.h - _STACK_OFFSET)
        front = Rect(box.x, box.y + _STACK_OFFSET, box.w - _STACK_OFFSET, box.h - _STACK_OFFSET)
        shapes.append(RectShape(back, fill, stroke, 3.0))
        shapes.append(RectShape(front, fill, stroke, 3.0))
        label_top += _STACK_OFFSET
        label_cx -= _STACK_OFFSET / 2
    else:
        shapes.append(RectShape(box, fill, stroke, 4.0))
    shapes.append(text_block(size.lines, label_cx, label_top, styles.head, "head", align="center"))
    return shapes


def arc(cx: float, cy: float, rx: float, ry: float, start_deg: float, end_deg: float, steps: int = 16
        ) -> tuple[Point, ...]:
    """Points along an ellipse arc (angles in degrees, y grows downwards)."""
    return tuple([(round(cx + dx, 3), round(cy + dy, 3)) for dx, dy in _arc_offsets(rx, ry, start_deg, end_deg, steps)])


@functools.lru_cache(maxsize=256)
def _arc_offsets(rx: float, ry: float, start_deg: float, end_deg: float, steps: int) -> tuple[Point, ...]:
    """Each point's offset from the centre: every head of a kind and size has the same ones (top and bottom)."""
    offsets = []
    for index in range(steps + 1):
        angle = math.radians(start_deg + (end_deg - start_deg) * index / steps)
        offsets.append((rx * math.cos(angle), ry * math.sin(angle)))
    return tuple(offsets)


def _cylinder(box: Rect, fill: str, stroke: Stroke) -> list[Shape]:
    rx, ry = box.w / 2, _CYLINDER_CAP
    cx = box.x + rx
    top, bottom = box.y + ry, box.bottom - ry
    body = (*arc(cx, top, rx, ry, 180, 360), *arc(cx, bottom, rx, ry, 0, 180))
    return [PolygonShape(body, fill, stroke), EllipseShape(Rect(box.x, box.y, box.w, 2 * ry), fill, stroke)]


def _queue(box: Rect, fill: str, stroke: Stroke) -> list[Shape]:
    rx, ry = _CYLINDER_CAP, box.h / 2
    cy = box.y + ry
    left, right = box.x + rx, box.right - rx
    body = (*arc(right, cy, rx, ry, 270, 450), *arc(left, cy, rx, ry, 90, 270))
    return [PolygonShape(body, fill, stroke), EllipseShape(Rect(right - rx, box.y, 2 * rx, box.h), fill, stroke)]


def _glyph(kind: ParticipantKind, cx: float, bottom: float, fill: str, stroke: Stroke, size: float,
           actor_height: float) -> list[Shape]:
    r = size / 2
    if kind is ParticipantKind.ACTOR:
        top = bottom - actor_height
        head_r = 5.5
        neck, hips = top + 2 * head_r, bottom - 12
        return [
            EllipseShape(Rect(cx - head_r, top, 2 * head_r, 2 * head_r), fill, stroke),
            PolylineShape(((cx, neck), (cx, hips)), stroke),
            PolylineShape(((cx - 10, neck + 6), (cx + 10, neck + 6)), stroke),
            PolylineShape(((cx - 9, bottom), (cx, hips), (cx + 9, bottom)), stroke),
        ]
    circle = Rect(cx - r, bottom - size, size, size)
    if kind is ParticipantKind.BOUNDARY:
        circle = Rect(cx - r + 5, bottom - size, size, size)
        bar_x = circle.x - 10
        return [
            PolylineShape(((bar_x, circle.y + 2), (bar_x, circle.bottom - 2)), stroke),
            PolylineShape(((bar_x, circle.y + r), (circle.x, circle.y + r)), stroke),
            EllipseShape(circle, fill, stroke),
        ]
    if kind is ParticipantKind.CONTROL:
        tip = (cx + 1, circle.y)
        return [
            EllipseShape(circle, fill, stroke),
            PolygonShape(((tip[0] + 5, tip[1] - 4.5), tip, (tip[0] + 5, tip[1] + 4.5)), stroke.color, stroke),
        ]
    return [
        EllipseShape(circle, fill, stroke),
        PolylineShape(((circle.x + 2, circle.bottom + 1), (circle.right - 2, circle.bottom + 1)), stroke),
    ]
