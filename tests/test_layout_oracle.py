"""The collision oracle (``geometry_oracle``) on every laid-out diagram: the catalog, the sample flows,
the real-world corpus (in test_render_corpus) and 500 generated flows built to crowd the layout."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import geometry_oracle
import layout_strategies
import pytest
import render_checks
import sample_flows
from hypothesis import HealthCheck, given, settings
from PIL import Image

from diagram_dsl.catalog import load_catalog
from diagram_dsl.model import (
    Box,
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
    Reference,
)
from diagram_dsl.renderers.native.layout import layout_diagram
from diagram_dsl.renderers.native.png import render_png
from diagram_dsl.renderers.native.scene import Layout, TextShape
from diagram_dsl.renderers.native.svg import render_svg

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("flow", load_catalog(ROOT).flows, ids=lambda flow: flow.metadata.slug)
def test_catalog_flow_passes_the_oracle(flow: object) -> None:
    diagram = flow.model.diagram  # type: ignore[attr-defined]
    found = geometry_oracle.violations(layout_diagram(diagram))
    assert not found, "\n".join(found[:20])


@pytest.mark.parametrize("name", ["kitchen_sink", "simple_login"])
def test_sample_flow_passes_the_oracle(name: str) -> None:
    found = geometry_oracle.violations(layout_diagram(getattr(sample_flows, name)().diagram))
    assert not found, "\n".join(found[:20])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(layout_strategies.crowded_diagrams())
def test_generated_flows_pass_the_oracle(case: tuple[Diagram, int]) -> None:
    diagram, wrap_width = case
    layout = layout_diagram(diagram, wrap_width=wrap_width)
    found = render_checks.problems(layout, diagram)
    assert not found, "\n".join(found[:20])


# -- the oracle itself: each check fires on a layout that breaks its rule ------------------------------


def _layout() -> Layout:
    layout = layout_diagram(sample_flows.kitchen_sink().diagram)
    assert not geometry_oracle.violations(layout)
    return layout


def _moved(text: TextShape, x: float, y: float) -> TextShape:
    return replace(text, box=replace(text.box, x=x, y=y))


def test_the_oracle_sees_a_guard_over_a_bar() -> None:
    layout = _layout()
    bar = max(layout.bars, key=lambda b: b.rect.h)
    guard = next(t for t in layout.texts if t.role == "guard")
    shapes = tuple(_moved(s, bar.rect.x - 5, bar.rect.y + 20) if s is guard else s for s in layout.shapes)
    assert any("overlaps" in v and "guard" in v for v in geometry_oracle.overlaps(replace(layout, shapes=shapes)))


def test_the_oracle_sees_a_tab_over_a_bar_and_a_note_over_a_head() -> None:
    layout = _layout()
    bar = max(layout.bars, key=lambda b: b.rect.h)
    head = layout.heads[0][1]
    plates = tuple(replace(p, rect=replace(p.rect, x=bar.rect.x - 4, y=bar.rect.y + 10)) if p.kind == "tab" else
                   replace(p, rect=replace(p.rect, x=head.x, y=head.y)) if p.kind == "note" else p
                   for p in layout.plates)
    found = geometry_oracle.overlaps(replace(layout, plates=plates))
    assert any((v.startswith("bar of") and "tab" in v) or ("tab at" in v and "bar of" in v) for v in found)
    assert any("note at" in v and "head of" in v for v in found)


def test_the_oracle_sees_text_across_a_frame_edge() -> None:
    layout = _layout()
    frame = layout.fragments[0]
    label = next(t for t in layout.texts if t.role == "message")
    moved = _moved(label, frame.rect.x - label.box.w / 2, frame.rect.y + 30)
    shapes = tuple(moved if s is label else s for s in layout.shapes)
    assert any("crosses the edge" in v for v in geometry_oracle.texts_cross_edges(replace(layout, shapes=shapes)))


def test_the_oracle_sees_a_frame_edge_near_a_lifeline() -> None:
    layout = _layout()
    frame = layout.fragments[0]
    line = next(line for line in layout.lifelines if frame.rect.x < line.x < frame.rect.right)
    moved = replace(frame, rect=replace(frame.rect, x=line.x - 4, w=frame.rect.right - line.x + 4))
    fragments = tuple(moved if f is frame else f for f in layout.fragments)
    assert any("px from the lifeline" in v for v in geometry_oracle.frame_clearance(
        replace(layout, fragments=fragments)))


def test_the_oracle_sees_a_crowded_footer() -> None:
    layout = _layout()
    assert layout.footer_top is not None
    assert geometry_oracle.footer_gap(replace(layout, footer_top=layout.footer_top - 5))


def _boxed() -> Diagram:
    """Three lifelines in a tinted box; a label between the outer two crosses the middle one."""
    participants = tuple(Participant(pid, pid.title(), ParticipantKind.PARTICIPANT, box="group")
                         for pid in ("a", "b", "c"))
    label = "a label long enough to cross the middle lifeline"
    return Diagram(participants, (Message(1, MessageKind.ASYNC, "a", "c", label),),
                   boxes=(Box("group", "Group", "#E8F0FE"),))


def test_the_oracle_sees_a_missing_or_white_knockout() -> None:
    layout = layout_diagram(_boxed())
    assert not geometry_oracle.violations(layout)
    (knockout,) = layout.knockouts
    assert knockout.fill == "#E8F0FE", "the knockout takes the box tint, not the canvas white"
    assert geometry_oracle.knockouts(replace(layout, knockouts=()))
    whitened = (replace(knockout, fill=layout.background),)
    assert any("knockout" in v for v in geometry_oracle.knockouts(replace(layout, knockouts=whitened)))


def test_a_knockout_is_the_tint_in_both_png_and_svg() -> None:
    layout = layout_diagram(_boxed())
    (knockout,) = layout.knockouts
    (label,) = [t for t in layout.texts if t.role == "message"]
    with Image.open(io.BytesIO(render_png(layout))) as image:
        crop = image.convert("RGB").crop((round(label.box.x), round(label.box.y), round(label.box.right),
                                          round(label.box.bottom)))
    colours = {colour for _, colour in crop.getcolors(1 << 16) or ()}
    assert (255, 255, 255) not in colours, "no white box behind text on a tinted box"
    assert (0x8C, 0x98, 0xA8) not in colours, "the lifeline is hidden under the label"
    rect = knockout.rect
    svg_rects = re.findall(r'<rect x="([-0-9.]+)" y="([-0-9.]+)" width="([0-9.]+)" height="([0-9.]+)"[^>]*'
                           r'fill="#E8F0FE"', render_svg(layout).decode())
    assert any(abs(float(x) - rect.x) <= 1 and abs(float(y) - rect.y) <= 1 and abs(float(w) - rect.w) <= 1
               and abs(float(h) - rect.h) <= 1 for x, y, w, h in svg_rects), "the SVG draws the same knockout"


def test_the_oracle_sees_shallow_nesting_and_long_edge_arrows() -> None:
    request = Message(1, MessageKind.REQUEST, "a", "b", "ask", activate=True)
    inner = Fragment(FragmentKind.LOOP, (Branch("again", (Message(2, MessageKind.ASYNC, "b", "a", "tick"),)),))
    outer = Fragment(FragmentKind.OPT, (Branch("maybe", (inner,)),))
    found = Message(3, MessageKind.FOUND, None, "b", "from outside")
    reply = Message(4, MessageKind.REPLY, "b", "a", "ok", deactivate=True)
    diagram = Diagram(_three(), (request, outer, found, reply))
    layout = layout_diagram(diagram)
    assert not geometry_oracle.violations(layout)
    inner_fact, outer_fact = layout.fragments
    squeezed = replace(inner_fact, rect=replace(inner_fact.rect, x=outer_fact.rect.x + 3))
    assert geometry_oracle.nesting(replace(layout, fragments=(squeezed, outer_fact)))
    arrow = next(a for a in layout.arrows if a.kind == "found")
    across = replace(arrow, start=(layout.lifelines[0].x - 10, arrow.start[1]))
    arrows = tuple(across if a is arrow else a for a in layout.arrows)
    assert geometry_oracle.edge_arrows(replace(layout, arrows=arrows))


def test_the_oracle_sees_a_bar_restarted_without_a_message() -> None:
    layout = _layout()
    bar = next(b for b in layout.bars if not b.explicit and b.rect.h > 40)
    first = replace(bar, rect=replace(bar.rect, h=10))
    second = replace(bar, rect=replace(bar.rect, y=bar.rect.y + 25, h=bar.rect.h - 25))
    bars = (*(b for b in layout.bars if b is not bar), first, second)
    assert geometry_oracle.bars_start_at_causes(replace(layout, bars=bars))


def _three() -> tuple[Participant, ...]:
    return tuple(Participant(pid, pid.title(), ParticipantKind.PARTICIPANT) for pid in ("a", "b", "c"))


def test_notes_and_refs_over_busy_lifelines_never_cover_a_bar() -> None:
    request = Message(1, MessageKind.REQUEST, "a", "b", "ask", activate=True)
    inner = Message(2, MessageKind.REQUEST, "b", "c", "more", activate=True)
    notes = (Note(NotePosition.OVER, ("b",), "over a busy lifeline"),
             Note(NotePosition.OVER, ("a", "c"), "over three lifelines, the middle one busy"),
             Reference(("a", "b", "c"), "see the other flow"))
    replies = (Message(3, MessageKind.REPLY, "c", "b", "done", deactivate=True),
               Message(4, MessageKind.REPLY, "b", "a", "ok", deactivate=True))
    layout = layout_diagram(Diagram(_three(), (request, inner, *notes, *replies)))
    assert not geometry_oracle.violations(layout)
    boxes = [p.rect for p in layout.plates if p.kind in ("note", "ref")]
    assert len(boxes) == 3 and not any(box.overlaps(bar.rect) for box in boxes for bar in layout.bars)
