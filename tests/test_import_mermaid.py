"""Mermaid importer: each piece of sequenceDiagram syntax lands in the model at the line it was written on."""

from __future__ import annotations

import pytest

from diagram_dsl.importers import ImportFailure, import_mermaid, parse_mermaid
from diagram_dsl.model import (
    Activation,
    Delay,
    Destruction,
    Diagram,
    Divider,
    Event,
    Fragment,
    FragmentKind,
    MessageKind,
    Note,
    NotePosition,
    ParticipantKind,
    Reference,
    Space,
    walk_events,
)


def mmd(body: str) -> Diagram:
    return import_mermaid("sequenceDiagram\n" + body + "\n", "x.mmd")


def kinds(diagram: Diagram) -> list[tuple[MessageKind, str | None, str | None, str]]:
    return [(m.kind, m.sender, m.receiver, m.label) for m in diagram.messages()]


def of_type(diagram: Diagram, kind: type[Event]) -> list[Event]:
    return [event for event in walk_events(diagram.events) if isinstance(event, kind)]


def test_participants_actors_aliases_and_types() -> None:
    diagram = mmd('participant A as Alice<br/>Smith\nactor U\nparticipant DB@{ "type": "database" } as Orders\n'
                  "participant Q@{ \"type\" : \"queue\" }\nparticipant Local Control Plane")
    assert [(p.id, p.label, p.kind, p.location.line) for p in diagram.participants] == [
        ("a", "Alice\nSmith", ParticipantKind.PARTICIPANT, 2), ("u", "U", ParticipantKind.ACTOR, 3),
        ("db", "Orders", ParticipantKind.DATABASE, 4), ("q", "Q", ParticipantKind.QUEUE, 5),
        ("local_control_plane", "Local Control Plane", ParticipantKind.PARTICIPANT, 6)]


def test_arrow_forms_follow_mermaid_meaning() -> None:
    diagram = mmd("A->>B: call\nB-->>A: answer\nA-)B: fire\nA--)B: fire dotted\nA-xB: lost\nA--xB: lost dotted\n"
                  "A->B: line\nA-->B: dotted line\nA->>A: self\nA-xA: to nowhere\nA<<->>B: both ways")
    assert kinds(diagram) == [
        (MessageKind.REQUEST, "a", "b", "call"), (MessageKind.REPLY, "b", "a", "answer"),
        (MessageKind.ASYNC, "a", "b", "fire"), (MessageKind.ASYNC, "a", "b", "fire dotted"),
        (MessageKind.LOST, "a", "b", "lost"), (MessageKind.LOST, "a", "b", "lost dotted"),
        (MessageKind.ASYNC, "a", "b", "line"), (MessageKind.ASYNC, "a", "b", "dotted line"),
        (MessageKind.SELF, "a", "a", "self"), (MessageKind.LOST, "a", None, "to nowhere"),
        (MessageKind.REQUEST, "a", "b", "both ways"), (MessageKind.REPLY, "b", "a", ""),
    ]
    assert [m.location.line for m in diagram.messages()][:3] == [2, 3, 4]


def test_dotted_arrow_answering_no_call_is_a_one_way_message() -> None:
    assert [m.kind for m in mmd("B-->>A: unsolicited").messages()] == [MessageKind.ASYNC]


def test_activation_shorthands_and_solid_returns() -> None:
    diagram = mmd("A->>+B: go\nB->>-A: back\nA->>+B: again\nactivate B\ndeactivate B\nB-->>-A: done")
    messages = diagram.messages()
    assert messages[0].activate and messages[1].kind is MessageKind.REPLY and messages[1].deactivate
    assert messages[3].kind is MessageKind.REPLY
    assert [(a.active, a.location.line) for a in of_type(diagram, Activation)] == [(True, 5), (False, 6)]


def test_create_and_destroy() -> None:
    diagram = mmd("Alice->>Bob: hi\ncreate participant Carl\nAlice->>Carl: hi Carl\ndestroy Carl\n"
                  "Alice-xCarl: bye\ndestroy Bob\nBob->>Alice: I agree")
    assert [m.kind for m in diagram.messages()] == [
        MessageKind.REQUEST, MessageKind.CREATE, MessageKind.DESTROY, MessageKind.REQUEST]
    assert [(d.participant, d.location.line) for d in of_type(diagram, Destruction)] == [("bob", 8)]


