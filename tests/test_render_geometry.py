"""The native layout's geometry: no overlapping text, nothing off the canvas, arrows on lifelines, fragments
containing their messages — for the sample flows, every catalog flow and generated flows."""

from __future__ import annotations

from pathlib import Path

import geometry_oracle
import pytest
import render_checks
import sample_flows
import strategies
from hypothesis import HealthCheck, given, settings

from diagram_dsl import Flow, Scores
from diagram_dsl.catalog import load_catalog
from diagram_dsl.model import (
    Branch,
    Diagram,
    Fragment,
    FragmentKind,
    Location,
    Message,
    MessageKind,
    Participant,
    ParticipantKind,
)
from diagram_dsl.renderers.native.layout import layout_diagram
from diagram_dsl.renderers.native.scene import BarFact, Layout

ROOT = Path(__file__).resolve().parent.parent


def _catalog_ids() -> list[str]:
    return [f"{flow.metadata.number}-{flow.metadata.slug}" for flow in load_catalog(ROOT).flows]


def _assert_clean(diagram: Diagram, wrap_width: float = 260) -> None:
    layout = layout_diagram(diagram, wrap_width=wrap_width)
    found = render_checks.problems(layout, diagram)
    assert not found, "\n".join(found[:20])


@pytest.mark.parametrize("name", ["kitchen_sink", "simple_login"])
def test_sample_flows_have_clean_geometry(name: str) -> None:
    _assert_clean(getattr(sample_flows, name)().diagram)


def test_kitchen_sink_draws_every_feature() -> None:
    diagram = sample_flows.kitchen_sink().diagram
    layout = layout_diagram(diagram)
    assert {a.message_id for a in layout.arrows} == {m.id for m in diagram.messages()}
    assert {f.kind for f in layout.fragments} == {k.value for k in FragmentKind}
    roles = {t.role for t in layout.texts}
    assert {"title", "head", "message", "number", "note", "note over", "guard", "keyword", "ref", "divider", "delay",
            "box"} <= roles
    assert max(len(_bars_of(layout, p.id)) for p in diagram.participants) >= 1
    temp = next(line for line in layout.lifelines if line.participant == "temp_worker")
    create = next(a for a in layout.arrows if a.kind == "create")
    destroy = next(a for a in layout.arrows if a.kind == "destroy")
    assert temp.top > create.end[1], "a created participant's lifeline starts below its head"
    assert temp.bottom == pytest.approx(destroy.end[1]), "a destroyed lifeline ends at the destroy message"
    assert sum(1 for pid, _ in layout.heads if pid == "temp_worker") == 1, "created head once, no bottom head"


def _bars_of(layout: Layout, participant: str) -> list[BarFact]:
    return [b for b in layout.bars if b.participant == participant]


@pytest.mark.parametrize("stem", _catalog_ids())
def test_catalog_flow_has_clean_geometry(stem: str) -> None:
    catalog = load_catalog(ROOT)
    flow = catalog.find(stem)
    assert flow is not None
    _assert_clean(flow.model.diagram)


def test_catalog_is_not_empty() -> None:
    assert _catalog_ids(), "sources/ should hold catalog flows"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.diagrams(hostile=True))
def test_generated_flows_have_clean_geometry(diagram: Diagram) -> None:
    _assert_clean(diagram)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.diagrams(hostile=False, max_events=25))
def test_generated_flows_stay_clean_with_narrow_wrapping(diagram: Diagram) -> None:
    _assert_clean(diagram, wrap_width=60)


def _two(kind: ParticipantKind = ParticipantKind.PARTICIPANT) -> tuple[Participant, ...]:
    return (Participant("a", "Alpha", kind), Participant("b", "Beta", kind))


def test_long_labels_wrap_at_the_wrap_width() -> None:
    label = "a rather long message label that keeps going well past any sensible width for one line"
    diagram = Diagram(_two(), (Message(1, MessageKind.ASYNC, "a", "b", label),))
    layout = layout_diagram(diagram, wrap_width=120)
    (text,) = [t for t in layout.texts if t.role == "message"]
    assert len(text.lines) > 1
    assert text.box.w <= 120
    assert " ".join(line.text for line in text.lines) == label
    assert not render_checks.problems(layout, diagram)


def test_columns_widen_for_long_labels() -> None:
    short = Diagram(_two(), (Message(1, MessageKind.ASYNC, "a", "b", "hi"),))
    long = Diagram(_two(), (Message(1, MessageKind.ASYNC, "a", "b", "x" * 30),))
    gap = [abs(lay.lifelines[1].x - lay.lifelines[0].x) for lay in (layout_diagram(short), layout_diagram(long))]
    assert gap[1] > gap[0]


def test_multi_line_labels_get_taller_rows() -> None:
    one = Diagram(_two(), (Message(1, MessageKind.ASYNC, "a", "b", "one"),
                           Message(2, MessageKind.ASYNC, "b", "a", "x")))
    three = Diagram(_two(), (Message(1, MessageKind.ASYNC, "a", "b", "one\ntwo\nthree"),
                             Message(2, MessageKind.ASYNC, "b", "a", "x")))
    rows = [lay.arrows[0].start[1] - lay.lifelines[0].top for lay in (layout_diagram(one), layout_diagram(three))]
    assert rows[1] > rows[0] + 20


