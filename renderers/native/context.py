"""Measured text and solved columns: everything the vertical pass needs before it places anything.

``measure_context`` measures every text at the wrap width; ``horizontal.place_columns`` then
solves the columns and ``refit`` re-wraps each text to the room it actually got, so a label
between two far-apart lifelines takes fewer lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from diagram_dsl.frozen import quick
from diagram_dsl.model import Delay, Diagram, Divider, MessageKind, Note, NotePosition, Reference
from diagram_dsl.renderers.native.columns import Anchor, Span
from diagram_dsl.renderers.native.heads import HeadSize, measure_head
from diagram_dsl.renderers.native.steps import DecorationStep, MessageStep, Plan, make_plan
from diagram_dsl.renderers.native.styles import Styles
from diagram_dsl.renderers.native.text import TextStyle, line_width, text_height, text_width
from diagram_dsl.renderers.native.theme import LayoutMetrics
from diagram_dsl.renderers.native.wrapping import wrap


@quick
@dataclass(frozen=True)
class Label:
    lines: tuple[str, ...]
    width: float  # including the autonumber
    height: float
    number: str | None
    number_width: float


@dataclass
class Context:
    diagram: Diagram
    plan: Plan
    styles: Styles
    wrap_width: float
    heads: dict[str, HeadSize]
    labels: dict[int, Label] = field(default_factory=dict)  # step index -> message label
    notes: dict[int, Label] = field(default_factory=dict)  # step index -> note/ref/divider/delay text
    slots: dict[int, Span] = field(default_factory=dict)  # step index -> where its label or box may sit
    placements: dict[int, str] = field(default_factory=dict)  # note step -> "left", "right" or "over"
    refit: frozenset[int] = frozenset()  # steps whose text is re-wrapped to its slot
    values: list[float] = field(default_factory=list)

    @property
    def metrics(self) -> LayoutMetrics:
        return self.styles.metrics

    @property
    def count(self) -> int:
        return len(self.diagram.participants)

    # variables: 0 = left edge, 1..n = lifelines, n + 1 = right edge, then two per frame
    def pos(self, column: int) -> int:
        return column + 1

    def frame_vars(self, frame: int) -> tuple[int, int]:
        base = self.count + 2 + 2 * frame
        return base, base + 1

    @property
    def variables(self) -> int:
        return self.count + 2 + 2 * len(self.plan.frames)

    def at(self, anchor: Anchor) -> float:
        return self.values[anchor.var] + anchor.offset

    def span(self, span: Span) -> tuple[float, float]:
        return self.at(span.left), self.at(span.right)

    def x(self, participant: str) -> float:
        return self.values[self.plan.columns[participant] + 1]

    def column_x(self, column: int) -> float:
        return self.values[column + 1]

    def frame(self, frame: int) -> tuple[float, float]:
        left, right = self.frame_vars(frame)
        return self.values[left], self.values[right]

    # bars: level 1 is centred on the lifeline, each nested one ``bar_nest_offset`` further right
    def bar_right(self, depth: int) -> float:
        """How far right of its lifeline the innermost of ``depth`` bars reaches."""
        m = self.metrics
        return 0.0 if depth <= 0 else (depth - 1) * m.bar_nest_offset + m.bar_width / 2

    def bar_left(self, depth: int) -> float:
        """How far left of its lifeline ``depth`` bars reach."""
        return self.metrics.bar_width / 2 if depth > 0 else 0.0

    def edge_offset(self, depth: int, toward_right: bool) -> float:
        """Where an arrow meets a lifeline with ``depth`` bars, relative to it: the near side of the innermost."""
        if depth <= 0:
            return 0.0
        m = self.metrics
        centre = (depth - 1) * m.bar_nest_offset
        return centre + m.bar_width / 2 if toward_right else centre - m.bar_width / 2

    def edge(self, participant: str, depth: int, toward_right: bool) -> float:
        return self.x(participant) + self.edge_offset(depth, toward_right)


def measure_context(diagram: Diagram, styles: Styles, wrap_width: float) -> Context:
    plan = make_plan(diagram)
    heads = {p.id: measure_head(p, styles, wrap_width) for p in diagram.participants}
    context = Context(diagram, plan, styles, wrap_width, heads)
    for index, step in enumerate(plan.steps):
        match step:
            case MessageStep():
                context.labels[index] = message_label(step, styles, wrap_width)
            case DecorationStep(event=Note() | Reference() as event):
                context.notes[index] = measure(event.text, styles.small, wrap_width)
            case DecorationStep(event=Divider() | Delay() as event) if event.text:
                context.notes[index] = measure(event.text, styles.guard, wrap_width)
            case _:
                pass
    return context


def measure(text: str, style: TextStyle, width: float) -> Label:
    lines = wrap(text, style, width)
    return Label(lines, text_width(lines, style), text_height(lines, style), None, 0.0)


def message_label(step: MessageStep, styles: Styles, width: float) -> Label:
    number = str(step.number) if step.number is not None else None
    number_w = line_width(number, styles.number.size, styles.number.weight) if number else 0.0
    extra = number_w + styles.metrics.number_gap if number else 0.0
    text = step.message.label
    lines = wrap(text, styles.body, max(width - extra, 1.0)) if text.strip() else ()
    height = max(text_height(lines, styles.body), styles.body.line_height if number else 0.0)
    return Label(lines, text_width(lines, styles.body) + extra, height, number, number_w)


def refit(context: Context) -> None:
    """Re-wrap texts whose slot came out wider than the wrap width they were measured at."""
    styles, m = context.styles, context.metrics
    for index in sorted(context.refit):
        step = context.plan.steps[index]
        low, high = context.span(context.slots[index])
        frame = context.plan.innermost[index]
        if frame is not None:
            left, right = context.frame(frame)
            low, high = max(low, left + m.frame_text_pad), min(high, right - m.frame_text_pad)
        match step:
            case MessageStep():
                label = context.labels[index]
                if len(label.lines) > 1 and high - low > label.width + 0.5:
                    context.labels[index] = message_label(step, styles, high - low)
            case DecorationStep(event=Note() as note):
                text = context.notes[index]
                pad = 2 * m.note_pad + (m.note_fold / 2 if note.position is not NotePosition.OVER else 0.0)
                if len(text.lines) > 1 and high - low - pad > text.width + 0.5:
                    context.notes[index] = measure(note.text, styles.small, high - low - pad)
            case DecorationStep(event=Reference() as reference):
                text = context.notes[index]
                if len(text.lines) > 1 and high - low - 2 * m.note_pad > text.width + 0.5:
                    context.notes[index] = measure(reference.text, styles.small, high - low - 2 * m.note_pad)
            case _:
                pass


def is_edge_message(context: Context, step: MessageStep) -> bool:
    """A found message (from outside) or a lost one to nowhere: one end is not a lifeline."""
    columns = context.plan.columns
    message = step.message
    known_sender = message.sender is not None and message.sender in columns
    known_receiver = message.receiver is not None and message.receiver in columns
    if message.kind is MessageKind.LOST and not known_receiver:
        return known_sender
    return known_sender != known_receiver
