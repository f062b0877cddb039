"""PlantUML importer: each piece of sequence syntax lands in the model at the line it was written on."""

from __future__ import annotations

import pytest

from diagram_dsl.importers import ImportFailure, import_plantuml, parse_plantuml
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
    NotePosition,
    ParticipantKind,
    Reference,
    Space,
    walk_events,
)


def uml(body: str) -> Diagram:
    return import_plantuml(f"@startuml\n{body}\n@enduml\n", "x.puml")


def kinds(diagram: Diagram) -> list[tuple[MessageKind, str | None, str | None, str]]:
    return [(m.kind, m.sender, m.receiver, m.label) for m in diagram.messages()]


def of_type(diagram: Diagram, kind: type[Event]) -> list[Event]:
    return [event for event in walk_events(diagram.events) if isinstance(event, kind)]


def test_participant_kinds_aliases_and_quoted_names() -> None:
    diagram = uml('actor "Web\\nUser" as U #red\nparticipant Bob as B\ndatabase Store\nqueue "Job Queue"\n'
                  'collections C as "Many Things"\nentity E order 10\nboundary Bd\ncontrol Ctl')
    found = [(p.id, p.label, p.kind) for p in diagram.participants]
    assert found == [
        ("u", "Web\nUser", ParticipantKind.ACTOR), ("b", "Bob", ParticipantKind.PARTICIPANT),
        ("store", "Store", ParticipantKind.DATABASE), ("job_queue", "Job Queue", ParticipantKind.QUEUE),
        ("c", "Many Things", ParticipantKind.COLLECTIONS), ("e", "E", ParticipantKind.ENTITY),
        ("bd", "Bd", ParticipantKind.BOUNDARY), ("ctl", "Ctl", ParticipantKind.CONTROL),
    ]
    assert [p.location.line for p in diagram.participants] == [2, 3, 4, 5, 6, 7, 8, 9]


def test_arrow_forms_follow_plantuml_meaning() -> None:
    diagram = uml("A -> B : call\nB --> A : answer\nA ->> B : fire\nA ->x B : gone\nA -> A : think\n"
                  "[-> A : in\nA ->] : out\nA <- B : back\nA -[#red]> B : coloured\nA -[#blue]-> B : dashed")
    assert kinds(diagram) == [
        (MessageKind.REQUEST, "a", "b", "call"), (MessageKind.REPLY, "b", "a", "answer"),
        (MessageKind.ASYNC, "a", "b", "fire"), (MessageKind.LOST, "a", "b", "gone"),
        (MessageKind.SELF, "a", "a", "think"), (MessageKind.FOUND, None, "a", "in"),
        (MessageKind.LOST, "a", None, "out"), (MessageKind.REQUEST, "b", "a", "back"),
        (MessageKind.REQUEST, "a", "b", "coloured"), (MessageKind.REPLY, "a", "b", "dashed"),
    ]
    assert [m.location.line for m in diagram.messages()] == list(range(2, 12))


def test_dashed_arrow_answering_no_call_is_a_one_way_message() -> None:
    diagram = uml("A --> B : event\nA -> B : call\nB --> A : ok\nB --> A : again")
    assert [m.kind for m in diagram.messages()] == [
        MessageKind.ASYNC, MessageKind.REQUEST, MessageKind.REPLY, MessageKind.ASYNC]


def test_bidirectional_arrow_is_a_call_and_its_answer() -> None:
    diagram = uml("A <-> B : sync")
    assert kinds(diagram) == [(MessageKind.REQUEST, "a", "b", "sync"), (MessageKind.REPLY, "b", "a", "")]


def test_activation_shorthands_create_and_destroy() -> None:
    diagram = uml("A -> B ++ : go\nB -> C ** : make\nB -> C !! : kill\nB --> A -- : done\nA -> B --++ : both")
    messages = diagram.messages()
    assert (messages[0].activate, messages[0].deactivate) == (True, False)
    assert messages[1].kind is MessageKind.CREATE and messages[2].kind is MessageKind.DESTROY
    assert messages[3].kind is MessageKind.REPLY and messages[3].deactivate
    assert (messages[4].activate, messages[4].deactivate) == (True, True)


