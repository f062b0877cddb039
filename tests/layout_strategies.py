"""Hypothesis strategies for the layout oracle: flows that stress placement rather than validity.

Random labels (long words, URLs with ``/ ? & , ;``, several lines, empty ones), notes on every
side and over several lifelines, refs, participant boxes, fragments nested several deep with
several branches, calls answered inside branches, explicit activations, found and lost
messages, creations and destructions, dividers, delays and spaces anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from diagram_dsl.model import (
    Activation,
    Autonumber,
    Box,
    Branch,
    Delay,
    Diagram,
    Divider,
    Event,
    Fragment,
    FragmentKind,
    Message,
    MessageKind,
    Note,
    NotePosition,
    Participant,
    ParticipantKind,
    Reference,
    Space,
)

_WORDS = st.sampled_from([
    "ok", "GET", "/orders/42", "token", "retry", "SELECT * FROM t", "user row", "a", "publish", "ack", "é€→",
    "/end_session?id_token_hint&post_logout_redirect_uri", "x,y;z", "deadline 2 s", "200 OK", "idempotency-key",
    "averyveryverylongidentifierwithoutanybreakopportunitywhatsoever", "[guard]", "n > 3", "(LB + breaker)",
])
LABELS = st.lists(_WORDS, min_size=0, max_size=6).map(" ".join) | st.lists(_WORDS, min_size=1, max_size=4).map(
    "\n".join) | st.text(alphabet="abcdefghij /?&,;:-_()", min_size=0, max_size=40)
COLOURS = st.sampled_from([None, "#FFEEDD", "#E8F0FE", "abc", "not a colour"])


@dataclass
class _Flow:
    participants: tuple[str, ...]
    labels: st.SearchStrategy[str]
    next_id: int = 1
    budget: int = 45
    created: set[str] = field(default_factory=set)
    pending_create: list[str] = field(default_factory=list)

    def message(self, kind: MessageKind, sender: str | None, receiver: str | None, label: str, **kw: bool
                ) -> Message:
        self.budget -= 1
        self.next_id += 1
        return Message(self.next_id - 1, kind, sender, receiver, label, **kw)  # type: ignore[arg-type]


@st.composite
def _events(draw: st.DrawFn, flow: _Flow, holder: str, depth: int) -> list[Event]:
    events: list[Event] = []
    for _ in range(draw(st.integers(1, 4))):
        if flow.budget <= 0:
            break
        others = [p for p in flow.participants if p != holder]
        choice = draw(st.sampled_from([
            "call", "call", "async", "self", "note", "fragment", "fragment", "answered_in_alt", "ref", "found",
            "lost", "activation", "decoration", "create",
        ]))
        label = draw(flow.labels)
        if choice == "call":
            callee = draw(st.sampled_from(others))
            request = flow.message(MessageKind.REQUEST, holder, callee, label, activate=True)
            events.append(request)
            if depth < 4 and draw(st.booleans()):
                events.extend(draw(_events(flow, callee, depth + 1)))
            events.append(flow.message(MessageKind.REPLY, callee, holder, draw(flow.labels), deactivate=True))
        elif choice == "answered_in_alt":
            callee = draw(st.sampled_from(others))
            events.append(flow.message(MessageKind.REQUEST, holder, callee, label, activate=True))
            branches = []
            for _ in range(draw(st.integers(2, 3))):
                body = draw(_events(flow, callee, depth + 1)) if depth < 4 and draw(st.booleans()) else []
                body.append(flow.message(MessageKind.REPLY, callee, holder, draw(flow.labels), deactivate=True))
                branches.append(Branch(draw(flow.labels), tuple(body)))
            kind = draw(st.sampled_from([FragmentKind.ALT, FragmentKind.PAR, FragmentKind.CRITICAL]))
            events.append(Fragment(kind, tuple(branches)))
        elif choice == "async":
            events.append(flow.message(MessageKind.ASYNC, holder, draw(st.sampled_from(others)), label))
        elif choice == "self":
            events.append(flow.message(MessageKind.SELF, holder, holder, label, activate=draw(st.booleans()),
                                       deactivate=False))
        elif choice == "note":
            position = draw(st.sampled_from(list(NotePosition)))
            targets = (holder,) if position is not NotePosition.OVER else tuple(
                draw(st.lists(st.sampled_from(flow.participants), min_size=1, max_size=3, unique=True)))
            events.append(Note(position, targets, label))
        elif choice == "ref":
            targets = tuple(draw(st.lists(st.sampled_from(flow.participants), min_size=1, max_size=3, unique=True)))
            events.append(Reference(targets, label))
        elif choice == "found":
            events.append(flow.message(MessageKind.FOUND, None, holder, label))
        elif choice == "lost":
            toward = draw(st.sampled_from([None, *others]))
            events.append(flow.message(MessageKind.LOST, holder, toward, label))
        elif choice == "activation":
            target = draw(st.sampled_from(flow.participants))
            events.extend([Activation(target, True), flow.message(MessageKind.ASYNC, holder, draw(
                st.sampled_from(others)), label), Activation(target, False)])
        elif choice == "decoration":
            events.append(draw(st.sampled_from([Divider(label), Delay(label), Space(draw(st.sampled_from(
                [None, 4, 30])))])))
        elif choice == "create" and flow.pending_create and depth == 0:
            newcomer = flow.pending_create.pop()
            events.append(flow.message(MessageKind.CREATE, holder, newcomer, label))
            events.append(flow.message(MessageKind.ASYNC, newcomer, holder, draw(flow.labels)))
            if draw(st.booleans()):
                events.append(flow.message(MessageKind.DESTROY, holder, newcomer, draw(flow.labels)))
            else:
                flow.participants = (*flow.participants, newcomer)
        elif depth < 4:
            kind = draw(st.sampled_from(list(FragmentKind)))
            count = draw(st.integers(2, 3)) if kind.allows_branches else 1
            branches = [Branch(draw(flow.labels), tuple(draw(_events(flow, holder, depth + 1))))
                        for _ in range(count)]
            events.append(Fragment(kind, tuple(branches)))
    return events


@st.composite
def crowded_diagrams(draw: st.DrawFn) -> tuple[Diagram, int]:
    """A diagram that stresses the layout, and a wrap width to lay it out at."""
    count = draw(st.integers(2, 7))
    labels = draw(st.lists(LABELS.filter(lambda text: bool(text.strip())), min_size=count, max_size=count))
    kinds = draw(st.lists(st.sampled_from(list(ParticipantKind)), min_size=count, max_size=count))
    ids = tuple(f"p{index}" for index in range(count))
    boxes: list[Box] = []
    box_of: dict[str, str] = {}
    start = 0
    while start < count and draw(st.booleans()):
        end = draw(st.integers(start, count - 1))
        box_id = f"b{len(boxes)}"
        boxes.append(Box(box_id, draw(LABELS), draw(COLOURS)))
        box_of.update({ids[index]: box_id for index in range(start, end + 1)})
        start = end + 1 + draw(st.integers(0, 1))
    participants = tuple(Participant(pid, label, kind, box=box_of.get(pid))
                         for pid, label, kind in zip(ids, labels, kinds, strict=True))
    flow = _Flow(ids, LABELS)
    if count > 2 and draw(st.booleans()):
        flow = _Flow(ids[:-1], LABELS, pending_create=[ids[-1]])
    events = draw(_events(flow, ids[0], 0))
    while flow.budget > 0 and draw(st.booleans()):
        events.extend(draw(_events(flow, draw(st.sampled_from(flow.participants[:2])), 0)))
    autonumber = Autonumber(draw(st.integers(1, 100)), draw(st.integers(1, 10))) if draw(st.booleans()) else None
    title = draw(LABELS) if draw(st.booleans()) else None
    diagram = Diagram(participants, tuple(events), tuple(boxes), title, autonumber)
    return diagram, draw(st.sampled_from([80, 160, 260, 400]))
