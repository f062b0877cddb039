"""Property tests: well-formed generated flows validate without errors; deleting any reply gives one SEQ110."""

from __future__ import annotations

from dataclasses import replace

import strategies
from hypothesis import given, settings
from hypothesis import strategies as st

from diagram_dsl.model import Branch, Diagram, Event, Fragment, FragmentKind, Message, MessageKind, walk_events
from diagram_dsl.validate import Severity, validate


def _breaks_only_where_nothing_is_open(events: tuple[Event, ...], open_outside: int = 0) -> tuple[Event, ...]:
    """``strategies.diagrams()`` may put a ``break`` inside a call whose reply comes after it; a taken break
    skips that reply (the validator's break semantics), so such breaks become groups here."""
    local_open: list[int] = []
    result: list[Event] = []
    for event in events:
        if isinstance(event, Message) and event.kind is MessageKind.REQUEST:
            local_open.append(event.id)
        elif isinstance(event, Message) and event.kind is MessageKind.REPLY and event.reply_to in local_open:
            local_open.remove(event.reply_to)
        elif isinstance(event, Fragment):
            still_open = open_outside + len(local_open)
            kind = FragmentKind.GROUP if event.kind is FragmentKind.BREAK and still_open else event.kind
            branches = tuple(replace(branch, events=_breaks_only_where_nothing_is_open(branch.events, still_open))
                             for branch in event.branches)
            event = Fragment(kind, branches, event.location)
        result.append(event)
    return tuple(result)


def _well_formed(diagram: Diagram) -> Diagram:
    return replace(diagram, events=_breaks_only_where_nothing_is_open(diagram.events))


def _without(events: tuple[Event, ...], target: Message) -> tuple[Event, ...]:
    kept: list[Event] = []
    for event in events:
        if event is target:
            continue
        if isinstance(event, Fragment):
            event = Fragment(event.kind, tuple(Branch(b.guard, _without(b.events, target), b.location)
                                               for b in event.branches), event.location)
        kept.append(event)
    return tuple(kept)


def _errors(diagram: Diagram) -> list[str]:
    return [str(f) for f in validate(diagram) if f.severity is Severity.ERROR]


@settings(max_examples=150, deadline=None)
@given(strategies.diagrams(max_events=60))
def test_well_formed_flows_have_no_errors(diagram: Diagram) -> None:
    assert _errors(_well_formed(diagram)) == []


@settings(max_examples=150, deadline=None)
@given(strategies.diagrams(max_events=60), st.data())
def test_deleting_any_reply_reports_its_request(diagram: Diagram, data: st.DataObject) -> None:
    diagram = _well_formed(diagram)
    replies = [m for m in diagram.messages() if m.kind is MessageKind.REPLY]
    if not replies:
        return
    victim = data.draw(st.sampled_from(replies), label="deleted reply")
    request = next(m for m in diagram.messages() if m.id == victim.reply_to)
    findings = [f for f in validate(replace(diagram, events=_without(diagram.events, victim)))
                if f.severity is Severity.ERROR]
    assert [(f.code, f.location) for f in findings] == [("SEQ110", request.location)], [str(f) for f in findings]


@settings(max_examples=60, deadline=None)
@given(strategies.diagrams(hostile=True, max_events=40))
def test_hostile_labels_change_nothing(diagram: Diagram) -> None:
    assert _errors(_well_formed(diagram)) == []


def test_generated_flows_do_contain_breaks_inside_calls_that_the_rewrite_removes() -> None:
    # Guards the helper above: without it the validator would (rightly) see the skipped reply.
    from diagram_dsl.model import Location, Participant, ParticipantKind

    where = Location("t.py", 1)
    request = Message(1, MessageKind.REQUEST, "a", "b", "call", where)
    reply = Message(3, MessageKind.REPLY, "b", "a", "ok", Location("t.py", 3), reply_to=1)
    inner = Message(2, MessageKind.SELF, "b", "b", "work", Location("t.py", 2))
    diagram = Diagram(
        (Participant("a", "A", ParticipantKind.ACTOR), Participant("b", "B", ParticipantKind.PARTICIPANT)),
        (request, Fragment(FragmentKind.BREAK, (Branch("stop", (inner,), where),), where), reply))
    assert [f.code for f in validate(diagram) if f.severity is Severity.ERROR] == ["SEQ110"]
    assert _errors(_well_formed(diagram)) == []
    assert all(not (isinstance(e, Fragment) and e.kind is FragmentKind.BREAK)
               for e in walk_events(_well_formed(diagram).events))
