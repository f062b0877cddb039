"""The assembler's fast ways to build model objects make exactly what the model's own constructors make."""

from __future__ import annotations

import dataclasses
import pickle

from diagram_dsl.importers.assembly import Assembler, _new_message
from diagram_dsl.model import Location, Message, MessageKind


def test_a_fast_message_is_the_message_its_constructor_makes() -> None:
    location = Location("flow.puml", 7)
    fields = (3, MessageKind.REPLY, "a", "b", "done", location, 2, True, False)
    fast, built = _new_message(*fields), Message(*fields)
    assert type(fast) is Message
    assert fast == built and hash(fast) == hash(built) and repr(fast) == repr(built)
    assert vars(fast) == vars(built) and list(vars(fast)) == list(vars(built))  # every field, in field order
    assert pickle.loads(pickle.dumps(fast)) == built
    assert dataclasses.replace(fast, label="other") == dataclasses.replace(built, label="other")
    try:
        fast.label = "changed"  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a fast message must stay frozen")


def test_every_field_of_message_is_set() -> None:
    # A field added to Message must be added to _new_message too (or the fast one would lack it).
    assembler = Assembler("f", "plantuml")
    message = assembler.message(MessageKind.REQUEST, "a", "b", "x", 1)
    assert set(vars(message)) == {field.name for field in dataclasses.fields(Message)}


def test_a_location_is_the_location_its_constructor_makes() -> None:
    fast, built = Assembler("flow.puml", "plantuml").loc(7), Location("flow.puml", 7)
    assert type(fast) is Location and fast == built and hash(fast) == hash(built) and repr(fast) == repr(built)
    assert vars(fast) == vars(built) and list(vars(fast)) == list(vars(built))
    assert str(fast) == "flow.puml:7" and fast < Location("flow.puml", 8) and pickle.loads(pickle.dumps(fast)) == built
    assert set(vars(fast)) == {field.name for field in dataclasses.fields(Location)}


def test_the_other_fast_objects_are_the_objects_their_constructors_make() -> None:
    from diagram_dsl.importers.assembly import _new_activation, _new_declaration, _new_participant, new_note
    from diagram_dsl.importers.facts import Declaration
    from diagram_dsl.model import Activation, Note, NotePosition, Participant, ParticipantKind

    location = Location("flow.puml", 4)
    pairs = [
        (new_note(NotePosition.OVER, ("a", "b"), "text", location),
         Note(NotePosition.OVER, ("a", "b"), "text", location)),
        (_new_activation("a", True, location), Activation("a", True, location)),
        (_new_participant("a", "A", ParticipantKind.ACTOR, location, "box1"),
         Participant("a", "A", ParticipantKind.ACTOR, location, "box1")),
        (_new_declaration("a", 4, None), Declaration("a", 4, None)),
    ]
    for fast, built in pairs:
        assert type(fast) is type(built)
        assert fast == built and hash(fast) == hash(built) and repr(fast) == repr(built)
        assert vars(fast) == vars(built) and list(vars(fast)) == list(vars(built))  # every field, in field order
        assert pickle.loads(pickle.dumps(fast)) == built
