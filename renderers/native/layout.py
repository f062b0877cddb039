"""Model ``Diagram`` -> ``Layout``: heads, lifelines, rows, boxes and title in logical units.

Four steps: ``steps`` flattens events and resolves activation bars, ``context`` measures
text, ``horizontal`` solves lifelines and frame edges, ``sequence`` walks rows with a
vertical cursor. This module adds what frames the rows (title, heads, lifelines,
participant boxes), hides lifelines under the texts that cross them, and moves
everything so the drawing starts at the margin. Layout never draws.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import math
import re
from collections.abc import Iterator, Mapping
from typing import assert_never

from diagram_dsl.model import Diagram
from diagram_dsl.renderers.base import Highlight, HighlightKey
from diagram_dsl.renderers.native.context import Context, measure_context
from diagram_dsl.renderers.native.heads import head_shapes
from diagram_dsl.renderers.native.horizontal import place_columns
from diagram_dsl.renderers.native.scene import (
    ArrowFact,
    BarFact,
    EllipseShape,
    FillFact,
    FragmentFact,
    Layout,
    LifelineFact,
    PlateFact,
    PolygonShape,
    PolylineShape,
    Rect,
    RectShape,
    Shape,
    Stroke,
    TextShape,
    shift_rect,
    shift_shape,
)
from diagram_dsl.renderers.native.sequence import Sequence, Sequencer
from diagram_dsl.renderers.native.styles import Styles, text_block
from diagram_dsl.renderers.native.text import text_height, text_width
from diagram_dsl.renderers.native.theme import DEFAULT_THEME, LayoutMetrics, Theme, user_fill
from diagram_dsl.renderers.native.tint import tinted
from diagram_dsl.renderers.native.wrapping import wrap

_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_OVER_LIFELINES = ("message", "number", "guard", "delay")  # texts with nothing but the canvas beneath them


def layout_diagram(diagram: Diagram, theme: Theme = DEFAULT_THEME, wrap_width: float = 260,
                   highlights: Mapping[HighlightKey, Highlight] | None = None) -> Layout:
    """``highlights``: message, participant or fragment -> the colour it is drawn in (``diagram-dsl diff``)."""
    with _cyclic_gc_paused():
        return _layout(diagram, theme, wrap_width, highlights or {})


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Layout makes thousands of small objects and no reference cycles; Python's cyclic collector would scan
    them, and every cache of the process, several times per diagram (a tenth of the layout's time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _layout(diagram: Diagram, theme: Theme, wrap_width: float, highlights: Mapping[HighlightKey, Highlight]
            ) -> Layout:
    styles = Styles.from_theme(theme)
    m = styles.metrics
    context = measure_context(diagram, styles, wrap_width)
    place_columns(context)
    participants = diagram.participants
    background: list[Shape] = []
    foreground: list[Shape] = []
    y = 0.0
    if diagram.title and diagram.title.strip():
        lines = wrap(diagram.title, styles.title, max(wrap_width * 2, m.title_min_wrap))
        foreground.append(text_block(lines, _centre(context), y, styles.title, "title", align="center"))
        y += text_height(lines, styles.title) + m.title_gap
    box_titles = _box_titles(context)
    box_title_h = max((text_height(lines, styles.box_title) + m.box_title_pad for lines in box_titles.values()),
                      default=0.0)
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
    sequence = Sequencer(context, lifeline_top + m.first_row_gap, highlights).run()
    heads.extend(sequence.created_heads.items())
    # whole pixels: heads, lifelines and bars on the pixel grid draw the same in the PNG and the SVG
    footer_top = float(math.ceil(max(sequence.bottom, lifeline_top + m.first_row_gap) + m.footer_gap))
    bottom_band = 0.0
    for participant in participants:
        if participant.id in sequence.destroyed_at:
            continue
        size = context.heads[participant.id]
        foreground.extend(tinted(head_shapes(participant, size, context.x(participant.id), footer_top, styles),
                                 highlights.get(participant.id)))
        heads.append((participant.id, Rect(context.x(participant.id) - size.width / 2, footer_top, size.width,
                                           size.height)))
        bottom_band = max(bottom_band, size.height)
    lifelines = _lifelines(context, sequence, lifeline_top, footer_top)
    lifeline_shapes = _lifeline_shapes(lifelines, sequence.delays, theme, m)
    tints = _boxes(context, box_titles, heads_top - box_title_h, footer_top + bottom_band + m.box_pad, background)
    texts = [shape for shape in (*sequence.top, *sequence.frames) if isinstance(shape, TextShape)]
    knockouts = _knockouts(texts, lifelines, tints, theme.background, m)
    knockout_shapes: list[Shape] = [RectShape(k.rect, k.fill, None) for k in knockouts]
    bar_shapes: list[Shape] = [RectShape(bar.rect, theme.bar_fill, Stroke(theme.bar_stroke, theme.stroke))
                               for bar in sequence.bars]
    layers = [background, lifeline_shapes, knockout_shapes, sequence.frames, bar_shapes, foreground, sequence.top]
    bounds = _bounds([shape for layer in layers for shape in layer])
    dividers: list[Shape] = []
    for middle in sequence.dividers:
        for offset in (-m.divider_line_gap / 2, m.divider_line_gap / 2):
            dividers.append(PolylineShape(((bounds.x, middle + offset), (bounds.right, middle + offset)),
                                          Stroke(theme.fragment_stroke, theme.stroke)))
    shapes = [*background, *lifeline_shapes, *knockout_shapes, *sequence.frames, *bar_shapes, *dividers,
              *foreground, *sequence.top]
    facts = _Facts(sequence, tuple(sequence.bars), lifelines, heads, tuple(sequence.plates), knockouts, tints,
                   footer_top)
    return _translated(shapes, bounds, theme, m, facts)


def _centre(context: Context) -> float:
    if not context.count:
        return 0.0
    return (context.column_x(0) + context.column_x(context.count - 1)) / 2


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


def _lifeline_shapes(lifelines: list[LifelineFact], delays: list[tuple[float, float]], theme: Theme,
                     m: LayoutMetrics) -> list[Shape]:
    shapes: list[Shape] = []
    solid = Stroke(theme.lifeline, theme.stroke, m.lifeline_dash)
    dotted = Stroke(theme.muted_ink, theme.heavy_stroke, m.delay_dash)
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


def _box_span(context: Context, members: list[str]) -> tuple[float, float]:
    m = context.metrics
    left = min(context.x(pid) - context.heads[pid].width / 2 for pid in members) - m.box_pad
    right = max(context.x(pid) + context.heads[pid].width / 2 for pid in members) + m.box_pad
    return left, right


def _box_titles(context: Context) -> dict[str, tuple[str, ...]]:
    """Each participant box's title, wrapped to the box (the columns were spread for titles that fit no box)."""
    titles = {}
    for box in context.diagram.boxes:
        members = [p.id for p in context.diagram.participants if p.box == box.id]
        if members:
            left, right = _box_span(context, members)
            titles[box.id] = wrap(box.title, context.styles.box_title, max(right - left - 2 * context.metrics.box_pad,
                                                                            1.0))
    return titles