def test_notes_including_several_participants() -> None:
    diagram = mmd("A->>B: x\nNote right of A: one\nnote left of B: two\nNote over A,B: both<br>lines\n"
                  "Note over B: three")
    assert [(n.position, n.participants, n.text, n.location.line) for n in of_type(diagram, Note)] == [
        (NotePosition.RIGHT, ("a",), "one", 3), (NotePosition.LEFT, ("b",), "two", 4),
        (NotePosition.OVER, ("a", "b"), "both\nlines", 5), (NotePosition.OVER, ("b",), "three", 6)]


def test_every_fragment_kind_and_rect_is_ignored() -> None:
    diagram = mmd("alt ok\nA->>B: 1\nelse failed\nA->>B: 2\nend\nopt maybe\nA->>B: 3\nend\nloop every minute\n"
                  "A->>B: 4\nend\npar one\nA->>B: 5\nand two\nA->>C: 6\nend\ncritical lock\nA->>B: 7\n"
                  "option timeout\nA->>B: 8\nend\nbreak oops\nA->>B: 9\nend\nrect rgb(191, 223, 255)\n"
                  "A->>B: 10\nend")
    fragments = [e for e in diagram.events if isinstance(e, Fragment)]
    assert [(f.kind, [b.guard for b in f.branches], f.location.line) for f in fragments] == [
        (FragmentKind.ALT, ["ok", "failed"], 2), (FragmentKind.OPT, ["maybe"], 7),
        (FragmentKind.LOOP, ["every minute"], 10), (FragmentKind.PAR, ["one", "two"], 13),
        (FragmentKind.CRITICAL, ["lock", "timeout"], 18), (FragmentKind.BREAK, ["oops"], 23)]
    assert diagram.messages()[-1].label == "10" and diagram.events[-1] is diagram.messages()[-1]


def test_activation_restored_for_a_later_branch_is_not_an_event() -> None:
    diagram = mmd("A->>+B: q\nalt yes\nB-->>-A: y\nelse no\nactivate B\nB-->>-A: n\nend")
    assert of_type(diagram, Activation) == []


def test_boxes_titles_autonumber_and_comments() -> None:
    diagram = mmd("title: Flow title\nautonumber 5 2\n%% a comment\nbox Purple Alice & John\nparticipant A\n"
                  "end\nbox rgb(232, 240, 254) Backend\nparticipant B\nend\nbox Another Group\nparticipant C\nend\n"
                  "A->>B: x; B->>C: y")
    assert diagram.title == "Flow title"
    assert diagram.autonumber is not None and (diagram.autonumber.start, diagram.autonumber.step) == (5, 2)
    assert [(b.title, b.color) for b in diagram.boxes] == [
        ("Alice & John", "Purple"), ("Backend", "#E8F0FE"), ("Another Group", None)]
    assert [m.label for m in diagram.messages()] == ["x", "y"]


def test_frontmatter_and_init_directive() -> None:
    text = "---\ntitle: From frontmatter\nconfig:\n  theme: neutral\n---\n%%{init: {'theme': 'dark'}}%%\n" \
           "sequenceDiagram\n  A->>B: hi"
    diagram = import_mermaid(text, "f.mmd")
    assert diagram.title == "From frontmatter" and diagram.location.line == 7
    assert diagram.messages()[0].location.line == 8


def test_entity_codes_and_breaks_in_labels() -> None:
    diagram = mmd("A->>B: I #9829; you #infin; #59; #lt;br/#gt; done<br/>next")
    assert diagram.messages()[0].label == "I \u2665 you \u221e ; <br/> done\nnext"