def test_create_keyword_and_destroy_after_a_message() -> None:
    diagram = uml("participant A\ncreate B\nA -> B : new\nA -> B : bye\ndestroy B\ndestroy A")
    assert [m.kind for m in diagram.messages()] == [MessageKind.CREATE, MessageKind.DESTROY]
    assert [(d.participant, d.location.line) for d in of_type(diagram, Destruction)] == [("a", 7)]


def test_return_answers_the_activation_and_autoactivate() -> None:
    diagram = uml("autoactivate on\nA -> B : hello\nB -> C : ask\nreturn fine\nreturn done")
    messages = diagram.messages()
    assert [(m.kind, m.sender, m.receiver) for m in messages] == [
        (MessageKind.REQUEST, "a", "b"), (MessageKind.REQUEST, "b", "c"),
        (MessageKind.REPLY, "c", "b"), (MessageKind.REPLY, "b", "a")]
    assert messages[0].activate and messages[2].reply_to == messages[1].id and messages[3].reply_to == messages[0].id


def test_return_without_an_activation_goes_back_along_the_last_message() -> None:
    """The real PlantUML draws it so (CommandReturn: no activating message -> reverse the last one, deactivate
    nothing): a dashed `B --> A`, which answers the call."""
    diagram = uml("A -> B : x\nreturn #red done")
    request, answer = of_type(diagram, Message)
    assert (answer.kind, answer.sender, answer.receiver, answer.label) == (MessageKind.REPLY, "b", "a", "done")
    assert answer.reply_to == request.id and not answer.deactivate and answer.location.line == 3


def test_return_with_no_message_to_return_along_is_a_clean_failure() -> None:
    with pytest.raises(ImportFailure) as caught:
        uml("participant A\nreturn nope")
    assert caught.value.location is not None and caught.value.location.line == 3


def test_activate_deactivate_events_keep_their_lines() -> None:
    diagram = uml('A -> B : x\nactivate B\ndeactivate B\nactivate "B"')
    assert [(a.participant, a.active, a.location.line) for a in of_type(diagram, Activation)] == [
        ("b", True, 3), ("b", False, 4), ("b", True, 5)]


def test_notes_single_multi_line_over_several_and_attached() -> None:
    diagram = uml("A -> B : x\nnote left of A : one\nnote over A, B #pink\n  first\n  second\nend note\n"
                  "hnote right of B\ntext\nendhnote\nnote right : beside\n/ note over B : teoz\nnote across : all")
    notes = of_type(diagram, Note)
    assert [(n.position, n.participants, n.text, n.location.line) for n in notes] == [
        (NotePosition.LEFT, ("a",), "one", 3), (NotePosition.OVER, ("a", "b"), "first\nsecond", 4),
        (NotePosition.RIGHT, ("b",), "text", 8), (NotePosition.RIGHT, ("b",), "beside", 11),
        (NotePosition.OVER, ("b",), "teoz", 12), (NotePosition.OVER, ("a", "b"), "all", 13)]


def test_every_fragment_kind_with_branches() -> None:
    diagram = uml("alt ok\nA -> B : 1\nelse failed\nA -> B : 2\nend\nopt maybe\nA -> B : 3\nend opt\n"
                  "loop 3 times\nA -> B : 4\nend loop\npar\nA -> B : 5\nelse\nA -> C : 6\nend\n"
                  "critical lock\nA -> B : 7\nend\nbreak oops\nA -> B : 8\nend\ngroup#Gold #LightBlue My group\n"
                  "A -> B : 9\nend group")
    fragments = [e for e in diagram.events if isinstance(e, Fragment)]
    assert [(f.kind, [b.guard for b in f.branches], f.location.line) for f in fragments] == [
        (FragmentKind.ALT, ["ok", "failed"], 2), (FragmentKind.OPT, ["maybe"], 7),
        (FragmentKind.LOOP, ["3 times"], 10), (FragmentKind.PAR, ["", ""], 13),
        (FragmentKind.CRITICAL, ["lock"], 18), (FragmentKind.BREAK, ["oops"], 21),
        (FragmentKind.GROUP, ["My group"], 24)]
    assert fragments[0].branches[1].location.line == 4


