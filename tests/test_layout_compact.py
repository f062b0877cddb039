"""Compact, readable layout: a label widens only its own span, labels and notes take the room they get and
break at URL punctuation, found and lost messages stay beside their participant, bars go on through branches."""

from __future__ import annotations

import itertools

import geometry_oracle
import pytest

from diagram_dsl.model import (
    Branch,
    Diagram,
    Fragment,
    FragmentKind,
    Message,
    MessageKind,
    Note,
    NotePosition,
    Participant,
    ParticipantKind,
)
from diagram_dsl.renderers.native.layout import layout_diagram
from diagram_dsl.renderers.native.scene import Layout
from diagram_dsl.renderers.native.styles import Styles
from diagram_dsl.renderers.native.text import line_width
from diagram_dsl.renderers.native.theme import DEFAULT_THEME
from diagram_dsl.renderers.native.wrapping import wrap


def _people(count: int) -> tuple[Participant, ...]:
    return tuple(Participant(f"p{i}", f"P{i}", ParticipantKind.PARTICIPANT) for i in range(count))


def _gaps(layout: Layout) -> list[float]:
    xs = [line.x for line in layout.lifelines]
    return [b - a for a, b in itertools.pairwise(xs)]


def test_a_long_label_widens_only_the_span_between_its_own_lifelines() -> None:
    short = Diagram(_people(4), (Message(1, MessageKind.ASYNC, "p1", "p2", "hi"),))
    label = "a label far wider than the three gaps between its lifelines " * 2
    long = Diagram(_people(4), (Message(1, MessageKind.ASYNC, "p1", "p2", "hi"),
                                Message(2, MessageKind.ASYNC, "p0", "p3", label)))
    before, after = _gaps(layout_diagram(short, wrap_width=800)), _gaps(layout_diagram(long, wrap_width=800))
    assert after[:2] == before[:2], "the lifelines between keep their places: one constraint from p0 to p3"
    assert after[2] > before[2] + 200


def test_labels_break_at_url_punctuation_never_mid_word() -> None:
    body = Styles.from_theme(DEFAULT_THEME).body
    url = "/end_session?id_token_hint&post_logout_redirect_uri"
    width = line_width("&post_logout_redirect_uri", body.size, body.weight) + 1
    lines = wrap(f"GET {url}", body, width)
    assert lines == ("GET /end_session", "?id_token_hint", "&post_logout_redirect_uri")
    assert wrap("a, b; c,d;e", body, 20)[:2] == ("a,", "b;")
    word = "x" * 60
    assert "".join(wrap(word, body, 100)) == word and len(wrap(word, body, 100)) > 1, "a lone long word is cut"


def _wide_span() -> tuple[Message, Message]:
    """Two labels cut at a 200 px wrap width, so p0 and p2 end up over 400 px apart."""
    return (Message(1, MessageKind.ASYNC, "p0", "p1", "x" * 40), Message(2, MessageKind.ASYNC, "p1", "p2", "y" * 40))


def test_a_label_takes_the_room_its_arrow_gives_it() -> None:
    label = "a label with room on its wide arrow today"
    layout = layout_diagram(Diagram(_people(3), (*_wide_span(), Message(3, MessageKind.ASYNC, "p0", "p2", label))),
                            wrap_width=200)
    assert len(wrap(label, Styles.from_theme(DEFAULT_THEME).body, 200)) == 2
    (text,) = [t for t in layout.texts if t.owner == 3 and t.role == "message"]
    assert [line.text for line in text.lines] == [label]


def test_a_note_over_far_lifelines_fills_its_box_instead_of_wrapping_at_the_wrap_width() -> None:
    text = "a note wider than the wrap width, narrower than its box"
    layout = layout_diagram(Diagram(_people(3), (*_wide_span(), Note(NotePosition.OVER, ("p0", "p2"), text))),
                            wrap_width=200)
    (note,) = [t for t in layout.texts if t.role == "note over"]
    (box,) = [p.rect for p in layout.plates if p.kind == "note"]
    assert [line.text for line in note.lines] == [text] and box.contains(note.box)


def test_a_note_beside_a_lifeline_is_sized_to_its_text() -> None:
    events = (Message(1, MessageKind.ASYNC, "p0", "p1", "z" * 80), Note(NotePosition.RIGHT, ("p0",), "short"))
    layout = layout_diagram(Diagram(_people(2), events))
    (note,) = [t for t in layout.texts if t.role == "note"]
    (box,) = [p.rect for p in layout.plates if p.kind == "note"]
    assert box.w < note.box.w + 40


@pytest.mark.parametrize("kind", ["found", "lost"])
def test_found_and_lost_messages_are_short_arrows_beside_their_participant(kind: str) -> None:
    participants = _people(4)
    message = Message(1, MessageKind.FOUND, None, "p2", "tick from outside") if kind == "found" else \
        Message(1, MessageKind.LOST, "p1", None, "dropped on the floor")
    layout = layout_diagram(Diagram(participants, (Message(2, MessageKind.ASYNC, "p0", "p3", "x"), message)))
    assert not geometry_oracle.violations(layout)
    (arrow,) = [a for a in layout.arrows if a.kind == kind]
    xs = {line.participant: line.x for line in layout.lifelines}
    if kind == "found":
        assert xs["p1"] + 12 < arrow.start[0] < arrow.end[0] and arrow.end[0] == pytest.approx(xs["p2"])
    else:
        assert arrow.start[0] == pytest.approx(xs["p1"]) and arrow.start[0] < arrow.end[0] < xs["p2"] - 12
    assert abs(arrow.end[0] - arrow.start[0]) < 60, "a short arrow, not one from the diagram's edge"


def test_a_bar_goes_on_through_every_branch_of_an_alt() -> None:
    call = Message(1, MessageKind.REQUEST, "p0", "p1", "ask", activate=True)
    inner = Message(2, MessageKind.REQUEST, "p1", "p2", "look up", activate=True)
    branches = (Branch("found", (Message(3, MessageKind.REPLY, "p2", "p1", "row", deactivate=True),
                                 Message(4, MessageKind.REPLY, "p1", "p0", "200", deactivate=True))),
                Branch("missing", (Message(5, MessageKind.REPLY, "p2", "p1", "nil", deactivate=True),
                                   Message(6, MessageKind.REPLY, "p1", "p0", "404", deactivate=True))))
    layout = layout_diagram(Diagram(_people(3), (call, inner, Fragment(FragmentKind.ALT, branches))))
    assert not geometry_oracle.violations(layout)
    (frame,) = layout.fragments
    for participant in ("p1", "p2"):
        (bar,) = [b for b in layout.bars if b.participant == participant]
        assert bar.rect.y < frame.rect.y and bar.rect.bottom > frame.separators[0], participant