def _boxes(context: Context, titles: dict[str, tuple[str, ...]], top: float, bottom: float, shapes: list[Shape]
           ) -> tuple[FillFact, ...]:
    """Participant boxes drawn into ``shapes``; returns their tints (what lies beneath texts in them)."""
    theme, styles, m = context.styles.theme, context.styles, context.metrics
    tints = []
    for box in context.diagram.boxes:
        members = [p.id for p in context.diagram.participants if p.box == box.id]
        if not members:
            continue
        left, right = _box_span(context, members)
        fill = user_fill(theme, _colour(box.color)) or theme.box_fill
        rect = Rect(left, top, right - left, bottom - top)
        shapes.append(RectShape(rect, fill, Stroke(theme.box_stroke, theme.stroke), m.box_radius))
        tints.append(FillFact(rect, fill))
        lines = titles[box.id]
        if lines and text_width(lines, styles.box_title) > 0:
            shapes.append(text_block(lines, (left + right) / 2, top + m.box_title_pad / 2, styles.box_title, "box",
                                     align="center"))
    return tuple(tints)


def _knockouts(texts: list[TextShape], lifelines: list[LifelineFact], tints: tuple[FillFact, ...], background: str,
               m: LayoutMetrics) -> tuple[FillFact, ...]:
    """Under every text that crosses a lifeline, the lifeline hidden in the colour beneath it (box tint included),
    so PNG and SVG look the same and the text reads cleanly."""
    found = []
    half = m.knockout_half_width
    lines = sorted(lifelines, key=lambda line: line.x)
    xs = [line.x for line in lines]
    for text in texts:
        if text.role not in _OVER_LIFELINES or text.box.w <= 0:
            continue
        box = text.box
        for line in lines[bisect.bisect_right(xs, box.x):bisect.bisect_left(xs, box.right)]:
            top, bottom = max(box.y, line.top), min(box.bottom, line.bottom)
            if bottom > top:
                found.append(FillFact(Rect(line.x - half, top, 2 * half, bottom - top),
                                      _beneath(tints, line.x, (top + bottom) / 2, background)))
    return tuple(found)