def test_notes_that_stand_for_model_elements() -> None:
    diagram = mmd("participant A\nparticipant B\nNote over A,B: == Phase ==\nNote over A,B: ... later ...\n"
                  "Note over A,B: ref: other flow\nNote left of B: \u2192 incoming\n%% space 30px: Mermaid has no "
                  "vertical spacer\nrect rgba(128, 128, 128, 0.12)\nNote over A,B: cleanup\nA-)B: bye\nend")
    assert [d.text for d in of_type(diagram, Divider)] == ["Phase"]
    assert [d.text for d in of_type(diagram, Delay)] == ["later"]
    assert [(r.participants, r.text) for r in of_type(diagram, Reference)] == [(("a", "b"), "other flow")]
    assert kinds(diagram)[0] == (MessageKind.FOUND, None, "b", "incoming")
    assert [s.pixels for s in of_type(diagram, Space)] == [30]
    group = next(e for e in diagram.events if isinstance(e, Fragment))
    assert group.kind is FragmentKind.GROUP and group.label == "cleanup" and of_type(diagram, Note) == []


def test_other_mermaid_diagrams_are_skipped() -> None:
    assert parse_mermaid("flowchart LR\n  A --> B\n", "f.mmd") == []
    assert parse_mermaid("%% nothing\n", "f.mmd") == []


@pytest.mark.parametrize(("body", "line"), [("alt x\nA->>B: y", 2), ("Note left of A,B: two", 2)])
def test_syntax_errors_are_one_failure_at_their_line(body: str, line: int) -> None:
    results = parse_mermaid("sequenceDiagram\n" + body + "\n", "bad.mmd", first_line=1)
    assert len(results) == 1 and results[0].diagram is None
    error = results[0].error
    assert isinstance(error, ImportFailure) and error.location is not None and error.location.line == line
    assert str(error).startswith(f"bad.mmd:{line}: ")


@pytest.mark.parametrize(("body", "line"), [
    ("A->>B: x\nthis is not mermaid", 3), ("A->>B: x\nelse", 3), ("par a\nA->>B: x\nelse b\nend", 4),
    ("A->>B: x\nend", 3),
])
def test_a_statement_that_cannot_be_read_is_skipped_and_located(body: str, line: int) -> None:
    results = parse_mermaid("sequenceDiagram\n" + body + "\n", "bad.mmd", first_line=1)
    assert len(results) == 1 and results[0].diagram is not None and results[0].diagram.messages()
    assert [skipped.line for skipped in results[0].facts.skipped] == [line]
    with pytest.raises(ImportFailure):
        import_mermaid("sequenceDiagram\n" + body + "\n", "bad.mmd")  # the strict API reads all or raises


def test_half_arrows_of_mermaid_11_are_one_way_messages() -> None:
    diagram = import_mermaid("sequenceDiagram\nA-|\\B: top\nA--//B: dotted stick\nA/|-B: reversed\n")
    assert [(m.kind, m.sender, m.receiver) for m in diagram.messages()] == [
        (MessageKind.ASYNC, "a", "b"), (MessageKind.ASYNC, "a", "b"), (MessageKind.ASYNC, "b", "a")]


def test_first_line_offsets_every_location() -> None:
    diagram = parse_mermaid("sequenceDiagram\nA->>B: x\n", "doc.md", first_line=40)[0].diagram
    assert diagram is not None and diagram.location.line == 40 and diagram.messages()[0].location.line == 41


def test_replies_drawn_needs_a_reply_to_the_call_being_served() -> None:
    # Answers drawn solid, one dotted notification to an old caller: the author leaves replies implicit.
    implicit = parse_mermaid("sequenceDiagram\nC->>S: call\nS->>C: answer\nS->>X: ask\nX->>S: told\n"
                             "S-->>C: notification\n", "n.mmd")[0]
    assert not implicit.replies_drawn
    assert implicit.diagram is not None and implicit.diagram.messages()[-1].kind is MessageKind.REPLY
    explicit = parse_mermaid("sequenceDiagram\nC->>S: call\nS->>X: ask\nX-->>S: told\n", "n.mmd")[0]
    assert explicit.replies_drawn
    solid_return = parse_mermaid("sequenceDiagram\nC->>+S: call\nS->>-C: answer\n", "n.mmd")[0]
    assert solid_return.replies_drawn


def test_declaring_a_participant_after_using_it_sets_its_kind_and_label() -> None:
    diagram = mmd("A->>B: x\nparticipant B as Bob\nactor A\nparticipant B as Not Again")
    assert [(p.id, p.label, p.kind, p.location.line) for p in diagram.participants] == [
        ("a", "A", ParticipantKind.ACTOR, 2), ("b", "Bob", ParticipantKind.PARTICIPANT, 2)]
