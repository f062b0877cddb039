"""Measured text and solved columns: everything the vertical pass needs before it places anything."""

from __future__ import annotations

from dataclasses import dataclass

from diagram_dsl.model import Diagram, Message, MessageKind, Note, NotePosition, Reference
from diagram_dsl.renderers.native.columns import Constraint, solve
from diagram_dsl.renderers.native.heads import HeadSize, measure_head
from diagram_dsl.renderers.native.steps import DecorationStep, MessageStep, Plan, make_plan
from diagram_dsl.renderers.native.styles import Styles
from diagram_dsl.renderers.native.text import TextStyle, line_width, text_height, text_width, wrap

NOTE_GAP = 6.0  # between a lifeline (or its bars) and a note beside it
NUMBER_GAP = 5.0  # between an autonumber and its label


@dataclass(frozen=True)
class Label:
    lines: tuple[str, ...]
    width: float  # including the autonumber
    height: float
    number: str | None
    number_width: float


@dataclass(frozen=True)
class Slot:
    """Where a label may sit: between position ``left`` + ``left_ext`` and position ``right`` - ``right_ext``."""

    left: int
    left_ext: float
    right: int
    right_ext: float


@dataclass
class Context:
    diagram: Diagram
    plan: Plan
    styles: Styles
    wrap_width: float
    heads: dict[str, HeadSize]
    labels: dict[int, Label]  # step index -> message label
    notes: dict[int, Label]  # step index -> note/ref/divider/delay text
    slots: dict[int, Slot]  # step index -> label slot (messages, side notes)
    positions: list[float]

    def x(self, participant: str) -> float:
        return self.positions[self.plan.columns[participant] + 1]

    def bar_extent(self, depth: int) -> float:
        """How far right of its lifeline the innermost of ``depth`` bars reaches."""
        theme = self.styles.theme
        return 0.0 if depth <= 0 else (depth - 1) * theme.bar_nest_offset + theme.bar_width / 2

    def edge(self, participant: str, depth: int, toward_right: bool) -> float:
        """Where an arrow meets ``participant``: its lifeline, or the near side of its innermost bar."""
        x = self.x(participant)
        if depth <= 0:
            return x
        theme = self.styles.theme
        centre = x + (depth - 1) * theme.bar_nest_offset
        return centre + theme.bar_width / 2 if toward_right else centre - theme.bar_width / 2


def build_context(diagram: Diagram, styles: Styles, wrap_width: float) -> Context:
    plan = make_plan(diagram)
    heads = {p.id: measure_head(p, styles, wrap_width) for p in diagram.participants}
    context = Context(diagram, plan, styles, wrap_width, heads, {}, {}, {}, [])
    constraints = _head_constraints(context)
    for index, step in enumerate(plan.steps):
        if isinstance(step, MessageStep):
            context.labels[index] = _message_label(step, styles, wrap_width)
            constraints.extend(_message_constraint(context, index, step))
        elif isinstance(step, DecorationStep) and isinstance(step.event, Note | Reference):
            context.notes[index] = measure(step.event.text, styles.small, wrap_width)
            if isinstance(step.event, Note):
                constraints.extend(_note_constraint(context, index, step.event, step.depths))
        elif isinstance(step, DecorationStep) and not isinstance(step.event, Note | Reference):
            text = getattr(step.event, "text", "")
            if text:
                context.notes[index] = measure(text, styles.guard, wrap_width)
    count = len(diagram.participants)
    constraints.extend(_edge_constraints(context))
    gaps = [0.0] * (count + 1)
    context.positions = solve(gaps, constraints)
    return context


def measure(text: str, style: TextStyle, wrap_width: float) -> Label:
    lines = wrap(text, style, wrap_width)
    return Label(lines, text_width(lines, style), text_height(lines, style), None, 0.0)


def _message_label(step: MessageStep, styles: Styles, wrap_width: float) -> Label:
    lines = wrap(step.message.label, styles.body, wrap_width) if step.message.label.strip() else ()
    number = str(step.number) if step.number is not None else None
    number_w = line_width(number, styles.number.size, styles.number.weight) if number else 0.0
    width = text_width(lines, styles.body) + (number_w + NUMBER_GAP if number else 0.0)
    height = max(text_height(lines, styles.body), styles.body.line_height if number else 0.0)
    return Label(lines, width, height, number, number_w)


def _head_constraints(context: Context) -> list[Constraint]:
    theme = context.styles.theme
    participants = context.diagram.participants
    constraints = []
    for index in range(len(participants) - 1):
        left, right = participants[index], participants[index + 1]
        distance = (context.heads[left.id].width + context.heads[right.id].width) / 2 + theme.column_gap
        if left.box != right.box:
            distance += 2 * theme.box_pad
        constraints.append(Constraint(index + 1, index + 2, distance))
    for box in context.diagram.boxes:
        members = [i for i, p in enumerate(participants) if p.box == box.id]
        if not members:
            continue
        first, last = participants[members[0]], participants[members[-1]]
        title = wrap(box.title, context.styles.box_title, context.wrap_width)
        need = text_width(title, context.styles.box_title) + 2 * theme.box_pad
        need -= (context.heads[first.id].width + context.heads[last.id].width) / 2 + 2 * theme.box_pad
        constraints.append(Constraint(members[0] + 1, members[-1] + 1, need))
    return constraints


