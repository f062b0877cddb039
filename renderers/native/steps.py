"""First layout pass: the event tree flattened into steps, with activation bars and fragment spans resolved.

Nothing here depends on x positions, so the column solver and the vertical pass both
read depths, bars and fragment spans from the plan instead of re-deriving the rules.

Bars are spans of steps. Branches of alt/par/critical are alternatives, and the flow
below a ``break`` continues on the path that skipped it: each starts from the bars open
before the fragment. So a bar a branch ended with a message is *continued* through the
next branch as one unbroken bar, never ended and restarted without a message causing it;
bars opened meanwhile nest inside it (levels are assigned once all spans are known).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from diagram_dsl.model import (
    Activation,
    Delay,
    Destruction,
    Diagram,
    Divider,
    Event,
    Fragment,
    FragmentKind,
    Message,
    MessageKind,
    Note,
    Reference,
    Space,
)


@dataclass(frozen=True)
class MessageStep:
    message: Message
    number: int | None
    sender_depth: int  # bars drawn on the sender where the arrow leaves
    receiver_depth: int  # bars drawn on the receiver where the arrow arrives (counting one it opens)
    depths: tuple[int, ...]  # every participant's drawn bars at this row, in column order
    opens: tuple[str, ...]
    closes: tuple[str, ...]


@dataclass(frozen=True)
class BarStep:
    """Explicit ``activate``/``deactivate``, a destruction, or bars a branch does not share: at the cursor."""

    opens: tuple[str, ...]
    closes: tuple[str, ...]
    depths: tuple[int, ...]
    destroys: str | None = None


@dataclass(frozen=True)
class FragmentOpen:
    fragment: Fragment
    depth: int
    frame: int  # index into ``Plan.frames``
    depths: tuple[int, ...]


@dataclass(frozen=True)
class BranchStart:
    fragment: Fragment
    index: int  # 1 for the second branch, ...
    guard: str
    frame: int
    depths: tuple[int, ...]


@dataclass(frozen=True)
class FragmentClose:
    fragment: Fragment
    depth: int
    frame: int


@dataclass(frozen=True)
class DecorationStep:
    event: Note | Reference | Divider | Delay | Space
    depths: tuple[int, ...]  # every participant's drawn bars while the decoration is drawn


Step = MessageStep | BarStep | FragmentOpen | BranchStart | FragmentClose | DecorationStep


@dataclass(frozen=True)
class BarSpan:
    participant: str
    level: int  # 1 = on the lifeline, 2 = nested in it, ...
    start: int  # index of the step that opens it
    end: int | None  # index of the step that closes it; None: open to the end of the diagram
    explicit: bool  # opened by ``activate`` rather than by a message


@dataclass(frozen=True)
class FrameSpan:
    """One combined fragment: where it sits in the steps and which columns its contents touch."""

    fragment: Fragment
    parent: int | None
    depth: int
    first: int  # index of its FragmentOpen step
    last: int  # index of its FragmentClose step
    low: int | None  # leftmost column touched inside it, else its parent's (None: there are no columns)
    high: int | None
    children: tuple[int, ...]


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    columns: dict[str, int]
    created: frozenset[str]  # participants whose head appears at their CREATE message
    destroyed: frozenset[str]  # participants whose lifeline ends before the bottom
    max_fragment_depth: int
    bars: tuple[BarSpan, ...]
    frames: tuple[FrameSpan, ...]
    innermost: tuple[int | None, ...]  # per step: the frame that directly contains it


def make_plan(diagram: Diagram) -> Plan:
    builder = _PlanBuilder(diagram)
    builder.walk(diagram.events, 0)
    return builder.finish()


@dataclass
class _Span:
    participant: str
    level: int
    start: int
    explicit: bool
    end: int | None = None
    ended_by_destruction: bool = False


@dataclass
class _Frame:
    fragment: Fragment
    parent: int | None
    depth: int
    first: int
    last: int = -1
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class _RawMessage:
    message: Message
    number: int | None


@dataclass(frozen=True)
class _RawBars:
    destroys: str | None = None


@dataclass(frozen=True)
class _RawOpen:
    fragment: Fragment
    depth: int
    frame: int


@dataclass(frozen=True)
class _RawBranch:
    guard: str
    index: int
    frame: int


@dataclass(frozen=True)
class _RawClose:
    fragment: Fragment
    depth: int
    frame: int


@dataclass(frozen=True)
class _RawDecoration:
    event: Note | Reference | Divider | Delay | Space


# a step before drawn depths are known
_Raw = _RawMessage | _RawBars | _RawOpen | _RawBranch | _RawClose | _RawDecoration


class _PlanBuilder:
    def __init__(self, diagram: Diagram) -> None:
        self.columns = {p.id: index for index, p in enumerate(diagram.participants)}
        self.order = tuple(p.id for p in diagram.participants)
        self.open: dict[str, list[_Span]] = {p: [] for p in self.order}
        self.spans: list[_Span] = []
        self.raw: list[_Raw] = []
        self.frames: list[_Frame] = []
        self.stack: list[int] = []  # open frames
        self.innermost: list[int | None] = []
        self.created: set[str] = set()
        self.destroyed: set[str] = set()
        self.max_depth = 0
        self.autonumber = diagram.autonumber
        self.count = 0

    # -- walking ----------------------------------------------------------------------------------

    def _add(self, raw: _Raw, *participants: str | None) -> int:
        index = len(self.raw)
        self.raw.append(raw)
        self.innermost.append(self.stack[-1] if self.stack else None)
        for participant in participants:
            if participant is not None and participant in self.open:
                self._touch_frames(self.columns[participant])
        return index

    def _touch_frames(self, column: int) -> None:
        for frame_index in self.stack:
            frame = self.frames[frame_index]
            frame.low = column if frame.low is None else min(frame.low, column)
            frame.high = column if frame.high is None else max(frame.high, column)

    def walk(self, events: tuple[Event, ...], nesting: int) -> None:
        for event in events:
            match event:
                case Message():
                    self.message(event)
                case Fragment():
                    self.fragment(event, nesting)
                case Activation():
                    self.activation(event)
                case Destruction():
                    self.destroy(event.participant)
                case Note() | Reference():
                    self._add(_RawDecoration(event), *event.participants)
                case Divider() | Delay() | Space():
                    self._add(_RawDecoration(event))
                case _:
                    assert_never(event)

    def fragment(self, fragment: Fragment, nesting: int) -> None:
        self.max_depth = max(self.max_depth, nesting + 1)
        frame_index = len(self.frames)
        parent = self.stack[-1] if self.stack else None
        self.frames.append(_Frame(fragment, parent, nesting, len(self.raw)))
        self._add(_RawOpen(fragment, nesting, frame_index))
        self.stack.append(frame_index)
        before = {p: list(spans) for p, spans in self.open.items()}
        for index, branch in enumerate(fragment.branches):
            if index:
                self._restore(before)
                self._add(_RawBranch(branch.guard, index, frame_index))
            self.walk(branch.events, nesting + 1)
        self.stack.pop()
        self.frames[frame_index].last = self._add(_RawClose(fragment, nesting, frame_index))
        if fragment.kind is FragmentKind.BREAK:
            self._restore(before)

    def _restore(self, before: dict[str, list[_Span]]) -> None:
        """Put the bars back as they were when the fragment began: continue those a branch ended."""
        closes: list[_Span] = []
        reopen: list[tuple[str, int, bool]] = []
        for participant in self.order:
            now, then = self.open[participant], before[participant]
            shared = 0
            while shared < min(len(now), len(then)) and now[shared] is then[shared]:
                shared += 1
            closes.extend(reversed(now[shared:]))
            del now[shared:]
            resumable = True
            for span in then[shared:]:
                if resumable and span.end is not None and not span.ended_by_destruction:
                    span.end = None
                    now.append(span)
                else:
                    resumable = False
                    reopen.append((participant, len(now) + 1, span.explicit))
                    now.append(_Span(participant, len(now) + 1, -1, span.explicit))
        if not closes and not reopen:
            return
        index = self._add(_RawBars())
        for span in closes:
            span.end = index
        for participant, level, _explicit in reopen:
            span = self.open[participant][level - 1]
            span.start = index
            self.spans.append(span)

    def _open(self, participant: str, index: int, explicit: bool) -> None:
        stack = self.open[participant]
        span = _Span(participant, len(stack) + 1, index, explicit)
        stack.append(span)
        self.spans.append(span)

    def _close(self, participant: str, index: int, destruction: bool = False) -> None:
        stack = self.open[participant]
        if stack:
            span = stack.pop()
            span.end = index
            span.ended_by_destruction = destruction

    def message(self, message: Message) -> None:
        number = None
        if self.autonumber is not None:
            number = self.autonumber.start + self.count * self.autonumber.step
        self.count += 1
        sender, receiver = message.sender, message.receiver
        if message.kind is MessageKind.CREATE and receiver is not None:
            self.created.add(receiver)
        index = self._add(_RawMessage(message, number), sender, receiver)
        if message.activate and receiver is not None and receiver in self.open:
            self._open(receiver, index, explicit=False)
        if message.deactivate and sender is not None and sender in self.open:
            self._close(sender, index)
        if message.kind is MessageKind.DESTROY and receiver is not None and receiver in self.open:
            while self.open[receiver]:
                self._close(receiver, index, destruction=True)
            self.destroyed.add(receiver)

    def activation(self, event: Activation) -> None:
        if event.participant not in self.open:
            return
        if not event.active and not self.open[event.participant]:
            return
        index = self._add(_RawBars(), event.participant)
        if event.active:
            self._open(event.participant, index, explicit=True)
        else:
            self._close(event.participant, index)

    def destroy(self, participant: str) -> None:
        if participant not in self.open:
            return
        index = self._add(_RawBars(destroys=participant), participant)
        while self.open[participant]:
            self._close(participant, index, destruction=True)
        self.destroyed.add(participant)

    # -- finishing --------------------------------------------------------------------------------

    def finish(self) -> Plan:
        count = len(self.raw)
        spans = [s for s in self.spans if s.start >= 0 and (s.end is None or s.end >= s.start)]
        spans.sort(key=lambda s: (s.start, self.columns[s.participant], s.level))
        bars = self._levelled(spans)
        # a row's depth on a lifeline is its innermost drawn bar there: arrows meet that bar's side
        depth_columns = [[0] * count for _ in self.order]
        opens: dict[int, list[str]] = {}
        closes: dict[int, list[str]] = {}
        for bar in bars:
            column = depth_columns[self.columns[bar.participant]]
            for index in range(bar.start, count if bar.end is None else bar.end + 1):
                column[index] = max(column[index], bar.level)
            opens.setdefault(bar.start, []).append(bar.participant)
            if bar.end is not None:
                closes.setdefault(bar.end, []).append(bar.participant)
        depth_rows = list(zip(*depth_columns, strict=True)) if self.order else [()] * count
        steps = [self._step(index, raw, depth_rows[index], tuple(opens.get(index, ())),
                            tuple(reversed(closes.get(index, ())))) for index, raw in enumerate(self.raw)]
        frames: list[FrameSpan] = []
        for number, frame in enumerate(self.frames):  # parents come before their children
            low, high = frame.low, frame.high
            if low is None or high is None:  # nothing inside touches a lifeline: as wide as its parent
                if frame.parent is not None:
                    low, high = frames[frame.parent].low, frames[frame.parent].high
                elif self.order:
                    low, high = 0, len(self.order) - 1
            children = tuple(index for index, child in enumerate(self.frames) if child.parent == number)
            frames.append(FrameSpan(frame.fragment, frame.parent, frame.depth, frame.first, frame.last, low, high,
                                    children))
        return Plan(tuple(steps), self.columns, frozenset(self.created), frozenset(self.destroyed), self.max_depth,
                    bars, tuple(frames), tuple(self.innermost))

    def _levelled(self, spans: list[_Span]) -> tuple[BarSpan, ...]:
        """Each bar's nesting level: one right of the innermost bar of its participant open where it starts."""
        active: dict[str, list[tuple[int | None, int]]] = {p: [] for p in self.order}
        levelled = []
        for span in spans:
            live = [(end, level) for end, level in active[span.participant] if end is None or end >= span.start]
            level = max((level for _, level in live), default=0) + 1
            live.append((span.end, level))
            active[span.participant] = live
            levelled.append(BarSpan(span.participant, level, span.start, span.end, span.explicit))
        return tuple(levelled)

    def _step(self, index: int, raw: _Raw, depths: tuple[int, ...], opens: tuple[str, ...],
              closes: tuple[str, ...]) -> Step:
        match raw:
            case _RawMessage():
                return self._message_step(raw.message, raw.number, depths, opens, closes)
            case _RawOpen():
                return FragmentOpen(raw.fragment, raw.depth, raw.frame, depths)
            case _RawClose():
                return FragmentClose(raw.fragment, raw.depth, raw.frame)
            case _RawBranch():
                return BranchStart(self.frames[raw.frame].fragment, raw.index, raw.guard, raw.frame, depths)
            case _RawDecoration():
                return DecorationStep(raw.event, depths)
            case _RawBars():
                return BarStep(opens, closes, depths, raw.destroys)
            case _:
                assert_never(raw)

    def _message_step(self, message: Message, number: int | None, depths: tuple[int, ...], opens: tuple[str, ...],
                      closes: tuple[str, ...]) -> MessageStep:
        def drawn(participant: str | None) -> int:
            return depths[self.columns[participant]] if participant is not None and participant in self.columns \
                else 0

        sender_depth = drawn(message.sender)
        if message.sender is not None and message.sender == message.receiver and message.sender in opens:
            sender_depth -= 1  # a self-call leaves from the bar it is nested in
        return MessageStep(message, number, sender_depth, drawn(message.receiver), depths, opens, closes)
