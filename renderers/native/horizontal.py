"""What every step needs horizontally, as constraints between lifelines and frame edges.

A message's label needs room between its own two lifelines (or, when bars stand in
between, between its sender and the first of them); a note needs room beside or over
its lifelines and never covers a bar; a frame keeps ``frame_clearance`` from every
lifeline and bar it passes, holds its contents, its tab and its guards, and sits
``frame_inset`` inside its parent. ``slots`` records where each label or box may sit,
so the vertical pass places it without measuring again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from diagram_dsl.frozen import quick
from diagram_dsl.model import Delay, Divider, FragmentKind, MessageKind, Note, NotePosition, Reference
from diagram_dsl.renderers.native.columns import Anchor, Constraint, Span, at_least, solve
from diagram_dsl.renderers.native.context import Context, Label, refit
from diagram_dsl.renderers.native.freespace import bar_intervals, first_fit, free_spans
from diagram_dsl.renderers.native.steps import (
    BarStep,
    BranchStart,
    DecorationStep,
    FragmentClose,
    FragmentOpen,
    FrameSpan,
    MessageStep,
    Step,
)
from diagram_dsl.renderers.native.tabs import guard_label, keyword_of, tab_size
from diagram_dsl.renderers.native.text import text_width
from diagram_dsl.renderers.native.wrapping import wrap


@quick
@dataclass(frozen=True)
class Placement:
    """Where a step's label or box may sit, and on which side of its lifeline a note's box hugs it."""

    slot: Span
    side: str = "label"  # "label" (a message), "left", "right" or "over" (a note or ref box)


@dataclass(frozen=True)
class Columns:
    """Everything the column solver needs, and where each label and box goes once it has solved."""

    constraints: list[Constraint]
    pulled: frozenset[int]  # frame left edges, pulled right against their contents
    flexible: list[Flexible]  # boxes that may come out wider than their lifelines
    placements: dict[int, Placement]
    refit: frozenset[int]  # steps whose text is re-wrapped to its slot


@dataclass(frozen=True)
class Flexible:
    """A note or ref over bar-free lifelines whose text may be wider than the lifelines are apart."""

    index: int
    box: Span
    width: float
    depths: tuple[int, ...]
    gap: float
    frame: bool  # a ref: its edges keep clear of every lifeline too


def widened(context: Context, box: Span, width: float) -> tuple[float, float]:
    """A box over lifelines: their span, or ``width`` centred on it when that is wider."""
    low, high = context.span(box)
    extra = max(0.0, width - (high - low)) / 2
    return low - extra, high + extra


class _Builder:
    def __init__(self, context: Context) -> None:
        self.c = context
        self.m = context.metrics
        self.constraints: list[Constraint] = []
        self.extents: dict[int, list[Span]] = {}  # frame -> what its direct contents occupy
        self.refit: set[int] = set()
        self.flexible: list[Flexible] = []

    def add(self, constraint: Constraint) -> None:
        self.constraints.append(constraint)

    def occupy(self, index: int, span: Span) -> None:
        frame = self.c.plan.innermost[index]
        if frame is not None:
            self.extents.setdefault(frame, []).append(span)

    def at(self, column: int, offset: float) -> Anchor:
        return Anchor(self.c.pos(column), offset)


def place_columns(context: Context) -> None:
    """Solve every lifeline and frame edge, then re-wrap texts to the room they got.

    A guard (or a divider or delay inside a frame) may sit in any bar-free stretch of its row,
    and a note over lifelines may come out wider than they are apart if it hits nothing: no
    single constraint can say either. So the columns are solved, the texts that fit nowhere
    get room right of their row's first bar, the boxes that hit something get their lifelines
    spread, and the columns are solved again.
    """
    columns = constraints_for(context)
    context.slots = {index: placement.slot for index, placement in columns.placements.items()}
    context.placements = {index: placement.side for index, placement in columns.placements.items()
                          if placement.side != "label"}
    context.refit = columns.refit
    constraints = list(columns.constraints)
    rows = text_rows(context)
    for _ in range(len(rows) + len(columns.flexible) + 1):
        context.values = solve(context.variables, constraints, columns.pulled)
        extra = _row_room(context, rows) + _box_room(context, columns.flexible)
        if not extra:
            break
        constraints.extend(extra)
    refit(context)


def _box_room(context: Context, flexible: list[Flexible]) -> list[Constraint]:
    """Constraints for the boxes that, widened past their lifelines, would hit a bar or leave their frame."""
    m = context.metrics
    added = []
    for box in flexible:
        low, high = widened(context, box.box, box.width)
        spans = free_spans(bar_intervals(context, box.depths), low - 1, high + 1, box.gap)
        blocked = not spans or spans[0][0] > low or spans[0][1] < high
        if box.frame:
            lifelines = [context.column_x(column) for column in range(context.count)]
            blocked = blocked or any(abs(x - edge) < box.gap for x in lifelines for edge in (low, high))
        frame = context.plan.innermost[box.index]
        if frame is not None:
            left, right = context.frame(frame)
            blocked = blocked or low < left + m.frame_text_pad or high > right - m.frame_text_pad
        if blocked:
            added.append(at_least(box.box, box.width))
    return added


def constraints_for(context: Context) -> Columns:
    """Every horizontal constraint of the diagram, and where each label and box goes."""
    builder = _Builder(context)
    _heads(builder)
    placements: dict[int, Placement] = {}
    for index, step in enumerate(context.plan.steps):
        placement: Placement | None = None
        match step:
            case MessageStep():
                placement = _message(builder, index, step)
            case DecorationStep(event=Note() as note):
                placement = _note(builder, index, note, step.depths)
            case DecorationStep(event=Reference() as reference):
                placement = _reference(builder, index, reference, step.depths)
            case DecorationStep() | BarStep() | FragmentOpen() | BranchStart() | FragmentClose():
                pass
            case _:
                assert_never(step)
        if placement is not None:
            placements[index] = placement
    for frame_index, frame in enumerate(context.plan.frames):
        _frame(builder, frame_index, frame)
    pulled = frozenset(context.frame_vars(frame)[0] for frame in range(len(context.plan.frames)))
    return Columns(builder.constraints, pulled, builder.flexible, placements, frozenset(builder.refit))


def _heads(b: _Builder) -> None:
    c, m = b.c, b.m
    participants = c.diagram.participants
    for index in range(len(participants) - 1):
        left, right = participants[index], participants[index + 1]
        distance = (c.heads[left.id].width + c.heads[right.id].width) / 2 + m.column_gap
        if left.box != right.box:
            distance += 2 * m.box_pad
        b.add(Constraint(c.pos(index), c.pos(index + 1), distance))
    styles = c.styles
    for box in c.diagram.boxes:
        members = [i for i, p in enumerate(participants) if p.box == box.id]
        if not members:
            continue
        first, last = participants[members[0]], participants[members[-1]]
        title = wrap(box.title, styles.box_title, c.wrap_width)
        need = text_width(title, styles.box_title) - (c.heads[first.id].width + c.heads[last.id].width) / 2
        b.add(Constraint(c.pos(members[0]), c.pos(members[-1]), need))


# -- messages --------------------------------------------------------------------------------------


def _message(b: _Builder, index: int, step: MessageStep) -> Placement | None:
    c = b.c
    message = step.message
    columns = c.plan.columns
    sender = columns.get(message.sender) if message.sender is not None else None
    receiver = columns.get(message.receiver) if message.receiver is not None else None
    if sender is not None and sender == receiver:
        return _self_message(b, index, step, sender)
    if sender is not None and receiver is not None:
        return _between(b, index, step, sender, receiver)
    if receiver is not None:
        return _found(b, index, step, receiver)
    if sender is not None:
        return _lost(b, index, step, sender)
    return None


def _between(b: _Builder, index: int, step: MessageStep, sender: int, receiver: int) -> Placement:
    c, m = b.c, b.m
    message, depths = step.message, step.depths
    rightward = receiver > sender
    direction = 1.0 if rightward else -1.0
    start = c.edge_offset(step.sender_depth, rightward)
    if message.kind is MessageKind.CREATE:
        head = c.heads[message.receiver or ""]
        end = -direction * head.width / 2
        for column, depth in enumerate(depths):
            if depth > 0 and column != receiver:
                if column < receiver:
                    b.add(Constraint(c.pos(column), c.pos(receiver), c.bar_right(depth) + m.note_gap + head.width / 2))
                else:
                    b.add(Constraint(c.pos(receiver), c.pos(column), head.width / 2 + m.note_gap + c.bar_left(depth)))
        b.occupy(index, Span(b.at(receiver, -head.width / 2), b.at(receiver, head.width / 2)))
    else:
        end = c.edge_offset(step.receiver_depth, not rightward)
        if message.kind is MessageKind.LOST:
            end -= direction * m.lost_gap
        elif message.kind is MessageKind.DESTROY and step.receiver_depth == 0:
            end -= direction * (m.cross_size / 2 + m.cross_stop)
    # the label clears all the bars at both ends (an arrow meets the innermost one, inside the others), and
    # sits next to the sender, up to the first bar standing between the two lifelines
    envelope = _envelope(c, step.receiver_depth, not rightward)
    label_end = min(end, envelope) if rightward else max(end, envelope)  # whichever is nearer the sender
    label_start = _envelope(c, step.sender_depth, rightward)
    between = range(sender + 1, receiver) if rightward else range(sender - 1, receiver, -1)
    stop = next((column for column in between if depths[column] > 0), None)
    margin = m.label_margin
    if rightward:
        left = b.at(sender, label_start + margin)
        right = b.at(stop, -c.bar_left(depths[stop]) - margin) if stop is not None else \
            b.at(receiver, label_end - margin)
    else:
        right = b.at(sender, label_start - margin)
        left = b.at(stop, c.bar_right(depths[stop]) + margin) if stop is not None else \
            b.at(receiver, label_end + margin)
    slot = Span(left, right)
    b.add(at_least(slot, c.labels[index].width))
    low, high = (b.at(sender, start), b.at(receiver, end)) if rightward else (b.at(receiver, end), b.at(sender, start))
    b.add(at_least(Span(low, high), m.arrow_min))
    b.refit.add(index)
    return Placement(slot)


def _envelope(context: Context, depth: int, toward_right: bool) -> float:
    """The outer side of all ``depth`` bars of a lifeline, relative to it."""
    return context.bar_right(depth) if toward_right else -context.bar_left(depth)


def _self_message(b: _Builder, index: int, step: MessageStep, column: int) -> Placement:
    c, m = b.c, b.m
    label = c.labels[index]
    start = c.bar_right(step.receiver_depth) + m.self_loop_width + m.self_label_gap
    if column + 1 < c.count:
        slot = Span(b.at(column, start), b.at(column + 1, -c.bar_left(step.depths[column + 1]) - m.label_margin))
        b.add(at_least(slot, label.width))
        b.refit.add(index)
    else:
        slot = Span(b.at(column, start), b.at(column, start + label.width))
    reach = c.bar_left(max(step.sender_depth, step.receiver_depth))
    b.occupy(index, Span(b.at(column, -reach), b.at(column, start + label.width)))
    return Placement(slot)


def _found(b: _Builder, index: int, step: MessageStep, receiver: int) -> Placement:
    """A short arrow from a dot just left of the receiver's column, crossing no other lifeline; its label
    ends at the arrow's head and may reach left over lifelines, never over a bar."""
    c, m = b.c, b.m
    end = c.edge_offset(step.receiver_depth, False)
    dot = end - m.edge_arrow_min
    width = c.labels[index].width
    label_end = b.at(receiver, -c.bar_left(step.receiver_depth) - m.label_margin)
    barred = next((column for column in range(receiver - 1, -1, -1) if step.depths[column] > 0), None)
    if barred is not None:
        slot = Span(b.at(barred, c.bar_right(step.depths[barred]) + m.label_margin), label_end)
        b.add(at_least(slot, width))
    else:
        slot = Span(b.at(receiver, label_end.offset - width), label_end)
    if receiver > 0:
        gap = c.bar_right(step.depths[receiver - 1]) + m.edge_clearance + m.found_dot / 2 - dot
        b.add(Constraint(c.pos(receiver - 1), c.pos(receiver), gap))
    reach = min(label_end.offset - width, dot - m.found_dot / 2)
    b.occupy(index, Span(b.at(receiver, reach), b.at(receiver, c.bar_right(step.receiver_depth))))
    return Placement(slot)


