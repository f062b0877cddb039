"""Generated flows with the features the shared strategy leaves out: boxes, create/destroy, found/lost,
notes on every side, dividers, delays, spaces and refs — laid out with clean geometry."""

from __future__ import annotations

from dataclasses import replace

import render_checks
import strategies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagram_dsl.model import (
    Activation,
    Box,
    Delay,
    Diagram,
    Divider,
    Event,
    Message,
    MessageKind,
    Note,
    NotePosition,
    Participant,
    ParticipantKind,
    Reference,
    Space,
)
from diagram_dsl.renderers.native.layout import layout_diagram

TITLES = st.sampled_from(["Group", "x", "A rather long group title that might need wrapping at narrow widths"])
COLOURS = st.sampled_from([None, "#FFEEDD", "#abc", "LightBlue", "not a colour"])


@st.composite
def featured_diagrams(draw: st.DrawFn) -> tuple[Diagram, int]:
    base = draw(strategies.diagrams(hostile=True, max_events=15))
    participants = list(base.participants)
    boxes: tuple[Box, ...] = ()
    if draw(st.booleans()):
        first = draw(st.integers(0, len(participants) - 1))
        last = draw(st.integers(first, len(participants) - 1))
        boxes = (Box("b1", draw(TITLES), draw(COLOURS)),)
        participants = [replace(p, box="b1") if first <= i <= last else p for i, p in enumerate(participants)]
    newcomer = Participant("newcomer", draw(st.sampled_from(["New", "Short-lived worker"])),
                           draw(st.sampled_from(list(ParticipantKind))))
    participants.insert(draw(st.integers(0, len(participants))), newcomer)
    ids = [p.id for p in participants if p.id != "newcomer"]
    next_id = max((m.id for m in base.messages()), default=0) + 1
    label = strategies.HOSTILE_LABELS | strategies.PLAIN_WORDS
    extra: list[Event] = []
    for kind in draw(st.lists(st.sampled_from(["found", "lost", "lost_to", "note", "divider", "delay", "space",
                                               "ref", "activation"]), max_size=6)):
        someone, other = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        if kind == "found":
            extra.append(Message(next_id, MessageKind.FOUND, None, someone, draw(label)))
        elif kind == "lost":
            extra.append(Message(next_id, MessageKind.LOST, someone, None, draw(label)))
        elif kind == "lost_to" and someone != other:
            extra.append(Message(next_id, MessageKind.LOST, someone, other, draw(label)))
        elif kind == "note":
            position = draw(st.sampled_from(list(NotePosition)))
            targets = (someone, other) if position is NotePosition.OVER else (someone,)
            extra.append(Note(position, targets, draw(label)))
        elif kind == "divider":
            extra.append(Divider(draw(label)))
        elif kind == "delay":
            extra.append(Delay(draw(label)))
        elif kind == "space":
            extra.append(Space(draw(st.sampled_from([None, 5, 40]))))
        elif kind == "ref":
            extra.append(Reference((someone, other), draw(label)))
        else:
            extra.extend([Activation(someone, True), Message(next_id, MessageKind.ASYNC, someone, other, "tick"),
                          Activation(someone, False)])
        next_id += 1
    creator = draw(st.sampled_from(ids))
    extra.append(Message(next_id, MessageKind.CREATE, creator, "newcomer", draw(label)))
    extra.append(Message(next_id + 1, MessageKind.ASYNC, "newcomer", creator, draw(label)))
    extra.append(Message(next_id + 2, MessageKind.DESTROY, creator, "newcomer", draw(label)))
    events = (*base.events, *extra) if draw(st.booleans()) else (*extra, *base.events)
    diagram = Diagram(tuple(participants), events, boxes, base.title, base.autonumber, base.location)
    return diagram, draw(st.sampled_from([80, 160, 260]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(featured_diagrams())
def test_featured_flows_have_clean_geometry(case: tuple[Diagram, int]) -> None:
    diagram, wrap_width = case
    layout = layout_diagram(diagram, wrap_width=wrap_width)
    found = render_checks.problems(layout, diagram)
    assert not found, "\n".join(found[:20])
    assert {a.message_id for a in layout.arrows} == {m.id for m in diagram.messages()}
    newcomer_heads = [rect for pid, rect in layout.heads if pid == "newcomer"]
    assert len(newcomer_heads) == 1, "a created and destroyed participant has one head, at its creation"
