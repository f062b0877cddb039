"""First layout pass: the event tree flattened into steps, with activation depths resolved.

Depths do not depend on x positions, so the column solver and the vertical pass
both read them from here instead of re-deriving activation rules.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    sender_depth: int  # open bars on the sender where the arrow leaves
    receiver_depth: int  # open bars on the receiver where the arrow arrives (counting one it opens)
    depths: tuple[int, ...]  # every participant's open bars at this row, in column order
    opens: tuple[str, ...]
    closes: tuple[str, ...]


@dataclass(frozen=True)
class BarStep:
    """Explicit ``activate``/``deactivate`` or a destruction: bars open or close at the cursor."""

    opens: tuple[str, ...]
    closes: tuple[str, ...]
    destroys: str | None = None


@dataclass(frozen=True)
class FragmentOpen:
    fragment: Fragment
    depth: int


@dataclass(frozen=True)
class BranchStart:
    fragment: Fragment
    index: int  # 1 for the second branch, ...
    guard: str


@dataclass(frozen=True)
class FragmentClose:
    fragment: Fragment
    depth: int


@dataclass(frozen=True)
class DecorationStep:
    event: Note | Reference | Divider | Delay | Space
    depths: tuple[int, ...]  # every participant's open bars while the decoration is drawn


Step = MessageStep | BarStep | FragmentOpen | BranchStart | FragmentClose | DecorationStep


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    columns: dict[str, int]
    created: frozenset[str]  # participants whose head appears at their CREATE message
    destroyed: frozenset[str]  # participants whose lifeline ends before the bottom
    max_fragment_depth: int


def make_plan(diagram: Diagram) -> Plan:
    builder = _PlanBuilder(diagram)
    builder.walk(diagram.events, 0)
    return Plan(tuple(builder.steps), builder.columns, frozenset(builder.created), frozenset(builder.destroyed),
                builder.max_depth)


class _PlanBuilder:
    def __init__(self, diagram: Diagram) -> None:
        self.columns = {p.id: index for index, p in enumerate(diagram.participants)}
        self.order = tuple(p.id for p in diagram.participants)
        self.depth = dict.fromkeys(self.order, 0)
        self.steps: list[Step] = []
        self.created: set[str] = set()
        self.destroyed: set[str] = set()
        self.max_depth = 0
        self.autonumber = diagram.autonumber
        self.count = 0

    def walk(self, events: tuple[Event, ...], nesting: int) -> None:
        for event in events:
            if isinstance(event, Message):
                self.message(event)
            elif isinstance(event, Fragment):
                self.max_depth = max(self.max_depth, nesting + 1)
                self.steps.append(FragmentOpen(event, nesting))
                before = dict(self.depth)
                for index, branch in enumerate(event.branches):
                    if index:
                        self.steps.append(BranchStart(event, index, branch.guard))
                        self._restore(before)
                    self.walk(branch.events, nesting + 1)
                self.steps.append(FragmentClose(event, nesting))
                if event.kind is FragmentKind.BREAK:
                    # Below a break the flow goes on along the path that skipped it: its bars are as before.
                    self._restore(before)
            elif isinstance(event, Activation):
                self.activation(event)
            elif isinstance(event, Destruction):
                self.destroy(event.participant)
            else:
                self.steps.append(DecorationStep(event, tuple(self.depth[p] for p in self.order)))

    def _restore(self, before: dict[str, int]) -> None:
        """Branches are alternatives (or parallel): each starts from the bars open when the fragment began."""
        opens: list[str] = []
        closes: list[str] = []
        for participant in self.order:
            difference = before[participant] - self.depth[participant]
            (opens if difference > 0 else closes).extend([participant] * abs(difference))
            self.depth[participant] = before[participant]
        if opens or closes:
            self.steps.append(BarStep(tuple(opens), tuple(closes)))

    def _known(self, participant: str | None) -> bool:
        return participant is not None and participant in self.depth

    def message(self, message: Message) -> None:
        number = None
        if self.autonumber is not None:
            number = self.autonumber.start + self.count * self.autonumber.step
        self.count += 1
        sender, receiver = message.sender, message.receiver
        if message.kind is MessageKind.CREATE and receiver is not None:
            self.created.add(receiver)
        opens: tuple[str, ...] = ()
        if message.activate and receiver is not None and self._known(receiver):
            self.depth[receiver] += 1
            opens = (receiver,)
        sender_depth = self.depth[sender] if sender is not None and self._known(sender) else 0
        if opens and sender == receiver:
            sender_depth -= 1  # a self-call leaves from the bar it is nested in
        receiver_depth = self.depth[receiver] if receiver is not None and self._known(receiver) else 0
        depths = tuple(self.depth[p] for p in self.order)
        closes: list[str] = []
        if message.deactivate and sender is not None and self._known(sender) and self.depth[sender] > 0:
            self.depth[sender] -= 1
            closes.append(sender)
        if message.kind is MessageKind.DESTROY and receiver is not None and self._known(receiver):
            closes.extend([receiver] * self.depth[receiver])
            self.depth[receiver] = 0
            self.destroyed.add(receiver)
        self.steps.append(MessageStep(message, number, sender_depth, receiver_depth, depths, opens, tuple(closes)))

    def activation(self, event: Activation) -> None:
        if not self._known(event.participant):
            return
        if event.active:
            self.depth[event.participant] += 1
            self.steps.append(BarStep((event.participant,), ()))
        elif self.depth[event.participant] > 0:
            self.depth[event.participant] -= 1
            self.steps.append(BarStep((), (event.participant,)))

    def destroy(self, participant: str) -> None:
        if not self._known(participant):
            return
        closes = (participant,) * self.depth[participant]
        self.depth[participant] = 0
        self.destroyed.add(participant)
        self.steps.append(BarStep((), closes, destroys=participant))
