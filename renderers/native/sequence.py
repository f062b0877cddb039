"""Second layout pass: a vertical cursor walks the plan and places every row.

As in Mermaid's bounds model, open fragments form a stack; whatever is placed
inside grows the innermost one, and a closing fragment grows its parent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from diagram_dsl.model import Delay, Divider, MessageKind, Note, NotePosition, Reference, Space
from diagram_dsl.renderers.base import Highlight, HighlightKey
from diagram_dsl.renderers.native.arrows import arrow_shapes, cross
from diagram_dsl.renderers.native.context import NUMBER_GAP, Context, Label
from diagram_dsl.renderers.native.fragments import FragmentDraft, close_fragment, open_fragment, start_branch
from diagram_dsl.renderers.native.heads import head_shapes
from diagram_dsl.renderers.native.scene import (
    ArrowFact,
    BarFact,
    FragmentFact,
    PolygonShape,
    PolylineShape,
    Rect,
    RectShape,
    Shape,
    Stroke,
)
from diagram_dsl.renderers.native.steps import (
    BarStep,
    BranchStart,
    DecorationStep,
    FragmentClose,
    FragmentOpen,
    MessageStep,
)
from diagram_dsl.renderers.native.styles import text_block
from diagram_dsl.renderers.native.tabs import tab_shapes
from diagram_dsl.renderers.native.tint import tinted


@dataclass
class Sequence:
    """What the vertical pass produced, by paint layer."""

    frames: list[Shape] = field(default_factory=list)
    top: list[Shape] = field(default_factory=list)
    arrows: list[ArrowFact] = field(default_factory=list)
    bars: list[BarFact] = field(default_factory=list)
    fragments: list[FragmentFact] = field(default_factory=list)
    delays: list[tuple[float, float]] = field(default_factory=list)
    dividers: list[float] = field(default_factory=list)
    created_heads: dict[str, Rect] = field(default_factory=dict)
    destroyed_at: dict[str, float] = field(default_factory=dict)
    bottom: float = 0.0


class Sequencer:
    def __init__(self, context: Context, top: float,
                 highlights: Mapping[HighlightKey, Highlight] | None = None) -> None:
        self.c = context
        self.highlights = highlights or {}
        self.theme = context.styles.theme
        self.y = top
        self.out = Sequence()
        self.open_bars: dict[str, list[float]] = {p.id: [] for p in context.diagram.participants}
        self.stack: list[FragmentDraft] = []
        self.fragment_numbers: list[int] = []  # document-order number of each open fragment, for highlights
        self.fragments_opened = 0

    def run(self) -> Sequence:
        for index, step in enumerate(self.c.plan.steps):
            if isinstance(step, MessageStep):
                first = len(self.out.top)
                self.message(index, step)
                self.out.top[first:] = tinted(self.out.top[first:], self.highlights.get(step.message.id))
            elif isinstance(step, BarStep):
                self.bar_step(step)
            elif isinstance(step, FragmentOpen):
                self.y += 4
                self.stack.append(open_fragment(self.c, step, self.y))
                self.fragment_numbers.append(self.fragments_opened)
                self.fragments_opened += 1
                self.y = self.stack[-1].body_top
            elif isinstance(step, BranchStart):
                self.y = start_branch(self.c, self.stack[-1], step, self.y + 4)
            elif isinstance(step, FragmentClose):
                self.y += 6
                draft = self.stack.pop()
                frames, top = len(self.out.frames), len(self.out.top)
                fact = close_fragment(self.c, draft, self.y, self.out.frames, self.out.top)
                highlight = self.highlights.get(("fragment", self.fragment_numbers.pop()))
                self.out.frames[frames:] = tinted(self.out.frames[frames:], highlight)
                self.out.top[top:] = tinted(self.out.top[top:], highlight)
                self.out.fragments.append(fact)
                if self.stack:
                    pad = self.theme.fragment_pad
                    self.stack[-1].include(fact.rect.x - pad, fact.rect.right + pad)
                    self.stack[-1].message_ids.extend(draft.message_ids)
                self.y += 6
            else:
                self.decoration(index, step)
        for participant, starts in self.open_bars.items():
            while starts:
                self._close_bar(participant, self.y)
        self.out.bottom = self.y
        return self.out

    # -- bars -------------------------------------------------------------------------------------

    def _open_bar(self, participant: str, y: float) -> None:
        self.open_bars[participant].append(y)

    def _close_bar(self, participant: str, y: float) -> None:
        starts = self.open_bars[participant]
        if not starts:
            return
        depth = len(starts)
        start = starts.pop()
        centre = self.c.x(participant) + (depth - 1) * self.theme.bar_nest_offset
        height = max(y - start, 6.0)
        self.out.bars.append(BarFact(participant, Rect(centre - self.theme.bar_width / 2, start,
                                                       self.theme.bar_width, height)))

    def bar_step(self, step: BarStep) -> None:
        for participant in step.opens:
            self._open_bar(participant, self.y)
        for participant in step.closes:
            self._close_bar(participant, self.y)
        if step.destroys is not None:
            size = self.theme.cross_size
            centre = self.y + size / 2
            self.out.top.extend(cross(self.c.x(step.destroys), centre, size, self.theme.destroy_ink))
            self.out.destroyed_at[step.destroys] = centre
            self.y += size + self.theme.row_gap

    # -- messages ---------------------------------------------------------------------------------

    def message(self, index: int, step: MessageStep) -> None:
        message = step.message
        label = self.c.labels[index]
        if message.sender is not None and message.sender == message.receiver:
            self.self_message(index, step, label)
            return
        theme, c = self.theme, self.c
        count = len(c.diagram.participants)
        receiver_head = c.heads.get(message.receiver or "") if message.kind is MessageKind.CREATE else None
        y_arrow = self.y + label.height + theme.label_gap
        if receiver_head is not None:
            y_arrow = self.y + max(label.height + theme.label_gap, receiver_head.height / 2 + 4)
        sender_x = c.x(message.sender) if message.sender in c.plan.columns else c.positions[0]
        receiver_x = c.x(message.receiver) if message.receiver in c.plan.columns else c.positions[count + 1]
        rightward = receiver_x >= sender_x
        if message.sender in c.plan.columns:
            start = c.edge(message.sender or "", step.sender_depth, rightward)
        else:
            start = sender_x
        direction = 1.0 if rightward else -1.0
        if message.receiver not in c.plan.columns:
            end = receiver_x
        elif receiver_head is not None:
            end = receiver_x - direction * receiver_head.width / 2
        else:
            end = c.edge(message.receiver or "", step.receiver_depth, not rightward)
            if message.kind is MessageKind.LOST:
                end -= direction * theme.lost_gap
            elif message.kind is MessageKind.DESTROY and step.receiver_depth == 0:
                end -= direction * (theme.cross_size / 2 + 1)  # the head stops at the cross, not inside it
        self.out.top.extend(arrow_shapes(message.kind, (start, y_arrow), (end, y_arrow), theme))
        self.out.arrows.append(ArrowFact(message.id, message.kind.value, message.sender, message.receiver,
                                         (start, y_arrow), (end, y_arrow)))
        slot = c.slots[index]
        low = c.positions[slot.left] + slot.left_ext
        high = c.positions[slot.right] - slot.right_ext
        label_x = (low + high) / 2 - label.width / 2
        self._label(label, label_x, y_arrow - theme.label_gap - label.height, message.id)
        extent_low = min(start, end, label_x)
        extent_high = max(start, end, label_x + label.width)
        # a fragment frames the whole bars of the lifelines its messages touch, not just the arrow
        touched = [(message.sender, step.sender_depth)]
        if receiver_head is None:
            touched.append((message.receiver, step.receiver_depth))
        for participant, depth in touched:
            if participant is not None and participant in c.plan.columns:
                extent_low = min(extent_low, c.x(participant) - theme.bar_width / 2)
                extent_high = max(extent_high, c.x(participant) + c.bar_extent(max(depth, 1)))
        bottom = y_arrow
        if receiver_head is not None and message.receiver is not None:
            head_top = y_arrow - receiver_head.height / 2
            created = c.diagram.participant(message.receiver)
            if created is not None:
                self.out.top.extend(head_shapes(created, receiver_head, receiver_x, head_top, c.styles))
            self.out.created_heads[message.receiver] = Rect(receiver_x - receiver_head.width / 2, head_top,
                                                            receiver_head.width, receiver_head.height)
            extent_low = min(extent_low, receiver_x - receiver_head.width / 2)
            extent_high = max(extent_high, receiver_x + receiver_head.width / 2)
            bottom = head_top + receiver_head.height
        if message.kind is MessageKind.DESTROY and message.receiver in c.plan.columns:
            self.out.top.extend(cross(receiver_x, y_arrow, theme.cross_size, theme.destroy_ink))
            self.out.destroyed_at[message.receiver or ""] = y_arrow
        self._include(extent_low, extent_high, message.id)
        for participant in step.opens:
            self._open_bar(participant, y_arrow)
        for participant in step.closes:
            self._close_bar(participant, y_arrow)
        self.y = bottom + theme.row_gap

    def self_message(self, index: int, step: MessageStep, label: Label) -> None:
        theme, c = self.theme, self.c
        participant = step.message.sender or ""
        y_out = self.y + min(label.height, c.styles.body.line_height) / 2 if label.height else self.y + 4
        y_back = y_out + max(theme.self_loop_min_height, label.height - (y_out - self.y) + 4)
        start = c.edge(participant, step.sender_depth, True)
        end = c.edge(participant, step.receiver_depth, True)
        loop_x = c.x(participant) + c.bar_extent(step.receiver_depth) + theme.self_loop_width
        points = ((start, y_out), (loop_x, y_out), (loop_x, y_back), (end, y_back))
        self.out.top.extend(arrow_shapes(step.message.kind, points[-2], points[-1], theme, points[:-1]))
        self.out.arrows.append(ArrowFact(step.message.id, step.message.kind.value, participant, participant,
                                         (start, y_out), (end, y_back)))
        slot = c.slots[index]
        label_x = c.positions[slot.left] + slot.left_ext
        self._label(label, label_x, self.y, step.message.id)
        self._include(min(start, end, c.x(participant) - theme.bar_width / 2), max(loop_x, label_x + label.width),
                      step.message.id)
        for opened in step.opens:
            self._open_bar(opened, y_back)
        for closed in step.closes:
            self._close_bar(closed, y_back)
        self.y = max(y_back, self.y + label.height) + theme.row_gap

    def _label(self, label: Label, x: float, top: float, owner: int) -> None:
        styles = self.c.styles
        if label.number is not None:
            self.out.top.append(text_block((label.number,), x, top, styles.number, "number", owner=owner))
            x += label.number_width + NUMBER_GAP
        if label.lines:
            self.out.top.append(text_block(label.lines, x, top, styles.body, "message", owner=owner))

    def _include(self, low: float, high: float, message_id: int | None = None) -> None:
        if self.stack:
            self.stack[-1].include(low, high)
            if message_id is not None:
                self.stack[-1].message_ids.append(message_id)

    # -- decorations ------------------------------------------------------------------------------

    def decoration(self, index: int, step: DecorationStep) -> None:
        event = step.event
        if isinstance(event, Note):
            self.note(index, event)
        elif isinstance(event, Reference):
            self.reference(index, event)
        elif isinstance(event, Divider):
            self.divider(index)
        elif isinstance(event, Delay):
            self.delay(index)
        elif isinstance(event, Space):
            self.y += event.pixels if event.pixels is not None else self.theme.default_space

    def _span(self, participants: tuple[str, ...]) -> tuple[float, float]:
        xs = [self.c.x(p) for p in participants if p in self.c.plan.columns]
        if not xs:
            count = len(self.c.diagram.participants)
            xs = [self.c.positions[min(1, count)], self.c.positions[count]]
        return min(xs), max(xs)

    def note(self, index: int, note: Note) -> None:
        theme, c = self.theme, self.c
        text = c.notes[index]
        width = text.width + 2 * theme.note_pad + theme.note_fold / 2
        height = text.height + 2 * theme.note_pad
        slot = c.slots.get(index)
        if slot is not None and note.position is NotePosition.RIGHT:
            left = c.positions[slot.left] + slot.left_ext
        elif slot is not None and note.position is NotePosition.LEFT:
            left = c.positions[slot.right] - slot.right_ext - width
        else:
            low, high = self._span(note.participants)
            if high > low:
                width = max(width, high - low + 2 * 16)
            left = (low + high) / 2 - width / 2
        top = self.y + 2
        right, bottom, fold = left + width, top + height, theme.note_fold
        stroke = Stroke(theme.note_stroke, theme.stroke)
        outline = ((left, top), (right - fold, top), (right, top + fold), (right, bottom), (left, bottom))
        self.out.top.append(PolygonShape(outline, theme.note_fill, stroke))
        self.out.top.append(PolylineShape(((right - fold, top), (right - fold, top + fold), (right, top + fold)),
                                          stroke))
        role = "note over" if note.position is NotePosition.OVER else "note"
        self.out.top.append(text_block(text.lines, left + theme.note_pad, top + theme.note_pad, c.styles.small, role))
        self._include(left, right)
        self.y = bottom + theme.row_gap

    def reference(self, index: int, reference: Reference) -> None:
        theme, c = self.theme, self.c
        text = c.notes[index]
        low, high = self._span(reference.participants)
        low -= 24
        high += 24
        tab_w, tab_h, tab = tab_shapes(c, "ref", low, self.y + 4)
        width = max(high - low, text.width + 2 * theme.note_pad, tab_w + 2 * theme.note_pad)
        left = (low + high) / 2 - width / 2
        top = self.y + 4
        height = tab_h + text.height + 2 * theme.note_pad
        box = Rect(left, top, width, height)
        self.out.top.append(RectShape(box, theme.ref_fill, Stroke(theme.fragment_stroke, theme.heavy_stroke)))
        _, _, tab = tab_shapes(c, "ref", left, top)
        self.out.top.extend(tab)
        self.out.top.append(text_block(text.lines, left + width / 2, top + tab_h + theme.note_pad, c.styles.small,
                                       "ref", align="center"))
        self._include(box.x, box.right)
        self.y = box.bottom + theme.row_gap

    def divider(self, index: int) -> None:
        theme, c = self.theme, self.c
        text = c.notes.get(index)
        top = self.y + theme.block_gap
        height = (text.height if text else 0) + 8
        middle = top + height / 2
        self.out.dividers.append(middle)
        if text is not None:
            low, high = self._span(tuple(p.id for p in c.diagram.participants))
            width = text.width + 2 * theme.note_pad
            plate = Rect((low + high) / 2 - width / 2, top, width, height)
            self.out.top.append(RectShape(plate, theme.divider_fill, Stroke(theme.fragment_stroke, theme.stroke),
                                          3.0))
            self.out.top.append(text_block(text.lines, plate.x + theme.note_pad, top + 4, c.styles.guard, "divider"))
            self._include(plate.x, plate.right)
        self.y = top + height + theme.block_gap

    def delay(self, index: int) -> None:
        theme, c = self.theme, self.c
        text = c.notes.get(index)
        height = max(theme.delay_height, (text.height if text else 0) + 16)
        if text is not None:
            low, high = self._span(tuple(p.id for p in c.diagram.participants))
            top = self.y + (height - text.height) / 2
            block = text_block(text.lines, (low + high) / 2, top, c.styles.guard, "delay", align="center")
            self.out.top.append(block)
            self._include(block.box.x, block.box.right)
        self.out.delays.append((self.y, self.y + height))
        self.y += height
