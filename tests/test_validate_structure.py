"""Declared structure: participants (SEQ100-SEQ103) and fragment shape (SEQ130-SEQ132)."""

from __future__ import annotations

from validate_support import check, new_flow, next_line, summary, with_code

from diagram_dsl.model import (
    Branch,
    Diagram,
    Fragment,
    FragmentKind,
    Location,
    Message,
    MessageKind,
    Note,
    NotePosition,
    Participant,
    ParticipantKind,
)
from diagram_dsl.validate import validate

FILE = "model.py"


def _at(line: int) -> Location:
    return Location(FILE, line)


def _people(*ids: str) -> tuple[Participant, ...]:
    return tuple(Participant(pid, pid.upper(), ParticipantKind.ACTOR if index == 0 else ParticipantKind.PARTICIPANT,
                             _at(1)) for index, pid in enumerate(ids))


def _async(mid: int, sender: str, receiver: str, line: int) -> Message:
    return Message(mid, MessageKind.ASYNC, sender, receiver, f"m{mid}", _at(line))


# -- SEQ100 ------------------------------------------------------------------------------------------------
def test_seq100_undeclared_participant_reported_once() -> None:
    diagram = Diagram(_people("a", "b"), (_async(1, "a", "b", 2), _async(2, "a", "ghost", 3),
                                           Note(NotePosition.OVER, ("ghost",), "boo", _at(4))))
    assert summary(with_code(validate(diagram), "SEQ100")) == [("SEQ100", 3, "")]


def test_seq100_near_miss_all_declared() -> None:
    diagram = Diagram(_people("a", "b"), (_async(1, "a", "b", 2), Note(NotePosition.OVER, ("b",), "ok", _at(3))))
    assert validate(diagram) == []


# -- SEQ101 ------------------------------------------------------------------------------------------------
def test_seq101_duplicate_label() -> None:
    flow = new_flow()
    a = flow.actor("Web")
    line = next_line()
    b = flow.participant("web", id="web_backend")
    a.send(b, "hello")
    assert summary(with_code(check(flow), "SEQ101")) == [("SEQ101", line, "")]


def test_seq101_duplicate_id() -> None:
    people = (Participant("a", "A", ParticipantKind.ACTOR, _at(1)), Participant("a", "Other", ParticipantKind.ENTITY,
                                                                               _at(2)))
    diagram = Diagram(people, (Message(1, MessageKind.SELF, "a", "a", "x", _at(3)),))
    assert summary(with_code(validate(diagram), "SEQ101")) == [("SEQ101", 2, "")]


def test_seq101_near_miss_same_label_in_different_boxes() -> None:
    flow = new_flow()
    with flow.box("Alice"):
        alice_agent = flow.actor("Agent", id="alice_agent")
    with flow.box("Bob"):
        bob_agent = flow.actor("Agent", id="bob_agent")
    alice_agent.send(bob_agent, "connect")
    assert check(flow) == []


def test_seq101_near_miss_similar_labels() -> None:
    flow = new_flow()
    a, b = flow.actor("Web"), flow.participant("Web API")
    a.send(b, "hello")
    assert check(flow) == []


# -- SEQ102 / SEQ103 ---------------------------------------------------------------------------------------
def test_seq102_declared_but_never_used_and_allow_waives_it() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    line = next_line()
    flow.participant("Unused")
    a.send(b, "hi")
    assert summary(check(flow)) == [("SEQ102", line, "")]
    waived = new_flow(allow=["SEQ102"])
    a, b = waived.actor("A"), waived.participant("B")
    waived.participant("Unused")
    a.send(b, "hi")
    assert check(waived) == []


def test_seq102_near_miss_used_only_in_a_note() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    watcher = flow.participant("Watcher")
    a.send(b, "hi")
    flow.note("observes", over=watcher)
    assert check(flow) == []


def test_seq103_participant_no_message_path_reaches() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    line = next_line()
    cron = flow.participant("Cron")
    a.send(b, "hi")
    cron.send(b, "tick")
    assert summary(check(flow)) == [("SEQ103", line, "")]


def test_seq103_near_miss_reached_through_others_or_found() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    c, hook = flow.participant("C"), flow.participant("Hook")
    a.send(b, "hi")
    b.send(c, "forward")
    flow.found(hook, "webhook")
    hook.send(c, "event")
    assert check(flow) == []


# -- SEQ130 / SEQ131 / SEQ132 -------------------------------------------------------------------------------
def test_seq130_empty_fragment() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.send(b, "hi")
    line = next_line()
    with flow.opt("never"):
        pass
    assert summary(check(flow)) == [("SEQ130", line, "")]


def test_seq130_else_on_an_opt_and_alt_starting_with_else() -> None:
    events = (
        Fragment(FragmentKind.OPT, (Branch("maybe", (_async(1, "a", "b", 3),), _at(2)),
                                    Branch("else", (_async(2, "a", "b", 5),), _at(4))), _at(2)),
        Fragment(FragmentKind.ALT, (Branch("else", (_async(3, "a", "b", 7),), _at(6)),), _at(6)),
    )
    findings = with_code(validate(Diagram(_people("a", "b"), events)), "SEQ130")
    assert summary(findings) == [("SEQ130", 4, ""), ("SEQ130", 6, "")]


def test_seq130_near_miss_well_formed_fragments() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with flow.alt("x > 0"):
        a.send(b, "positive")
    with flow.else_():
        a.send(b, "not positive")
    with flow.par():
        a.send(b, "one")
    with flow.and_():
        a.send(b, "two")
    assert check(flow) == []


def test_seq131_loop_without_guard() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    line = next_line()
    with flow.loop(""):
        a.send(b, "again")
    assert summary(check(flow)) == [("SEQ131", line, "")]


def test_seq131_break_without_guard_not_first_in_a_guarded_branch() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with flow.alt("invalid"):
        a.send(b, "log")
        line = next_line()
        with flow.break_(""):
            a.send(b, "abort")
    with flow.else_("valid"):
        a.send(b, "go on")
    assert summary(check(flow)) == [("SEQ131", line, "")]


def test_seq131_near_miss_break_opening_a_guarded_branch_takes_its_guard() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with flow.alt("invalid"), flow.break_(""):  # `alt invalid` → `break`: the branch names the condition
        a.send(b, "abort")
    with flow.else_(""), flow.opt(""):  # an else branch means "otherwise"
        a.send(b, "go on")
    assert check(flow) == []


def test_seq132_empty_else_branch() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with flow.alt("valid"):
        a.send(b, "save")
    line = next_line()
    with flow.else_("invalid"):
        pass
    assert summary(check(flow)) == [("SEQ132", line, "")]


def test_seq132_near_miss_branch_with_only_a_note() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with flow.alt("valid"):
        a.send(b, "save")
    with flow.else_("invalid"):
        flow.note("nothing to do", over=a)
    assert check(flow) == []