def _lost(b: _Builder, index: int, step: MessageStep, sender: int) -> Placement:
    """A short arrow to a dot just right of the sender's column, crossing no other lifeline; its label
    starts at the sender and may reach right over lifelines, never over a bar."""
    c, m = b.c, b.m
    start = c.edge_offset(step.sender_depth, True)
    tip = start + m.edge_arrow_min
    width = c.labels[index].width
    label_start = b.at(sender, start + m.label_margin)
    barred = next((column for column in range(sender + 1, c.count) if step.depths[column] > 0), None)
    if barred is not None:
        slot = Span(label_start, b.at(barred, -c.bar_left(step.depths[barred]) - m.label_margin))
        b.add(at_least(slot, width))
    else:
        slot = Span(label_start, b.at(sender, label_start.offset + width))
    if sender + 1 < c.count:
        gap = tip + m.found_dot + m.edge_clearance + c.bar_left(step.depths[sender + 1])
        b.add(Constraint(c.pos(sender), c.pos(sender + 1), gap))
    reach = max(label_start.offset + width, tip + m.found_dot)
    b.occupy(index, Span(b.at(sender, -c.bar_left(step.sender_depth)), b.at(sender, reach)))
    return Placement(slot)

# -- notes and refs --------------------------------------------------------------------------------