def _message_constraint(context: Context, index: int, step: MessageStep) -> list[Constraint]:
    theme = context.styles.theme
    message: Message = step.message
    columns = context.plan.columns
    count = len(context.diagram.participants)
    label = context.labels[index]
    width = label.width + 2 * theme.label_margin
    sender = columns.get(message.sender) if message.sender is not None else None
    receiver = columns.get(message.receiver) if message.receiver is not None else None
    if message.kind is MessageKind.SELF or (sender is not None and sender == receiver):
        if sender is None:
            return []
        slot = Slot(sender + 1, context.bar_extent(step.receiver_depth) + theme.self_loop_width + 6,
                    sender + 2, context.bar_extent(step.depths[sender + 1]) if sender + 1 < count else 0.0)
        context.slots[index] = slot
        return [Constraint(slot.left, slot.right, slot.left_ext + slot.right_ext + label.width + theme.label_margin)]
    if sender is None and receiver is None:
        return []
    start = sender + 1 if sender is not None else 0
    end = receiver + 1 if receiver is not None else count + 1
    start_ext = context.bar_extent(step.sender_depth) if sender is not None else theme.found_dot
    if receiver is None:
        end_ext = theme.cross_size
    elif message.kind is MessageKind.CREATE:
        end_ext = context.heads[message.receiver or ""].width / 2
    else:
        end_ext = context.bar_extent(step.receiver_depth)
    if message.kind is MessageKind.LOST and receiver is not None:
        end_ext += theme.lost_gap + theme.cross_size
    between = range(min(start, end) + 1, max(start, end))
    crowded = any(1 <= p <= count and step.depths[p - 1] > 0 for p in between)
    if crowded:
        anchor, anchor_ext = (start, start_ext) if sender is not None else (end, end_ext)
        toward = 1 if end > start else -1
        if sender is None:
            toward = -toward
        neighbour = anchor + toward
        neighbour_ext = context.bar_extent(step.depths[neighbour - 1]) if 1 <= neighbour <= count else 0.0
        if toward > 0:
            slot = Slot(anchor, anchor_ext, neighbour, neighbour_ext)
        else:
            slot = Slot(neighbour, neighbour_ext, anchor, anchor_ext)
    elif start < end:
        slot = Slot(start, start_ext, end, end_ext)
    else:
        slot = Slot(end, end_ext, start, start_ext)
    context.slots[index] = slot
    constraints = [Constraint(slot.left, slot.right, slot.left_ext + slot.right_ext + width)]
    if crowded:  # the arrow itself still needs room for its head past the label's gap
        low, high = sorted((start, end))
        constraints.append(Constraint(low, high, start_ext + end_ext + 3 * theme.arrow_length))
    return constraints


def _note_constraint(context: Context, index: int, note: Note, depths: tuple[int, ...]) -> list[Constraint]:
    theme = context.styles.theme
    columns = context.plan.columns
    count = len(context.diagram.participants)
    anchors = [columns[p] for p in note.participants if p in columns]
    if not anchors or note.position is NotePosition.OVER:
        return []
    width = context.notes[index].width + 2 * theme.note_pad
    column = anchors[0]
    if note.position is NotePosition.RIGHT:
        neighbour_ext = context.bar_extent(depths[column + 1]) if column + 1 < count else 0.0
        slot = Slot(column + 1, context.bar_extent(depths[column]) + NOTE_GAP, column + 2, neighbour_ext + NOTE_GAP)
    else:
        neighbour_ext = context.bar_extent(depths[column - 1]) if column >= 1 else 0.0
        own = theme.bar_width / 2 if depths[column] > 0 else 0.0
        slot = Slot(column, neighbour_ext + NOTE_GAP, column + 1, own + NOTE_GAP)
    context.slots[index] = slot
    return [Constraint(slot.left, slot.right, slot.left_ext + slot.right_ext + width)]


def _edge_constraints(context: Context) -> list[Constraint]:
    """Found messages start, and lost messages to nowhere end, outside every head."""
    participants = context.diagram.participants
    if not participants:
        return []
    messages = context.diagram.messages()
    clearance = context.styles.theme.label_margin
    constraints = []
    if any(m.sender is None or m.sender not in context.plan.columns for m in messages):
        constraints.append(Constraint(0, 1, context.heads[participants[0].id].width / 2 + clearance))
    if any(m.receiver is None or m.receiver not in context.plan.columns for m in messages):
        count = len(participants)
        constraints.append(Constraint(count, count + 1, context.heads[participants[-1].id].width / 2 + clearance))
    return constraints