def test_unclosed_group_is_closed_at_enduml_like_plantuml_does() -> None:
    diagram = uml('group "Inspection"\nA -> B : x')
    assert isinstance(diagram.events[0], Fragment) and len(diagram.messages()) == 1


def test_ref_divider_delay_space_autonumber_title() -> None:
    diagram = uml("title My Flow\nautonumber 10 5\nA -> B : x\nref over A, B : see other\nref over B\n  two\n"
                  "  lines\nend ref\n== Phase 2 ==\n...\n...5 minutes later...\n|||\n||45||")
    assert diagram.title == "My Flow" and (diagram.autonumber.start, diagram.autonumber.step) == (10, 5)
    references = of_type(diagram, Reference)
    assert [(r.participants, r.text) for r in references] == [(("a", "b"), "see other"), (("b",), "two\nlines")]
    assert [d.text for d in of_type(diagram, Divider)] == ["Phase 2"]
    assert [d.text for d in of_type(diagram, Delay)] == ["", "5 minutes later"]
    assert [s.pixels for s in of_type(diagram, Space)] == [None, 45]


def test_boxes_group_participants() -> None:
    diagram = uml('box "Backend" #LightBlue\nparticipant A\nparticipant B\nend box\nbox "DB" #E8F0FE\ndatabase D\n'
                  "endbox\nparticipant C")
    assert [(b.title, b.color) for b in diagram.boxes] == [("Backend", "LightBlue"), ("DB", "#E8F0FE")]
    assert [p.box for p in diagram.participants] == ["box1", "box1", "box2", None]


def test_styling_and_furniture_are_ignored_on_purpose() -> None:
    diagram = uml("!theme plain\nskinparam sequence {\n  ArrowColor red\n}\nskinparam shadowing false\n"
                  "<style>\nroot { FontSize 10 }\n</style>\nhide footbox\nheader Page\nfooter Page %page%\n"
                  "legend right\nsome legend\nendlegend\n' a comment\n/' block\ncomment '/\nA -> B : x\nnewpage\n"
                  "A -> B : y")
    assert [m.label for m in diagram.messages()] == ["x", "y"]
    assert diagram.messages()[0].location.line == 19


def test_several_blocks_per_file_and_non_sequence_blocks_are_skipped() -> None:
    text = ("@startuml\nA -> B : one\n@enduml\n\n@startuml\nclass Foo {\n}\n@enduml\n@startmindmap\n* a\n"
            "@endmindmap\n@startuml second\nC -> D : two\n@enduml\n")
    results = parse_plantuml(text, "many.puml")
    assert [r.origin.line for r in results] == [1, 12]
    assert [r.diagram.messages()[0].location.line for r in results if r.diagram] == [2, 13]


def test_a_line_that_cannot_be_read_is_skipped_and_located() -> None:
    results = parse_plantuml("@startuml\nA -> B : fine\nthis is not plantuml\nB --> A : still read\n@enduml\n"
                             "@startuml\nA -> B\n", "bad.puml")
    assert len(results) == 2
    first, second = results
    assert first.diagram is not None and [m.label for m in first.diagram.messages()] == ["fine", "still read"]
    assert [(s.line, s.text) for s in first.facts.skipped] == [(3, "this is not plantuml")]
    assert "cannot read `this is not plantuml`" in first.facts.skipped[0].message
    assert second.error is not None and second.error.location is not None and second.error.location.line == 6
    assert "never closed" in second.error.message


