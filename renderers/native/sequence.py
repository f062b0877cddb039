"""Second layout pass: a vertical cursor walks the plan and places every row.

Columns and frame edges are already solved, so each row only needs its height. As in
Mermaid's bounds model, open fragments form a stack; a frame gets its bottom when it
closes. Bars are drawn last, from the plan's bar spans and the rows their ends fell on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import assert_never

from diagram_dsl.model import Delay, Divider, MessageKind, Note, NotePosition, Reference, Space
from diagram_dsl.renderers.base import Highlight, HighlightKey
from diagram_dsl.renderers.native.arrows import arrow_shapes, cross
from diagram_dsl.renderers.native.context import Context, Label
from diagram_dsl.renderers.native.fragments import FragmentDraft, close_fragment, open_fragment, start_branch
from diagram_dsl.renderers.native.freespace import bar_intervals, free_spans, nearest_fit, widest
from diagram_dsl.renderers.native.heads import head_shapes
from diagram_dsl.renderers.native.horizontal import reference_width, widened
from diagram_dsl.renderers.native.scene import (
    ArrowFact,
    BarFact,
    FragmentFact,
    PlateFact,
    Point,
    PolygonShape,
    PolylineShape,
    Rect,
    RectShape,
    Shape,
    Stroke,
)
from diagram_dsl.renderers.native.steps import (
    BarSpan,
    BarStep,
    BranchStart,
    DecorationStep,
    FragmentClose,
    FragmentOpen,
    MessageStep,
)
from diagram_dsl.renderers.native.styles import text_block
from diagram_dsl.renderers.native.tabs import tab_shapes
from diagram_dsl.renderers.native.text import text_width
from diagram_dsl.renderers.native.tint import tinted
from diagram_dsl.renderers.native.wrapping import wrap


@dataclass
class Sequence:
    """What the vertical pass produced, by paint layer, and the facts tests check."""

    frames: list[Shape] = field(default_factory=list)  # frames and separators: under the bars
    top: list[Shape] = field(default_factory=list)  # everything drawn over the bars
    arrows: list[ArrowFact] = field(default_factory=list)
    bars: list[BarFact] = field(default_factory=list)
    fragments: list[FragmentFact] = field(default_factory=list)
    plates: list[PlateFact] = field(default_factory=list)
    delays: list[tuple[float, float]] = field(default_factory=list)
    dividers: list[float] = field(default_factory=list)
    created_heads: dict[str, Rect] = field(default_factory=dict)
    destroyed_at: dict[str, float] = field(default_factory=dict)
    bottom: float = 0.0  # lowest point of anything placed


@dataclass(frozen=True)
class _Row:
    """One message's row: where its label's top is and where its arrow runs."""

    top: float
    arrow: float


class Sequencer:
    def __init__(self, context: Context, top: float, highlights: Mapping[HighlightKey, Highlight] | None = None
                 ) -> None:
        self.c = context
        self.highlights = highlights or {}
        self.m = context.metrics
        self.theme = context.styles.theme
        self.y = top
        self.out = Sequence(bottom=top)
        self.stack: list[FragmentDraft] = []
        self.anchors: dict[int, float] = {}  # step index -> y where bars open or close at that step
        self.bar_starts: dict[tuple[int, str], float] = {}  # a bar starting below a created head
        self.last_bar_event = float("-inf")
        self.last_frame_edge = float("-inf")
        self.ending: dict[int, list[BarSpan]] = {}  # step index -> the bars that end there
        for span in context.plan.bars:
            if span.end is not None:
                self.ending.setdefault(span.end, []).append(span)

    def run(self) -> Sequence:
        for index, step in enumerate(self.c.plan.steps):
            match step:
                case MessageStep():
                    first = len(self.out.top)
                    self.message(index, step)
                    self.out.top[first:] = tinted(self.out.top[first:], self.highlights.get(step.message.id))
                case BarStep():
                    self.bar_step(index, step)
                case FragmentOpen():
                    with self._tinting(("fragment", step.frame)):
                        self.open_fragment(step)
                case BranchStart():
                    with self._tinting(("fragment", step.frame)):
                        self.y = start_branch(self.c, self.stack[-1], step, self.y + self.m.separator_gap,
                                              self.out.frames, self.out.top)
                case FragmentClose():
                    with self._tinting(("fragment", step.frame)):
                        self.close_fragment()
                case DecorationStep():
                    self.decoration(index, step)
                case _:
                    assert_never(step)
        self._bars()
        return self.out

    @contextmanager
    def _tinting(self, key: HighlightKey) -> Iterator[None]:
        """Draw what the body adds to the frame and top layers in ``key``'s highlight colour, if it has one
        (fragments are numbered in document order, as their frames are)."""
        frames, top = len(self.out.frames), len(self.out.top)
        yield
        highlight = self.highlights.get(key)
        if highlight is not None:
            self.out.frames[frames:] = tinted(self.out.frames[frames:], highlight)
            self.out.top[top:] = tinted(self.out.top[top:], highlight)

    def _grow(self, bottom: float) -> None:
        self.out.bottom = max(self.out.bottom, bottom)

    # -- bars -------------------------------------------------------------------------------------

    def _bar_event(self, index: int, y: float, changes: bool) -> None:
        self.anchors[index] = y
        if changes:
            self.last_bar_event = max(self.last_bar_event, y, self._shortest_end(index, y))

    def _shortest_end(self, index: int, y: float) -> float:
        """Where the bars ending at this step really end: none is shorter than ``bar_min_height``."""
        starts = [self._start(span.start, span.participant) for span in self.ending.get(index, ())]
        return max((start + self.m.bar_min_height for start in starts), default=y)

    def _start(self, index: int, participant: str) -> float:
        return self.bar_starts.get((index, participant), self.anchors.get(index, self.y))

    def _bars(self) -> None:
        m = self.m
        end_of_rows = self.out.bottom + max(m.tail, m.frame_clearance)
        for span in self.c.plan.bars:
            top = self.bar_starts.get((span.start, span.participant), self.anchors.get(span.start, end_of_rows))
            bottom = end_of_rows if span.end is None else max(self.anchors.get(span.end, end_of_rows), top)
            centre = self.c.x(span.participant) + (span.level - 1) * m.bar_nest_offset
            rect = Rect(centre - m.bar_width / 2, top, m.bar_width, max(bottom - top, m.bar_min_height))
            self.out.bars.append(BarFact(span.participant, rect, span.explicit))
            self._grow(rect.bottom)

    def bar_step(self, index: int, step: BarStep) -> None:
        changes = bool(step.opens or step.closes)
        if changes:
            self.y = max(self.y, self.last_frame_edge + self.m.frame_clearance)
            if step.opens:
                self.anchors[index] = self.y
            self.y = max(self.y, self._shortest_end(index, self.y))
        self._bar_event(index, self.y, changes)
        if step.destroys is not None:
            size = self.m.cross_size
            centre = self.y + size / 2
            self.out.top.extend(cross(self.c.x(step.destroys), centre, size, self.theme.destroy_ink))
            self.out.destroyed_at[step.destroys] = centre
            self._grow(self.y + size)
            self.y += size + self.m.row_gap

    # -- fragments --------------------------------------------------------------------------------

    def open_fragment(self, step: FragmentOpen) -> None:
        top = max(self.y + self.m.frame_gap, self.last_bar_event + self.m.frame_clearance)
        draft = open_fragment(self.c, step, top, self.out.top, self.out.plates)
        self.stack.append(draft)
        self.last_frame_edge = top
        self.y = draft.body_top

    def close_fragment(self) -> None:
        m = self.m
        draft = self.stack.pop()
        bottom = max(self.y + m.frame_bottom_pad, self.last_bar_event + m.frame_clearance)
        fact = close_fragment(self.c, draft, bottom, self.out.frames)
        self.out.fragments.append(fact)
        if self.stack:
            self.stack[-1].message_ids.extend(draft.message_ids)
        self.last_frame_edge = bottom
        self._grow(bottom)
        self.y = bottom + m.frame_gap

    def _include(self, message_id: int) -> None:
        if self.stack:
            self.stack[-1].message_ids.append(message_id)

    # -- messages ---------------------------------------------------------------------------------

    def message(self, index: int, step: MessageStep) -> None:
        columns = self.c.plan.columns
        sender, receiver = step.message.sender, step.message.receiver
        known_sender = sender is not None and sender in columns
        known_receiver = receiver is not None and receiver in columns
        if known_sender and sender == receiver:
            self.self_message(index, step)
        elif known_sender and known_receiver:
            self.between(index, step)
        elif known_receiver:
            self.found(index, step)
        elif known_sender:
            self.lost(index, step)
        else:
            self._bar_event(index, self.y, False)

    def _row(self, label: Label, lift: float = 0.0) -> _Row:
        m = self.m
        arrow = self.y + (label.height + m.label_gap if label.height else m.empty_label_lift)
        return _Row(self.y, max(arrow, self.y + lift))

    def _arrow(self, step: MessageStep, tail: Point, tip: Point, lead: tuple[Point, ...] = (),
               end_dot: bool = False) -> None:
        message = step.message
        self.out.top.extend(arrow_shapes(message.kind, tail, tip, self.c.styles, lead, end_dot))
        start = lead[0] if lead else tail
        self.out.arrows.append(ArrowFact(message.id, message.kind.value, message.sender, message.receiver, start, tip))
        self._include(message.id)

    def _label(self, label: Label, left: float, top: float, owner: int) -> None:
        styles = self.c.styles
        x = left
        if label.number is not None:
            self.out.top.append(text_block((label.number,), x, top, styles.number, "number", owner=owner))
            x += label.number_width + self.m.number_gap
        if label.lines:
            self.out.top.append(text_block(label.lines, x, top, styles.body, "message", owner=owner))
        self._grow(top + label.height)

    def _centred_label(self, index: int, label: Label, row: _Row, owner: int) -> None:
        low, high = self.c.span(self.c.slots[index])
        self._label(label, (low + high) / 2 - label.width / 2, row.arrow - self.m.label_gap - label.height,
                    owner)

    def between(self, index: int, step: MessageStep) -> None:
        c, m = self.c, self.m
        message = step.message
        sender, receiver = message.sender or "", message.receiver or ""
        label = c.labels[index]
        rightward = c.x(receiver) > c.x(sender)
        direction = 1.0 if rightward else -1.0
        start = c.edge(sender, step.sender_depth, rightward)
        creates = message.kind is MessageKind.CREATE
        head = c.heads[receiver] if creates else None
        row = self._row(label, head.height / 2 if head is not None else 0.0)
        if head is not None:
            end = c.x(receiver) - direction * head.width / 2
        else:
            end = c.edge(receiver, step.receiver_depth, not rightward)
            if message.kind is MessageKind.LOST:
                end -= direction * m.lost_gap
            elif message.kind is MessageKind.DESTROY and step.receiver_depth == 0:
                end -= direction * (m.cross_size / 2 + m.cross_stop)  # the head stops at the cross, not inside it
        self._arrow(step, (start, row.arrow), (end, row.arrow))
        self._centred_label(index, label, row, message.id)
        bottom = row.arrow + m.arrow_half_width
        if head is not None:
            created = c.diagram.participant(receiver)
            head_rect = Rect(c.x(receiver) - head.width / 2, row.arrow - head.height / 2, head.width, head.height)
            if created is not None:
                self.out.top.extend(head_shapes(created, head, c.x(receiver), head_rect.y, c.styles))
            self.out.created_heads[receiver] = head_rect
            self.bar_starts[(index, receiver)] = head_rect.bottom
            bottom = head_rect.bottom
        if message.kind is MessageKind.DESTROY:
            self.out.top.extend(cross(c.x(receiver), row.arrow, m.cross_size, self.theme.destroy_ink))
            self.out.destroyed_at[receiver] = row.arrow
        self._bar_event(index, row.arrow, bool(step.opens or step.closes))
        self._grow(bottom)
        self.y = max(bottom - m.arrow_half_width, row.arrow) + m.row_gap

    def self_message(self, index: int, step: MessageStep) -> None:
        c, m = self.c, self.m
        participant = step.message.sender or ""
        label = c.labels[index]
        line = c.styles.body.line_height
        y_out = self.y + (min(label.height, line) / 2 if label.height else m.empty_label_lift / 2)
        y_back = y_out + max(m.self_loop_min_height, label.height - (y_out - self.y) + m.label_gap)
        start = c.edge(participant, step.sender_depth, True)
        end = c.edge(participant, step.receiver_depth, True)
        loop_x = c.x(participant) + c.bar_right(step.receiver_depth) + m.self_loop_width
        points = ((start, y_out), (loop_x, y_out), (loop_x, y_back), (end, y_back))
        self._arrow(step, points[-2], points[-1], points[:-1])
        self._label(label, c.at(c.slots[index].left), self.y, step.message.id)
        self._bar_event(index, y_back, bool(step.opens or step.closes))
        self._grow(y_back + m.arrow_half_width)
        self.y = max(y_back, self.y + label.height) + m.row_gap

    def found(self, index: int, step: MessageStep) -> None:
        """A short arrow from a dot just left of the receiver's column."""
        c, m = self.c, self.m
        receiver = step.message.receiver or ""
        label = c.labels[index]
        row = self._row(label)
        end = c.edge(receiver, step.receiver_depth, False)
        self._arrow(step, (end - m.edge_arrow_min, row.arrow), (end, row.arrow))
        right = c.at(c.slots[index].right)
        self._label(label, right - label.width, row.arrow - m.label_gap - label.height, step.message.id)
        self._bar_event(index, row.arrow, bool(step.opens or step.closes))
        self._grow(row.arrow + max(m.arrow_half_width, m.found_dot / 2))
        self.y = row.arrow + m.row_gap

    def lost(self, index: int, step: MessageStep) -> None:
        """A short arrow to a dot just right of the sender's column."""
        c, m = self.c, self.m
        sender = step.message.sender or ""
        label = c.labels[index]
        row = self._row(label)
        start = c.edge(sender, step.sender_depth, True)
        self._arrow(step, (start, row.arrow), (start + m.edge_arrow_min, row.arrow), end_dot=True)
        left = c.at(c.slots[index].left)
        self._label(label, left, row.arrow - m.label_gap - label.height, step.message.id)
        self._bar_event(index, row.arrow, bool(step.opens or step.closes))
        self._grow(row.arrow + max(m.arrow_half_width, m.found_dot / 2))
        self.y = row.arrow + m.row_gap

    # -- decorations ------------------------------------------------------------------------------

    def decoration(self, index: int, step: DecorationStep) -> None:
        event = step.event
        match event:
            case Note():
                self.note(index, event)
            case Reference():
                self.reference(index)
            case Divider():
                self.divider(index, step)
            case Delay():
                self.delay(index, step)
            case Space():
                self.y += event.pixels if event.pixels is not None else self.m.default_space
            case _:
                assert_never(event)

    def _interior(self) -> tuple[float, float, float]:
        """Where a full-width decoration may put its text, and the x it is centred on when nothing is in
        the way: inside the innermost frame (which the solver made room in), or anywhere from the first
        lifeline rightwards (past the last bar if need be)."""
        m = self.m
        if self.stack:
            low, high = self.stack[-1].left + m.frame_text_pad, self.stack[-1].right - m.frame_text_pad
            return low, high, (low + high) / 2
        if not self.c.count:
            return 0.0, float("inf"), 0.0
        first, last = self.c.column_x(0), self.c.column_x(self.c.count - 1)
        return first - m.note_overhang, float("inf"), (first + last) / 2

    def note(self, index: int, note: Note) -> None:
        c, m, theme = self.c, self.m, self.theme
        text = c.notes[index]
        slot = c.slots.get(index)
        if slot is None:
            return
        low, high = c.span(slot)
        fold = m.note_fold / 2 if note.position is not NotePosition.OVER else 0.0
        width = text.width + 2 * m.note_pad + fold
        placement = c.placements.get(index, "over")
        if placement == "left":
            left = high - width
        elif placement == "right":
            left = low
        else:
            left, right = widened(c, slot, width)
            width = right - left
        top = self.y + m.plate_pad_y / 2
        right, bottom, fold_size = left + width, top + text.height + 2 * m.note_pad, m.note_fold
        stroke = Stroke(theme.note_stroke, theme.stroke)
        outline = ((left, top), (right - fold_size, top), (right, top + fold_size), (right, bottom), (left, bottom))
        self.out.top.append(PolygonShape(outline, theme.note_fill, stroke))
        self.out.top.append(PolylineShape(((right - fold_size, top), (right - fold_size, top + fold_size),
                                           (right, top + fold_size)), stroke))
        role = "note over" if note.position is NotePosition.OVER else "note"
        self.out.top.append(text_block(text.lines, left + m.note_pad, top + m.note_pad, c.styles.small, role))
        self.out.plates.append(PlateFact("note", Rect(left, top, width, bottom - top)))
        self._grow(bottom)
        self.y = bottom + m.row_gap

    def reference(self, index: int) -> None:
        c, m, theme = self.c, self.m, self.theme
        text = c.notes[index]
        slot = c.slots.get(index)
        if slot is None:
            return
        left, right = widened(c, slot, reference_width(c, index))
        top = max(self.y + m.frame_gap, self.last_bar_event + m.frame_clearance)
        tab, tab_parts = tab_shapes(c.styles, "ref", left, top, theme.tab_fill,
                                    Stroke(theme.fragment_stroke, theme.stroke))
        box = Rect(left, top, right - left, tab.h + text.height + 2 * m.note_pad)
        self.out.top.append(RectShape(box, theme.ref_fill, Stroke(theme.fragment_stroke, theme.heavy_stroke)))
        self.out.top.extend(tab_parts)
        self.out.top.append(text_block(text.lines, (left + right) / 2, top + tab.h + m.note_pad, c.styles.small,
                                       "ref", align="center"))
        self.out.plates.extend((PlateFact("ref", box), PlateFact("tab", tab)))
        self.last_frame_edge = box.bottom
        self._grow(box.bottom)
        self.y = box.bottom + m.row_gap

    def _free_place(self, text: Label, depths: tuple[int, ...], pad: float) -> tuple[float, tuple[str, ...], float]:
        """Left edge, lines and width of a centred text (plus ``pad`` each side) in a bar-free stretch."""
        c, m = self.c, self.m
        low, high, centre = self._interior()
        spans = free_spans(bar_intervals(c, depths), low, high, m.guard_gap)
        width = text.width + 2 * pad
        left = nearest_fit(spans, width, centre)
        if left is not None:
            return left, text.lines, width
        room = widest(spans) or (low, high)
        lines = wrap(" ".join(text.lines), c.styles.guard, max(room[1] - room[0] - 2 * pad, m.guard_min_width))
        return room[0], lines, text_width(lines, c.styles.guard) + 2 * pad

    def divider(self, index: int, step: DecorationStep) -> None:
        c, m, theme = self.c, self.m, self.theme
        text = c.notes.get(index)
        top = self.y + m.block_gap
        height = (text.height if text else 0.0) + 2 * m.plate_pad_y
        if text is not None:
            left, lines, width = self._free_place(text, step.depths, m.note_pad)
            height = len(lines) * c.styles.guard.line_height + 2 * m.plate_pad_y
            plate = Rect(left, top, width, height)
            self.out.top.append(RectShape(plate, theme.divider_fill, Stroke(theme.fragment_stroke, theme.stroke),
                                          m.plate_radius))
            self.out.top.append(text_block(lines, plate.x + m.note_pad, top + m.plate_pad_y, c.styles.guard,
                                           "divider"))
        self.out.dividers.append(top + height / 2)
        self._grow(top + height)
        self.y = top + height + m.block_gap

    def delay(self, index: int, step: DecorationStep) -> None:
        c, m = self.c, self.m
        text = c.notes.get(index)
        height = m.delay_height
        if text is not None:
            left, lines, width = self._free_place(text, step.depths, 0.0)
            block_h = len(lines) * c.styles.guard.line_height
            height = max(height, block_h + 2 * m.block_gap)
            top = self.y + (height - block_h) / 2
            self.out.top.append(text_block(lines, left + width / 2, top, c.styles.guard, "delay", align="center"))
        self.out.delays.append((self.y, self.y + height))
        self._grow(self.y + height)
        self.y += height