def _beneath(tints: tuple[FillFact, ...], x: float, y: float, background: str) -> str:
    colour = background
    for tint in tints:
        if tint.rect.x <= x <= tint.rect.right and tint.rect.y <= y <= tint.rect.bottom:
            colour = tint.fill
    return colour


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
    if not shapes:
        return Rect(0, 0, 0, 0)
    # Edges gathered first and reduced once: min and max over a list are one C call each.
    lefts: list[float] = []
    rights: list[float] = []
    tops: list[float] = []
    bottoms: list[float] = []
    for shape in shapes:
        match shape:
            case RectShape() | EllipseShape():
                box = shape.rect
            case TextShape():
                box = shape.box
            case PolylineShape() | PolygonShape():
                xs, ys = zip(*shape.points, strict=True)  # the x and y columns, split in C
                lefts.append(min(xs))
                rights.append(max(xs))
                tops.append(min(ys))
                bottoms.append(max(ys))
                continue
            case _:
                assert_never(shape)
        lefts.append(box.x)
        rights.append(box.x + box.w)
        tops.append(box.y)
        bottoms.append(box.y + box.h)
    low_x, high_x, low_y, high_y = min(lefts), max(rights), min(tops), max(bottoms)
    return Rect(low_x, low_y, high_x - low_x, high_y - low_y)


class _Facts:
    def __init__(self, sequence: Sequence, bars: tuple[BarFact, ...], lifelines: list[LifelineFact],
                 heads: list[tuple[str, Rect]], plates: tuple[PlateFact, ...], knockouts: tuple[FillFact, ...],
                 tints: tuple[FillFact, ...], footer_top: float) -> None:
        self.sequence, self.bars, self.lifelines, self.heads = sequence, bars, lifelines, heads
        self.plates, self.knockouts, self.tints, self.footer_top = plates, knockouts, tints, footer_top


def _translated(shapes: list[Shape], bounds: Rect, theme: Theme, m: LayoutMetrics, facts: _Facts) -> Layout:
    # whole-pixel shifts keep the solver's whole-pixel columns on the pixel grid
    dx, dy = float(math.ceil(m.margin - bounds.x)), float(math.ceil(m.margin - bounds.y))
    sequence = facts.sequence
    return Layout(
        width=float(math.ceil(bounds.right + dx + m.margin - 1e-6)),
        height=float(math.ceil(bounds.bottom + dy + m.margin - 1e-6)),
        background=theme.background,
        shapes=tuple([shift_shape(shape, dx, dy) for shape in shapes]),
        arrows=tuple(ArrowFact(a.message_id, a.kind, a.sender, a.receiver, (a.start[0] + dx, a.start[1] + dy),
                               (a.end[0] + dx, a.end[1] + dy)) for a in sequence.arrows),
        bars=tuple(BarFact(b.participant, shift_rect(b.rect, dx, dy), b.explicit) for b in facts.bars),
        lifelines=tuple(LifelineFact(f.participant, f.x + dx, f.top + dy, f.bottom + dy) for f in facts.lifelines),
        fragments=tuple(FragmentFact(f.kind, shift_rect(f.rect, dx, dy), f.message_ids, f.depth,
                                     tuple(y + dy for y in f.separators)) for f in sequence.fragments),
        heads=tuple((pid, shift_rect(rect, dx, dy)) for pid, rect in facts.heads),
        plates=tuple(PlateFact(p.kind, shift_rect(p.rect, dx, dy)) for p in facts.plates),
        knockouts=tuple(FillFact(shift_rect(k.rect, dx, dy), k.fill) for k in facts.knockouts),
        tints=tuple(FillFact(shift_rect(t.rect, dx, dy), t.fill) for t in facts.tints),
        footer_top=facts.footer_top + dy,
    )
