"""Model ``Diagram`` -> ``Layout``: heads, lifelines, rows, boxes and title in logical units.

Three steps: ``plan`` flattens events and resolves activation depths, ``context``
measures text and solves columns, ``sequence`` walks rows with a vertical
cursor. This module adds what frames the rows and moves everything so the
drawing starts at the margin. Layout never draws.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from diagram_dsl.model import Diagram
from diagram_dsl.renderers.base import Highlight, HighlightKey
from diagram_dsl.renderers.native.context import Context, build_context
from diagram_dsl.renderers.native.heads import head_shapes
from diagram_dsl.renderers.native.scene import (
    ArrowFact,
    BarFact,
    FragmentFact,
    Layout,
    LifelineFact,
    PolylineShape,
    Rect,
    RectShape,
    Shape,
    Stroke,
    shape_bounds,
    shift_rect,
    shift_shape,
)
from diagram_dsl.renderers.native.sequence import Sequence, Sequencer
from diagram_dsl.renderers.native.styles import Styles, text_block
from diagram_dsl.renderers.native.text import text_height, text_width, wrap
from diagram_dsl.renderers.native.theme import DEFAULT_THEME, Theme, user_fill
from diagram_dsl.renderers.native.tint import tinted

_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_LIFELINE_DASH = (5.0, 4.0)
_DELAY_DASH = (2.0, 3.0)


def layout_diagram(diagram: Diagram, theme: Theme = DEFAULT_THEME, wrap_width: float = 260,
                   highlights: Mapping[HighlightKey, Highlight] | None = None) -> Layout:
    """``highlights``: message, participant or fragment -> the colour it is drawn in (``diagram-dsl diff``)."""
    highlights = highlights or {}
    styles = Styles.from_theme(theme)
    context = build_context(diagram, styles, wrap_width)
    participants = diagram.participants
    background: list[Shape] = []
    foreground: list[Shape] = []
    y = 0.0
    if diagram.title and diagram.title.strip():
        lines = wrap(diagram.title, styles.title, max(wrap_width * 2, 400))
        centre = _centre(context)
        foreground.append(text_block(lines, centre, y, styles.title, "title", align="center"))
        y += text_height(lines, styles.title) + theme.title_gap
    box_title_h = max((text_height(wrap(box.title, styles.box_title, wrap_width), styles.box_title) + 6
                       for box in diagram.boxes), default=0.0)
    heads_top = y + box_title_h
    band = max((context.heads[p.id].height for p in participants if p.id not in context.plan.created), default=0.0)
    heads: list[tuple[str, Rect]] = []
    for participant in participants:
        if participant.id in context.plan.created:
            continue
        size = context.heads[participant.id]
        top = heads_top + band - size.height
        foreground.extend(tinted(head_shapes(participant, size, context.x(participant.id), top, styles),
                                 highlights.get(participant.id)))
        heads.append((participant.id, Rect(context.x(participant.id) - size.width / 2, top, size.width, size.height)))
    lifeline_top = heads_top + band
    sequence = Sequencer(context, lifeline_top + 14, highlights).run()
    heads.extend(sequence.created_heads.items())
    bottom_top = sequence.bottom + 6
    bottom_band = 0.0
    for participant in participants:
        if participant.id in sequence.destroyed_at:
            continue
        size = context.heads[participant.id]
        foreground.extend(tinted(head_shapes(participant, size, context.x(participant.id), bottom_top, styles),
                                 highlights.get(participant.id)))
        heads.append((participant.id, Rect(context.x(participant.id) - size.width / 2, bottom_top, size.width,
                                           size.height)))
        bottom_band = max(bottom_band, size.height)
    lifelines = _lifelines(context, sequence, lifeline_top, bottom_top)
    lifeline_shapes = _lifeline_shapes(lifelines, sequence.delays, theme)
    bars = sorted(sequence.bars, key=lambda bar: (bar.rect.x, bar.rect.y, bar.participant))
    bar_shapes: list[Shape] = [RectShape(bar.rect, theme.bar_fill, Stroke(theme.bar_stroke, theme.stroke))
                               for bar in bars]
    background.extend(_boxes(context, heads, heads_top - box_title_h, bottom_top + bottom_band + theme.box_pad))
    shapes = [*background, *lifeline_shapes, *sequence.frames, *bar_shapes, *foreground, *sequence.top]
    bounds = _bounds(shapes)
    dividers: list[Shape] = []
    for middle in sequence.dividers:
        for offset in (-1.5, 1.5):
            dividers.append(PolylineShape(((bounds.x, middle + offset), (bounds.right, middle + offset)),
                                          Stroke(theme.fragment_stroke, theme.stroke)))
    shapes = [*background, *lifeline_shapes, *sequence.frames, *bar_shapes, *dividers, *foreground, *sequence.top]
    return _translated(shapes, bounds, theme, sequence, tuple(bars), lifelines, heads)


def _centre(context: Context) -> float:
    return (context.positions[1] + context.positions[len(context.diagram.participants)]) / 2


def _lifelines(context: Context, sequence: Sequence, top: float, bottom: float) -> list[LifelineFact]:
    facts = []
    for participant in context.diagram.participants:
        start = top
        created = sequence.created_heads.get(participant.id)
        if created is not None:
            start = created.bottom
        end = sequence.destroyed_at.get(participant.id, bottom)
        facts.append(LifelineFact(participant.id, context.x(participant.id), start, max(start, end)))
    return facts


def _lifeline_shapes(lifelines: list[LifelineFact], delays: list[tuple[float, float]], theme: Theme) -> list[Shape]:
    shapes: list[Shape] = []
    solid = Stroke(theme.lifeline, theme.stroke, _LIFELINE_DASH)
    dotted = Stroke(theme.muted_ink, theme.heavy_stroke, _DELAY_DASH)
    for line in lifelines:
        cursor = line.top
        for start, end in delays:
            if end <= cursor or start >= line.bottom:
                continue
            if start > cursor:
                shapes.append(PolylineShape(((line.x, cursor), (line.x, start)), solid))
            stop = min(end, line.bottom)
            shapes.append(PolylineShape(((line.x, max(start, cursor)), (line.x, stop)), dotted))
            cursor = stop
        if line.bottom > cursor:
            shapes.append(PolylineShape(((line.x, cursor), (line.x, line.bottom)), solid))
    return shapes


def _boxes(context: Context, heads: list[tuple[str, Rect]], top: float, bottom: float) -> list[Shape]:
    theme, styles = context.styles.theme, context.styles
    shapes: list[Shape] = []
    for box in context.diagram.boxes:
        members = {p.id for p in context.diagram.participants if p.box == box.id}
        rects = [rect for pid, rect in heads if pid in members]
        if not rects:
            continue
        left = min(r.x for r in rects) - theme.box_pad
        right = max(r.right for r in rects) + theme.box_pad
        fill = user_fill(theme, _colour(box.color)) or theme.box_fill
        shapes.append(RectShape(Rect(left, top, right - left, bottom - top), fill,
                                Stroke(theme.box_stroke, theme.stroke), 4.0))
        lines = wrap(box.title, styles.box_title, context.wrap_width)
        if lines and text_width(lines, styles.box_title) > 0:
            shapes.append(text_block(lines, (left + right) / 2, top + 3, styles.box_title, "box", align="center"))
    return shapes


def _colour(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if _HEX_COLOUR.fullmatch(value):
        return value.upper()
    if _HEX_COLOUR.fullmatch("#" + value.lstrip("#")):
        return "#" + value.lstrip("#").upper()
    return None


def _bounds(shapes: list[Shape]) -> Rect:
    bounds = shape_bounds(shapes[0]) if shapes else Rect(0, 0, 0, 0)
    for shape in shapes[1:]:
        bounds = bounds.union(shape_bounds(shape))
    return bounds


def _translated(shapes: list[Shape], bounds: Rect, theme: Theme, sequence: Sequence, bars: tuple[BarFact, ...],
                lifelines: list[LifelineFact], heads: list[tuple[str, Rect]]) -> Layout:
    dx, dy = theme.margin - bounds.x, theme.margin - bounds.y
    return Layout(
        width=float(round(bounds.w + 2 * theme.margin + 0.4999)),
        height=float(round(bounds.h + 2 * theme.margin + 0.4999)),
        background=theme.background,
        shapes=tuple(shift_shape(shape, dx, dy) for shape in shapes),
        arrows=tuple(ArrowFact(a.message_id, a.kind, a.sender, a.receiver, (a.start[0] + dx, a.start[1] + dy),
                               (a.end[0] + dx, a.end[1] + dy)) for a in sequence.arrows),
        bars=tuple(BarFact(b.participant, shift_rect(b.rect, dx, dy)) for b in bars),
        lifelines=tuple(LifelineFact(f.participant, f.x + dx, f.top + dy, f.bottom + dy) for f in lifelines),
        fragments=tuple(FragmentFact(f.kind, shift_rect(f.rect, dx, dy), f.message_ids, f.depth)
                        for f in sequence.fragments),
        heads=tuple((pid, shift_rect(rect, dx, dy)) for pid, rect in heads),
    )