def note_width(context: Context, index: int, note: Note) -> float:
    m = context.metrics
    fold = m.note_fold / 2 if note.position is not NotePosition.OVER else 0.0
    return context.notes[index].width + 2 * m.note_pad + fold


def reference_width(context: Context, index: int) -> float:
    m = context.metrics
    return max(context.notes[index].width, tab_size(context.styles, "ref")[0]) + 2 * m.note_pad


def _anchors(b: _Builder, participants: tuple[str, ...]) -> list[int]:
    columns = b.c.plan.columns
    anchors = sorted(columns[p] for p in participants if p in columns)
    if not anchors and b.c.count:
        anchors = [0, b.c.count - 1]
    return anchors


def _note(b: _Builder, index: int, note: Note, depths: tuple[int, ...]) -> Placement | None:
    anchors = _anchors(b, note.participants)
    if not anchors:
        return None
    width = note_width(b.c, index, note)
    if note.position is NotePosition.RIGHT:
        return _beside(b, index, anchors[0], depths, width, right=True)
    if note.position is NotePosition.LEFT:
        return _beside(b, index, anchors[0], depths, width, right=False)
    b.refit.add(index)
    return _over(b, index, anchors[0], anchors[-1], depths, width)


def _reference(b: _Builder, index: int, reference: Reference, depths: tuple[int, ...]) -> Placement | None:
    anchors = _anchors(b, reference.participants)
    if not anchors:
        return None
    b.refit.add(index)
    return _over(b, index, anchors[0], anchors[-1], depths, reference_width(b.c, index), b.m.frame_clearance,
                 frame=True)


