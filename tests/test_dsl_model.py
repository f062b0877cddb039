"""The DSL records exactly the model the author wrote, with file:line on every element."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
import sample_flows

from diagram_dsl import Flow, GuideEntry, Scores
from diagram_dsl.errors import DslError
from diagram_dsl.model import (
    Activation,
    Delay,
    Destruction,
    Divider,
    Fragment,
    FragmentKind,
    Message,
    MessageKind,
    Note,
    NotePosition,
    ParticipantKind,
    Reference,
    Space,
    walk_events,
)

HERE = "tests/test_dsl_model.py"


def new_flow(**overrides: object) -> Flow:
    fields: dict[str, object] = {"number": 7, "title": "Test Flow", "description": "d", "scores": Scores(5, 5, "High")}
    fields.update(overrides)
    return Flow(**fields)  # type: ignore[arg-type]


def line_of(marker: str) -> int:
    source = inspect.getsource(inspect.getmodule(line_of))  # type: ignore[arg-type]
    for number, text in enumerate(source.splitlines(), start=1):
        if text.rstrip().endswith(f"# {marker}"):
            return number
    raise AssertionError(marker)


def test_every_participant_kind_and_ids_from_labels() -> None:
    flow = new_flow()
    declared = [
        flow.actor("User"), flow.participant("Web App"), flow.service("Auth Service"), flow.boundary("UI"),
        flow.control("Ctl"), flow.entity("Order"), flow.database("User DB"), flow.queue("Bus"),
        flow.collections("Workers"), flow.participant("Line one\nline two", id="multi"),
    ]
    model = flow.build()
    assert [p.id for p in model.diagram.participants] == [
        "user", "web_app", "auth_service", "ui", "ctl", "order", "user_db", "bus", "workers", "multi"]
    assert [p.kind for p in model.diagram.participants] == [
        ParticipantKind.ACTOR, ParticipantKind.PARTICIPANT, ParticipantKind.PARTICIPANT, ParticipantKind.BOUNDARY,
        ParticipantKind.CONTROL, ParticipantKind.ENTITY, ParticipantKind.DATABASE, ParticipantKind.QUEUE,
        ParticipantKind.COLLECTIONS, ParticipantKind.PARTICIPANT]
    assert model.diagram.participants[-1].label == "Line one\nline two"
    assert [d.id for d in declared] == [p.id for p in model.diagram.participants]


def test_call_reply_pairing_and_activation_flags() -> None:
    flow = new_flow()
    user, web, db = flow.actor("User"), flow.participant("Web"), flow.database("DB")
    with user.call(web, "GET /") as get:
        web.call(db, "SELECT").reply("rows")
        get.reply("200")
    messages = flow.build().diagram.messages()
    assert [(m.kind, m.sender, m.receiver, m.label) for m in messages] == [
        (MessageKind.REQUEST, "user", "web", "GET /"),
        (MessageKind.REQUEST, "web", "db", "SELECT"),
        (MessageKind.REPLY, "db", "web", "rows"),
        (MessageKind.REPLY, "web", "user", "200"),
    ]
    assert [m.id for m in messages] == [1, 2, 3, 4]
    assert messages[2].reply_to == 2 and messages[3].reply_to == 1
    assert messages[0].activate and messages[3].deactivate
    assert not messages[0].deactivate and not messages[3].activate


def test_hand_written_reply_has_no_pairing_and_call_without_activation() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.call(b, "ping", activate=False)
    b.reply(a, "pong")
    request, reply = flow.build().diagram.messages()
    assert not request.activate
    assert reply.kind is MessageKind.REPLY and reply.reply_to is None and not reply.deactivate


def test_every_message_kind() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.send(b, "event")
    b.step("think")
    a.create(b, "new")
    a.destroy(b, "bye")
    a.lose("gone")
    a.lose("dropped", toward=b)
    flow.found(b, "from outside")
    kinds = [(m.kind, m.sender, m.receiver) for m in flow.build().diagram.messages()]
    assert kinds == [
        (MessageKind.ASYNC, "a", "b"), (MessageKind.SELF, "b", "b"), (MessageKind.CREATE, "a", "b"),
        (MessageKind.DESTROY, "a", "b"), (MessageKind.LOST, "a", None), (MessageKind.LOST, "a", "b"),
        (MessageKind.FOUND, None, "b"),
    ]


def test_notes_decorations_and_activation_events() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    flow.note("over both", over=[a, b])
    flow.note("left", left_of=a)
    flow.note("right", right_of=b)
    flow.note("over one", over=a)
    flow.ref("other flow", over=[a, b])
    flow.divider("Phase 2")
    flow.delay("later")
    flow.space(40)
    flow.activate(b)
    flow.deactivate(b)
    flow.end_of_life(b)
    flow.autonumber(10, 5)
    model = flow.build()
    events = model.diagram.events
    assert events[0] == Note(NotePosition.OVER, ("a", "b"), "over both", events[0].location)
    assert isinstance(events[1], Note) and events[1].position is NotePosition.LEFT
    assert isinstance(events[2], Note) and events[2].position is NotePosition.RIGHT
    assert isinstance(events[3], Note) and events[3].participants == ("a",)
    assert isinstance(events[4], Reference) and events[4].participants == ("a", "b")
    assert isinstance(events[5], Divider) and events[5].text == "Phase 2"
    assert isinstance(events[6], Delay) and events[6].text == "later"
    assert isinstance(events[7], Space) and events[7].pixels == 40
    assert events[8] == Activation("b", True, events[8].location)
    assert events[9] == Activation("b", False, events[9].location)
    assert isinstance(events[10], Destruction)
    assert model.diagram.autonumber is not None and (model.diagram.autonumber.start, model.diagram.autonumber.step) == (
        10, 5)


def test_fragments_nest_and_collect_branches() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with flow.alt("ok"):
        a.send(b, "1")
        with flow.loop("each item"):
            a.send(b, "2")
    with flow.else_("failed"):
        a.send(b, "3")
    with flow.else_("timeout"):
        a.send(b, "4")
    with flow.par("left"):
        a.send(b, "5")
    with flow.and_("right"):
        a.send(b, "6")
    with flow.critical("lock"):
        a.send(b, "7")
    with flow.option("lost lock"):
        a.send(b, "8")
    with flow.opt("maybe"), flow.break_("stop"), flow.group("named"):
        a.send(b, "9")
    events = flow.build().diagram.events
    alt = events[0]
    assert isinstance(alt, Fragment) and alt.kind is FragmentKind.ALT
    assert [branch.guard for branch in alt.branches] == ["ok", "failed", "timeout"]
    inner = alt.branches[0].events[1]
    assert isinstance(inner, Fragment) and inner.kind is FragmentKind.LOOP and inner.label == "each item"
    assert [e.kind for e in events if isinstance(e, Fragment)] == [
        FragmentKind.ALT, FragmentKind.PAR, FragmentKind.CRITICAL, FragmentKind.OPT]
    opt = events[3]
    assert isinstance(opt, Fragment)
    brk = opt.branches[0].events[0]
    assert isinstance(brk, Fragment) and brk.kind is FragmentKind.BREAK
    group = brk.branches[0].events[0]
    assert isinstance(group, Fragment) and group.kind is FragmentKind.GROUP
    labels = [m.label for m in walk_events(events) if isinstance(m, Message)]
    assert labels == [str(i) for i in range(1, 10)]


def test_boxes_group_participants() -> None:
    flow = new_flow()
    with flow.box("Edge", color="#EEF"):
        a = flow.actor("A")
        b = flow.participant("B")
    c = flow.participant("C")
    a.send(b, "x")
    b.send(c, "y")
    diagram = flow.build().diagram
    assert [(box.id, box.title, box.color) for box in diagram.boxes] == [("box1", "Edge", "#EEF")]
    assert [p.box for p in diagram.participants] == ["box1", "box1", None]


def test_metadata_is_recorded_verbatim() -> None:
    guide = GuideEntry("Selection Guide by Use Case", "Authentication & Authorization", "Basic authentication")
    model = new_flow(title="E-commerce Checkout", when_to_use=["a", "b"], important_points=["c"], guides=[guide],
                     allow=["SEQ102"]).build()
    meta = model.metadata
    assert (meta.number, meta.title, meta.slug) == (7, "E-commerce Checkout", "e-commerce-checkout")
    assert meta.when_to_use == ("a", "b") and meta.important_points == ("c",)
    assert meta.guides == (guide,) and meta.allow == ("SEQ102",)
    assert meta.scores == Scores(5, 5, "High")
    assert model.diagram.title == "E-commerce Checkout"


def test_every_element_records_its_source_line() -> None:
    flow = Flow(number=3, title="T", description="d", scores=Scores(1, 1, "Low"))  # L-flow
    a = flow.actor("A")  # L-actor
    b = flow.participant("B")  # L-part
    with flow.alt("g"):  # L-alt
        call = a.call(b, "req")  # L-call
        call.reply("rep")  # L-reply
    with flow.else_("h"):  # L-else
        flow.note("n", over=a)  # L-note
    model = flow.build()
    diagram = model.diagram
    assert model.metadata.location.line == line_of("L-flow")
    assert {p.location.line for p in diagram.participants} == {line_of("L-actor"), line_of("L-part")}
    alt = diagram.events[0]
    assert isinstance(alt, Fragment)
    assert alt.location.line == line_of("L-alt")
    assert [b.location.line for b in alt.branches] == [line_of("L-alt"), line_of("L-else")]
    call_msg, reply_msg = diagram.messages()
    assert (call_msg.location.line, reply_msg.location.line) == (line_of("L-call"), line_of("L-reply"))
    assert alt.branches[1].events[0].location.line == line_of("L-note")
    assert all(e.location.file.endswith("test_dsl_model.py") for e in walk_events(diagram.events))


def test_model_is_immutable() -> None:
    model = sample_flows.simple_login()
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.metadata.title = "changed"  # type: ignore[misc]
    assert isinstance(model.diagram.events, tuple)


def test_kitchen_sink_covers_every_kind() -> None:
    diagram = sample_flows.kitchen_sink().diagram
    events = walk_events(diagram.events)
    assert {m.kind for m in events if isinstance(m, Message)} == set(MessageKind)
    assert {f.kind for f in events if isinstance(f, Fragment)} == set(FragmentKind)
    assert {p.kind for p in diagram.participants} == set(ParticipantKind)
    assert {n.position for n in events if isinstance(n, Note)} == set(NotePosition)
    for kind in (Reference, Divider, Delay, Space, Activation):
        assert any(isinstance(e, kind) for e in events), kind
    assert diagram.boxes and diagram.autonumber and diagram.title


# ---- misuse of the DSL itself: clear error at the offending line ------------------------------------------


def test_else_outside_alt_is_an_error_at_that_line() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.send(b, "x")
    with pytest.raises(DslError) as caught, flow.else_("no alt"):  # L-bad-else
        pass
    assert caught.value.location is not None and caught.value.location.line == line_of("L-bad-else")
    assert "else_() must directly follow" in caught.value.message
    assert caught.value.code == "SEQ130", "reported under the rule a hand-written `else` outside `alt` breaks"


def test_and_after_alt_is_rejected() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with flow.alt("x"):
        a.send(b, "1")
    with pytest.raises(DslError, match=r"and_\(\) must directly follow"), flow.and_("y"):
        pass


def test_participant_from_another_flow_is_rejected() -> None:
    first, second = new_flow(), new_flow(number=8, title="Other")
    a = first.actor("A")
    b = second.participant("B")
    with pytest.raises(DslError, match="belongs to another flow") as caught:
        a.send(b, "cross")  # L-foreign
    assert caught.value.location is not None and caught.value.location.line == line_of("L-foreign")
    assert caught.value.code == "SEQ100", "a participant this flow does not declare"


@pytest.mark.parametrize("bad", [42, None])
def test_a_misuse_of_python_itself_stays_seq000(bad: object) -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with pytest.raises(DslError) as caught:
        a.send(b, bad)  # type: ignore[arg-type]
    assert caught.value.code == "SEQ000"


@pytest.mark.parametrize("bad", [42, None, b"bytes", ["list"]])
def test_non_string_label_is_rejected(bad: object) -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with pytest.raises(DslError, match="message label must be a string"):
        a.send(b, bad)  # type: ignore[arg-type]


def test_other_misuse_errors() -> None:
    flow = new_flow()
    a = flow.actor("A")
    with pytest.raises(DslError, match="already declared"):
        flow.participant("Other", id="a")
    with pytest.raises(DslError, match="exactly one of"):
        flow.note("x")
    with pytest.raises(DslError, match="not an identifier"):
        flow.participant("X", id="has space")
    with pytest.raises(DslError, match="list of strings"):
        new_flow(when_to_use="one string")
    with pytest.raises(DslError, match="number must be an integer"):
        new_flow(number="1")
    with pytest.raises(DslError, match="scores must be"):
        new_flow(scores=(1, 2, "High"))
    with pytest.raises(DslError, match="expected a participant"):
        a.send("b", "x")  # type: ignore[arg-type]
    with pytest.raises(DslError, match="positive integer"):
        flow.space(0)
    with flow.box("one"), pytest.raises(DslError, match="cannot be nested"), flow.box("two"):
        pass
    flow.autonumber()
    with pytest.raises(DslError, match="already on"):
        flow.autonumber()


def test_build_inside_open_fragment_is_an_error() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with flow.opt("x"):
        a.send(b, "1")
        with pytest.raises(DslError, match="open fragment"):
            flow.build()
