"""Speed-ups that must not show: ``frozen.quick`` keeps what a frozen dataclass promises (layout shapes, model
objects, findings), and the paused cyclic collector is restored."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from diagram_dsl.frozen import quick
from diagram_dsl.importers.assembly import Assembler
from diagram_dsl.importers.facts import Declaration
from diagram_dsl.model import (
    Activation,
    Location,
    Message,
    MessageKind,
    Note,
    NotePosition,
    Participant,
    ParticipantKind,
)
from diagram_dsl.renderers.native.scene import Rect, Stroke, TextLine
from diagram_dsl.validate.findings import make_finding


def test_quick_classes_build_compare_hash_and_stay_frozen() -> None:
    rect = Rect(1.0, 2.0, 3.0, 4.0)
    assert (rect.x, rect.y, rect.w, rect.h, rect.right, rect.bottom) == (1.0, 2.0, 3.0, 4.0, 4.0, 6.0)
    assert rect == Rect(1.0, 2.0, 3.0, 4.0) and hash(rect) == hash(Rect(1.0, 2.0, 3.0, 4.0))
    assert rect != Rect(1.0, 2.0, 3.0, 5.0)
    assert repr(rect) == "Rect(x=1.0, y=2.0, w=3.0, h=4.0)"
    assert Rect(w=3.0, h=4.0, x=1.0, y=2.0) == rect
    with pytest.raises(dataclasses.FrozenInstanceError):
        rect.x = 5.0  # type: ignore[misc]
    assert dataclasses.replace(rect, x=0.0) == Rect(0.0, 2.0, 3.0, 4.0)
    assert dataclasses.asdict(rect) == {"x": 1.0, "y": 2.0, "w": 3.0, "h": 4.0}


def test_quick_keeps_defaults_and_refuses_what_it_cannot_build() -> None:
    assert Stroke("#000") == Stroke("#000", 1.0, ())
    assert TextLine(1.0, 2.0, "a").width == 0.0
    with pytest.raises(TypeError):
        Rect(1.0, 2.0, 3.0)  # type: ignore[call-arg]

    @dataclasses.dataclass
    class Mutable:
        value: int

    @dataclasses.dataclass(frozen=True)
    class WithFactory:
        values: list[int] = dataclasses.field(default_factory=list)

    for cls in (Mutable, WithFactory):
        with pytest.raises(TypeError):
            quick(cls)


def test_layout_leaves_the_cyclic_collector_as_it_found_it() -> None:
    import gc

    from sample_flows import kitchen_sink

    from diagram_dsl.renderers.native.layout import layout_diagram

    diagram = kitchen_sink().diagram
    assert gc.isenabled()
    layout_diagram(diagram)
    assert gc.isenabled()
    gc.disable()
    try:
        layout_diagram(diagram)
        assert not gc.isenabled()
    finally:
        gc.enable()


_AT = Location("flow.puml", 7)


@pytest.mark.parametrize("made", [
    _AT, Message(3, MessageKind.REPLY, "a", "b", "done", _AT, 2, True, False),
    Message(1, MessageKind.REQUEST, "a", "b", "x"),
    Note(NotePosition.OVER, ("a", "b"), "text", _AT), Activation("a", True, _AT),
    Participant("a", "A", ParticipantKind.ACTOR, _AT, "box1"), Declaration("a", 4, None),
    make_finding("SEQ110", _AT, "no response", "in alt branch 'x'"),
], ids=lambda made: type(made).__name__)
def test_model_objects_built_quickly_keep_the_dataclass_contract(made: object) -> None:
    """The importers and the validator make these once per line or finding, through ``quick``'s constructor: every
    field set, in field order, and the object equal, hashed, ordered, pickled and frozen as the dataclass says."""
    fields = dataclasses.fields(made)  # type: ignore[arg-type]
    assert list(vars(made)) == [field.name for field in fields]
    by_keywords = type(made)(**{field.name: getattr(made, field.name) for field in fields})
    assert made == by_keywords and hash(made) == hash(by_keywords) and repr(made) == repr(by_keywords)
    assert pickle.loads(pickle.dumps(made)) == made
    assert dataclasses.replace(made) == made  # type: ignore[type-var]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.__setattr__(fields[0].name, None)


def test_quick_locations_and_findings_still_sort() -> None:
    assert Location("f", 2) < Location("f", 10) < Location("g", 1)
    early, late = make_finding("SEQ110", Location("f", 2), "x"), make_finding("SEQ110", Location("f", 10), "x")
    assert sorted([late, early]) == [early, late]


def test_an_assembled_message_has_every_field() -> None:
    message = Assembler("f", "plantuml").message(MessageKind.REQUEST, "a", "b", "x", 1)
    assert set(vars(message)) == {field.name for field in dataclasses.fields(Message)}