def _beside(b: _Builder, index: int, column: int, depths: tuple[int, ...], width: float, right: bool) -> Placement:
    """A box of ``width`` against ``column``'s bars; it may cover other lifelines, never their bars."""
    c, m = b.c, b.m
    if right:
        start = c.bar_right(depths[column]) + m.note_gap
        box = Span(b.at(column, start), b.at(column, start + width))
        following = next((other for other in range(column + 1, c.count) if depths[other] > 0), None)
        if following is not None:
            b.add(Constraint(c.pos(column), c.pos(following),
                             start + width + m.note_gap + c.bar_left(depths[following])))
    else:
        end = -c.bar_left(depths[column]) - m.note_gap
        box = Span(b.at(column, end - width), b.at(column, end))
        preceding = next((other for other in range(column - 1, -1, -1) if depths[other] > 0), None)
        if preceding is not None:
            b.add(Constraint(c.pos(preceding), c.pos(column),
                             c.bar_right(depths[preceding]) + m.note_gap + width - end))
    b.occupy(index, box)
    return Placement(box, "right" if right else "left")


def _over(b: _Builder, index: int, low: int, high: int, depths: tuple[int, ...], width: float,
          gap: float | None = None, frame: bool = False) -> Placement:
    """A box over lifelines ``low``..``high`` that never covers a bar: it starts beside a bar on ``low``
    and stops before the first bar after it, ``gap`` away from bars. A ``frame`` (a ref) also keeps its
    edges ``gap`` away from every lifeline."""
    c, m = b.c, b.m
    gap = m.note_gap if gap is None else gap
    if low == high:
        # centred on its lifeline, or right of the lifeline's bars when it has some
        lead = c.bar_right(depths[low]) + gap if depths[low] > 0 else -width / 2
        box = Span(b.at(low, lead), b.at(low, lead + width))
        for column, depth in enumerate(depths):
            if (depth > 0 or frame) and column < low:
                b.add(Constraint(c.pos(column), c.pos(low), c.bar_right(depth) + gap - lead))
            elif (depth > 0 or frame) and column > low:
                b.add(Constraint(c.pos(low), c.pos(column), lead + width + gap + c.bar_left(depth)))
        b.occupy(index, box)
        return Placement(box, "right" if depths[low] > 0 else "over")
    overhang = m.note_overhang
    start = b.at(low, -overhang) if depths[low] == 0 else b.at(low, c.bar_right(depths[low]) + gap)
    stop = next((column for column in range(low + 1, high + 1) if depths[column] > 0), None)
    end = b.at(stop, -c.bar_left(depths[stop]) - gap) if stop is not None else b.at(high, overhang)
    box = Span(start, end)
    if depths[low] == 0 and stop is None:
        # no bar in the way: the box may come out wider than its lifelines (centred on them) if nothing
        # is hit; the solver is told to widen the columns only when something would be
        b.flexible.append(Flexible(index, box, width, depths, gap, frame))
    else:
        b.add(at_least(box, width))
    if depths[low] == 0 and low > 0 and depths[low - 1] > 0:
        b.add(Constraint(c.pos(low - 1), c.pos(low), c.bar_right(depths[low - 1]) + gap + overhang))
    if stop is None and high + 1 < c.count and depths[high + 1] > 0:
        b.add(Constraint(c.pos(high), c.pos(high + 1), overhang + gap + c.bar_left(depths[high + 1])))
    b.occupy(index, box)
    return Placement(box, "over")


