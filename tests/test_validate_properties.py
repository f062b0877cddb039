"""Property tests: well-formed generated flows validate without errors; deleting any reply gives one SEQ110."""

from __future__ import annotations

from dataclasses import replace

import strategies
from hypothesis import given, settings
from hypothesis import strategies as st

from diagram_dsl.model import Branch, Diagram, Event, Fragment, FragmentKind, Message, MessageKind, walk_events
from diagram_dsl.validate import Severity, validate


def _well_formed(diagram: Diagram) -> Diagram:
    """``strategies.diagrams()`` may put a ``break`` where, taken, it skips a reply to a request opened before it
    (a taken break leaves the rest of its innermost enclosing fragment, or the flow; groups are transparent).
    Such a flow is not well-formed under the validator's semantics, so those breaks become groups here."""
    order = {id(event): index for index, event in enumerate(walk_events(diagram.events))}
    opened_at = {m.id: order[id(m)] for m in diagram.messages() if m.kind is MessageKind.REQUEST}

    def skips_a_reply(rest: tuple[Event, ...], at: int) -> bool:
        return any(isinstance(m, Message) and m.kind is MessageKind.REPLY and m.reply_to is not None
                   and opened_at.get(m.reply_to, at) < at for m in walk_events(rest))

    def rewrite(events: tuple[Event, ...], tail: tuple[Event, ...]) -> tuple[Event, ...]:
        result: list[Event] = []
        for index, event in enumerate(events):
            if isinstance(event, Fragment):
                rest = events[index + 1:] + tail
                kind = event.kind
                if kind is FragmentKind.BREAK and skips_a_reply(rest, order[id(event)]):
                    kind = FragmentKind.GROUP
                inner_tail = rest if kind is FragmentKind.GROUP else ()
                event = Fragment(kind, tuple(replace(branch, events=rewrite(branch.events, inner_tail))
                                             for branch in event.branches), event.location)
            result.append(event)
        return tuple(result)

    return replace(diagram, events=rewrite(diagram.events, ()))


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
@given(strategies.diagrams(max_events=60))
def test_a_break_that_skips_a_reply_is_reported_after_that_break(diagram: Diagram) -> None:
    findings = [f for f in validate(diagram) if f.severity is Severity.ERROR]
    if _well_formed(diagram) == diagram:
        assert findings == []
    else:
        assert findings, "a taken break skips a reply here"
        assert all(f.code == "SEQ110" and "after break" in f.path for f in findings), [str(f) for f in findings]


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
