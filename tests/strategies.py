"""Hypothesis strategies for well-formed flows.

``diagrams()`` draws diagrams in which every request is answered on every path
(replies are placed in every branch of an alt when a call is answered inside one),
activations balance, fragments are non-empty and every sync request starts from
the participant that currently holds control. The validator must find no errors in
them; emitters, importers and renderers must handle them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from diagram_dsl.model import (
    Autonumber,
    Branch,
    Delay,
    Diagram,
    Divider,
    Event,
    Fragment,
    FragmentKind,
    Location,
    Message,
    MessageKind,
    Note,
    NotePosition,
    Participant,
    ParticipantKind,
    Reference,
)

PLAIN_WORDS = st.sampled_from(["login", "GET /users", "ok", "rows", "token", "retry", "publish", "ack", "42"])
HOSTILE_LABELS = st.sampled_from([
    'say "hi"', "back\\slash", "line one\nline two", "a: b", "x; y", "# not a comment", "A ->> B",
    "A -->> B", "@enduml", "end", "else", "<b>bold</b>", "ünïcødé €", "emoji 🚀", "50% off", "{curly}",
    "[square]", "a | b", "tab\there", "note over A", "--x", "'quote'", "&amp;", "autonumber",
])
FILE = "generated.py"


@dataclass
class _State:
    participants: tuple[str, ...]
    labels: st.SearchStrategy[str]
    next_id: int = 1
    line: int = 1
    events: int = 0
    max_events: int = 40
    loc_counter: list[int] = field(default_factory=list)

    def location(self) -> Location:
        self.line += 1
        return Location(FILE, self.line)

    def message_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


def _message(state: _State, kind: MessageKind, sender: str | None, receiver: str | None, label: str, **kw: object
             ) -> Message:
    state.events += 1
    return Message(state.message_id(), kind, sender, receiver, label, state.location(), **kw)  # type: ignore[arg-type]


@st.composite
def _block(draw: st.DrawFn, state: _State, holder: str, depth: int, in_call: bool = False) -> list[Event]:
    """A balanced run of events in which ``holder`` has control.

    ``in_call``: some request is open around this block. A taken ``break`` would leave it unanswered,
    so no break is drawn there (a break is drawn only where it cannot skip a pending reply).
    """
    events: list[Event] = []
    for _ in range(draw(st.integers(1, 3))):
        if state.events >= state.max_events:
            break
        others = [p for p in state.participants if p != holder]
        choice = draw(st.sampled_from(
            ["call", "async", "self", "note"] + (["fragment", "answered_in_alt"] if depth < 3 else [])))
        if choice == "call":
            callee = draw(st.sampled_from(others))
            request = _message(state, MessageKind.REQUEST, holder, callee, draw(state.labels), activate=True)
            events.append(request)
            if depth < 3 and draw(st.booleans()):
                events.extend(draw(_block(state, callee, depth + 1, True)))
            events.append(_message(state, MessageKind.REPLY, callee, holder, draw(state.labels),
                                   reply_to=request.id, deactivate=True))
        elif choice == "answered_in_alt":
            callee = draw(st.sampled_from(others))
            request = _message(state, MessageKind.REQUEST, holder, callee, draw(state.labels), activate=True)
            events.append(request)
            branches = []
            for _ in range(draw(st.integers(2, 3))):
                body: list[Event] = []
                if draw(st.booleans()):
                    body.extend(draw(_block(state, callee, depth + 1, True)))
                body.append(_message(state, MessageKind.REPLY, callee, holder, draw(state.labels),
                                     reply_to=request.id, deactivate=True))
                branches.append(Branch(draw(state.labels), tuple(body),
                                       state.location()))
            events.append(Fragment(FragmentKind.ALT, tuple(branches), state.location()))
        elif choice == "async":
            events.append(_message(state, MessageKind.ASYNC, holder, draw(st.sampled_from(others)),
                                   draw(state.labels)))
        elif choice == "self":
            events.append(_message(state, MessageKind.SELF, holder, holder, draw(state.labels)))
        elif choice == "note":
            position = draw(st.sampled_from(list(NotePosition)))
            targets = (holder,) if position is not NotePosition.OVER or not others else (holder, others[0])
            events.append(Note(position, targets, draw(state.labels), state.location()))
        else:
            kinds = [k for k in FragmentKind if not (in_call and k is FragmentKind.BREAK)]
            kind = draw(st.sampled_from(kinds))
            count = draw(st.integers(2, 3)) if kind.allows_branches else 1
            branches = [Branch(draw(state.labels), tuple(draw(_block(state, holder, depth + 1, in_call))),
                               state.location())
                        for _ in range(count)]
            events.append(Fragment(kind, tuple(branches), state.location()))
    if not events:
        events.append(_message(state, MessageKind.SELF, holder, holder, draw(state.labels)))
    return events


@st.composite
def diagrams(draw: st.DrawFn, *, hostile: bool = False, max_events: int = 40,
             decorations: bool = True) -> Diagram:
    """A well-formed diagram; ``hostile`` mixes labels that try to break emitters' escaping."""
    labels = st.one_of(PLAIN_WORDS, HOSTILE_LABELS) if hostile else PLAIN_WORDS
    count = draw(st.integers(2, 5))
    kinds = [ParticipantKind.ACTOR] + [draw(st.sampled_from(list(ParticipantKind))) for _ in range(count - 1)]
    participants = tuple(
        Participant(f"p{index}", f"Part {index}" if not hostile else draw(labels) + f" {index}", kind,
                    Location(FILE, 1))
        for index, kind in enumerate(kinds)
    )
    state = _State(tuple(p.id for p in participants), labels, max_events=max_events)
    events = draw(_block(state, participants[0].id, 0))
    if decorations and draw(st.booleans()):
        events.insert(0, Divider(draw(labels), state.location()))
        events.append(Delay(draw(labels), state.location()))
        events.append(Reference((participants[0].id, participants[1].id), draw(labels), state.location()))
    autonumber = Autonumber() if decorations and draw(st.booleans()) else None
    title = draw(labels) if decorations and draw(st.booleans()) else None
    return Diagram(participants=participants, events=tuple(events), title=title, autonumber=autonumber,
                   location=Location(FILE, 1))