def test_a_diagram_with_nothing_readable_is_one_failure_at_its_first_line() -> None:
    results = parse_plantuml("@startuml\nthis is not plantuml\nneither is this\n@enduml\n", "bad.puml")
    assert len(results) == 1 and results[0].diagram is None and results[0].error is not None
    assert str(results[0].error).startswith("bad.puml:2: cannot read `this is not plantuml`")


@pytest.mark.parametrize(("body", "line"), [
    ("alt x\nA -> B\nelse\nend\nend", 6), ("note over A\nnever closed", 2),
    ("A -> B : x\nend note", 3), ("else", 2),
])
def test_structural_errors_name_their_line(body: str, line: int) -> None:
    with pytest.raises(ImportFailure) as caught:  # import_plantuml reads faithfully or raises
        uml(body)
    assert caught.value.location is not None and caught.value.location.line == line
    assert str(caught.value).startswith(f"x.puml:{line}: ")


def test_real_plantuml_forms_are_read() -> None:
    diagram = uml("!pragma teoz true\nbox \"Outer\"\nparticipant A\nbox \"Inner\"\nparticipant B\nend box\nend box\n"
                  "A -->X B : lost\nA -[#gray]-x B : grey lost\nA -> B : a long \\\ncontinued label\n"
                  "A ->(10) B : slanted\nA o--> B : circle tail")
    assert [b.title for b in diagram.boxes] == ["Outer", "Inner"]
    assert [(p.id, p.box) for p in diagram.participants] == [("a", "box1"), ("b", "box2")]
    assert [(m.kind, m.label) for m in diagram.messages()] == [
        (MessageKind.LOST, "lost"), (MessageKind.LOST, "grey lost"), (MessageKind.REQUEST, "a long continued label"),
        (MessageKind.REQUEST, "slanted"), (MessageKind.ASYNC, "circle tail")]


def test_labels_unescape_plantuml_text() -> None:
    diagram = uml("A -> B : two\\nlines <U+003C>b<U+003E> back\\\\slash &#233;")
    assert diagram.messages()[0].label == "two\nlines <b> back\\slash é"


def test_messages_inside_teoz_parallel_and_anchors() -> None:
    diagram = uml("!pragma teoz true\n{s} A -> B : start\n& B -> C : same time\n{s} <-> {e} : duration")
    assert [m.label for m in diagram.messages()] == ["start", "same time"]


def test_no_messages_at_all_is_not_a_diagram() -> None:
    assert parse_plantuml("@startuml\n@enduml\n", "empty.puml") == []
    assert isinstance(of_type(uml("A -> B : x"), Message)[0], Message)


def test_free_text_mentioning_other_diagram_words_is_still_a_sequence_diagram() -> None:
    diagram = uml("A -> B : x\nref over A\n  class Foo\n  state of the art\nend ref\nnote over B\nstart here\n"
                  "end note\nlegend\nclass legend\nendlegend")
    assert len(diagram.messages()) == 1 and diagram.messages()[0].location.line == 2


def test_style_sheets_naming_other_diagrams_elements_do_not_hide_a_sequence_diagram() -> None:
    """`<style> component {...}` or `skinparam state {...}` style elements of other diagram types; the diagram is
    still a sequence diagram and is checked (it used to be skipped silently as a state/component diagram)."""
    diagram = uml("<style>\ncomponent {\n  BackgroundColor red\n}\nstate {\n  LineColor blue\n}\n</style>\n"
                  "skinparam state {\n  BackgroundColor red\n}\nA -> B : x")
    assert [m.location.line for m in diagram.messages()] == [13]


def test_a_class_diagram_with_a_skinparam_block_is_still_skipped() -> None:
    assert parse_plantuml("@startuml\nskinparam class {\n  BackgroundColor red\n}\nclass Foo\nFoo <|-- Bar\n@enduml\n",
                          "x.puml") == []