# -- frames ----------------------------------------------------------------------------------------


def frame_reach(context: Context, frame: FrameSpan) -> list[int]:
    """Each column's deepest bars while the frame is drawn."""
    reach = [0] * context.count
    steps = context.plan.steps
    for index in range(frame.first, frame.last + 1):
        depths = _depths(steps[index])
        if depths is not None:
            reach = [max(a, b) for a, b in zip(reach, depths, strict=True)]
    return reach


def _depths(step: Step) -> tuple[int, ...] | None:
    match step:
        case MessageStep() | BarStep() | FragmentOpen() | BranchStart() | DecorationStep():
            return step.depths
        case FragmentClose():
            return None
        case _:
            assert_never(step)


def frame_columns(context: Context, frame: FrameSpan) -> tuple[int, int] | None:
    if frame.low is not None and frame.high is not None:
        return frame.low, frame.high
    return None


def _frame(b: _Builder, frame_index: int, frame: FrameSpan) -> None:
    c, m = b.c, b.m
    left, right = c.frame_vars(frame_index)
    tab_w, _ = tab_size(c.styles, keyword_of(frame.fragment))
    b.add(Constraint(left, right, tab_w + m.frame_text_pad))
    for child in frame.children:
        child_left, child_right = c.frame_vars(child)
        b.add(Constraint(left, child_left, m.frame_inset))
        b.add(Constraint(child_right, right, m.frame_inset))
    for span in b.extents.get(frame_index, ()):
        b.add(Constraint(left, span.left.var, m.frame_text_pad - span.left.offset))
        b.add(Constraint(span.right.var, right, span.right.offset + m.frame_text_pad))
    columns = frame_columns(c, frame)
    if columns is None:
        return
    low, high = columns
    reach = frame_reach(c, frame)
    clearance = m.frame_clearance
    b.add(Constraint(left, c.pos(low), c.bar_left(reach[low]) + clearance))
    b.add(Constraint(c.pos(high), right, c.bar_right(reach[high]) + clearance))
    if low > 0:
        b.add(Constraint(c.pos(low - 1), left, c.bar_right(reach[low - 1]) + clearance))
    if high + 1 < c.count:
        b.add(Constraint(right, c.pos(high + 1), c.bar_left(reach[high + 1]) + clearance))
    # the tab sits left of the first bar crossing the header
    header = next(step.depths for step in c.plan.steps[frame.first:frame.first + 1] if isinstance(step, FragmentOpen))
    first = next((column for column in range(low, high + 1) if header[column] > 0), None)
    if first is not None:
        b.add(Constraint(left, c.pos(first), tab_w + m.guard_gap + c.bar_left(header[first])))