def test_nested_fragments_nest_and_alt_branches_restore_activations() -> None:
    request = Message(1, MessageKind.REQUEST, "a", "b", "ask", activate=True)
    inner = Fragment(FragmentKind.LOOP, (Branch("again", (Message(2, MessageKind.SELF, "b", "b", "work"),)),))
    alt = Fragment(FragmentKind.ALT, (
        Branch("yes", (inner, Message(3, MessageKind.REPLY, "b", "a", "ok", reply_to=1, deactivate=True))),
        Branch("no", (Message(4, MessageKind.REPLY, "b", "a", "no", reply_to=1, deactivate=True),)),
    ))
    diagram = Diagram(_two(), (request, alt), location=Location("t.py", 1))
    layout = layout_diagram(diagram)
    assert not render_checks.problems(layout, diagram)
    loop, outer = layout.fragments
    assert outer.rect.contains(loop.rect) and outer.rect.x < loop.rect.x and outer.rect.right > loop.rect.right
    (bar,) = _bars_of(layout, "b")  # the second branch starts from the activation open before the alt
    last_reply = next(a for a in layout.arrows if a.message_id == 4)
    assert bar.rect.y < outer.rect.y and bar.rect.bottom == pytest.approx(last_reply.start[1]), \
        "one bar through both branches: no gap and no restart at the separator"


def _long_diagram(messages: int) -> Diagram:
    participants = tuple(Participant(f"p{i}", f"Service {i}", list(ParticipantKind)[i % 8]) for i in range(6))
    events: list[Message | Fragment] = []
    for first in range(1, messages, 3):
        caller, callee = f"p{first % 3}", f"p{3 + first % 3}"
        body = (Message(first, MessageKind.REQUEST, caller, callee, f"call {first}", activate=True),
                Message(first + 1, MessageKind.SELF, callee, callee, "work"),
                Message(first + 2, MessageKind.REPLY, callee, caller, f"result {first}", reply_to=first,
                        deactivate=True))
        events.append(Fragment(FragmentKind.LOOP, (Branch("retry", body),)) if first % 30 == 1 else body[0])
        if first % 30 != 1:
            events.extend(body[1:])
    return Diagram(participants, tuple(events))


def test_a_long_flow_is_laid_out_whole() -> None:
    diagram = _long_diagram(600)
    layout = layout_diagram(diagram)
    assert len(layout.arrows) == len(diagram.messages())
    assert max(a.end[1] for a in layout.arrows) < layout.height
    assert layout.height > 600 * 25, "no row is squeezed or dropped"
    assert not render_checks.problems(layout, diagram)


def test_unknown_participants_and_empty_diagrams_do_not_crash() -> None:
    empty = layout_diagram(Diagram((), ()))
    assert empty.width > 0 and empty.height > 0
    stray = Diagram(_two(), (
        Message(1, MessageKind.ASYNC, "ghost", "b", "from nowhere"),
        Message(2, MessageKind.ASYNC, "a", "phantom", "to nowhere"),
        Fragment(FragmentKind.OPT, (Branch("maybe", ()),)),
    ))
    layout = layout_diagram(stray)
    assert len(layout.arrows) == 2
    assert not geometry_oracle.overlaps(layout) and not render_checks.texts_inside_canvas(layout)
    lone = Diagram((), (Fragment(FragmentKind.OPT, (Branch("maybe", ()),)),), title="Only a title")
    assert layout_diagram(lone).fragments


def _guard_beside_a_bar(guard: str) -> Layout:
    """An ``alt`` opened while the second lifeline's bar is active: its guard must share the header row with it."""
    flow = Flow(number=98, title="Guard", description="A guard and the bar beside its tab.",
                scores=Scores(5, 5, "Low"), when_to_use=["tests"], important_points=["guards"])
    provider, endpoint, store = flow.participant("Provider"), flow.participant("Endpoint"), flow.participant("Store")
    with provider.call(endpoint, "POST /webhooks/payments evt_123") as post:
        with flow.alt(guard):
            endpoint.send(store, "rejected: an arrow long enough to widen the frame well past the bar")
            post.reply("401")
        with flow.else_("valid"):
            post.reply("202")
    return layout_diagram(flow.build().diagram)


def test_a_long_guard_wraps_beside_its_tab_instead_of_jumping_past_a_bar() -> None:
    layout = _guard_beside_a_bar("signature invalid or timestamp stale")
    guard = next(t for t in layout.texts if t.role == "guard")
    bar = min(layout.bars, key=lambda b: b.rect.x)
    assert guard.box.x + guard.box.w < bar.rect.x, "the guard sits between its tab and the first bar"
    assert len(guard.lines) == 2
    assert not geometry_oracle.violations(layout)


def test_a_guard_that_fits_beside_its_tab_stays_on_one_line() -> None:
    layout = _guard_beside_a_bar("bad")
    guard = next(t for t in layout.texts if t.role == "guard")
    assert len(guard.lines) == 1
    assert guard.box.x + guard.box.w < min(b.rect.x for b in layout.bars)