@dataclass(frozen=True)
class TextRow:
    """A text on a row of its own inside a frame, placed in a bar-free stretch: a guard in the frame's
    header (right of its tab) or below a branch separator, a divider's plate or a delay's text."""

    frame: int
    label: Label
    depths: tuple[int, ...]  # bars crossing the row
    header: bool = False
    pad: float = 0.0  # room the text needs each side (a divider's plate)

    @property
    def width(self) -> float:
        return self.label.width + 2 * self.pad


def text_rows(context: Context) -> list[TextRow]:
    rows = []
    for index, frame in enumerate(context.plan.frames):
        opening = context.plan.steps[frame.first]
        if isinstance(opening, FragmentOpen) and frame.fragment.kind is not FragmentKind.GROUP:
            label = guard_label(context, frame.fragment.label)
            if label is not None:
                rows.append(TextRow(index, label, opening.depths, header=True))
        for step in context.plan.steps[frame.first:frame.last + 1]:
            if isinstance(step, BranchStart) and step.frame == index:
                label = guard_label(context, step.guard)
                if label is not None:
                    rows.append(TextRow(index, label, step.depths))
    for step_index, step in enumerate(context.plan.steps):
        frame_index = context.plan.innermost[step_index]
        text = context.notes.get(step_index)
        if isinstance(step, DecorationStep) and isinstance(step.event, Divider | Delay) and frame_index is not None \
                and text is not None:
            pad = context.metrics.note_pad if isinstance(step.event, Divider) else 0.0
            rows.append(TextRow(frame_index, text, step.depths, pad=pad))
    return rows


def row_stretch(context: Context, row: TextRow) -> tuple[float, float]:
    """Where a guard row's text may go: right of the tab in a header, across the frame below a separator."""
    m = context.metrics
    left, right = context.frame(row.frame)
    if row.header:
        tab_w, _ = tab_size(context.styles, keyword_of(context.plan.frames[row.frame].fragment))
        return left + tab_w + m.guard_gap, right - m.frame_text_pad
    return left + m.frame_text_pad, right - m.frame_text_pad


def _row_room(context: Context, rows: list[TextRow]) -> list[Constraint]:
    """Constraints for the row texts that fit in no bar-free stretch of their row: room right of its first bar."""
    m = context.metrics
    added = []
    for row in rows:
        low, high = row_stretch(context, row)
        if first_fit(free_spans(bar_intervals(context, row.depths), low, high, m.guard_gap), row.width) is not None:
            continue
        left, right = context.frame_vars(row.frame)
        columns = frame_columns(context, context.plan.frames[row.frame]) or (0, -1)
        barred = [column for column in range(columns[0], columns[1] + 1) if row.depths[column] > 0]
        if not barred:
            before = tab_size(context.styles, keyword_of(context.plan.frames[row.frame].fragment))[0] + m.guard_gap \
                if row.header else m.frame_text_pad
            added.append(Constraint(left, right, before + row.width + m.frame_text_pad))
            continue
        first = barred[0]
        room = context.bar_right(row.depths[first]) + m.guard_gap + row.width
        if len(barred) > 1:
            following = barred[1]
            added.append(Constraint(context.pos(first), context.pos(following),
                                    room + m.guard_gap + context.bar_left(row.depths[following])))
        else:
            added.append(Constraint(context.pos(first), right, room + m.frame_text_pad))
    return added
