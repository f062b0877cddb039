"""Hotspots: every drawn element of every catalog flow is tied to its source line; the drawing itself is untouched."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from diagram_dsl.catalog import LoadedFlow, load_catalog
from diagram_dsl.model import Fragment, Message, Note, walk_events
from diagram_dsl.preview.hotspots import hotspots, with_hotspots
from diagram_dsl.renderers.base import RenderOptions
from diagram_dsl.renderers.native import layout_flow
from diagram_dsl.renderers.native.svg import render_svg
from diagram_dsl.validate import validate

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog(ROOT)


@pytest.mark.parametrize("flow", CATALOG.flows, ids=lambda flow: flow.path.stem)
def test_every_message_note_fragment_and_participant_has_its_line(flow: LoadedFlow) -> None:
    model = flow.model
    layout = layout_flow(model, RenderOptions())
    spots = hotspots(layout, model.diagram, model.metadata.location)
    events = walk_events(model.diagram.events)
    lines = {kind: sorted(s.location.line for s in spots if s.kind == kind) for kind in
             ("message", "note", "fragment", "participant", "title")}
    assert lines["message"] == sorted(e.location.line for e in events if isinstance(e, Message))
    assert lines["note"] == sorted(e.location.line for e in events if isinstance(e, Note))
    assert lines["fragment"] == sorted(e.location.line for e in events if isinstance(e, Fragment))
    assert set(lines["participant"]) == {p.location.line for p in model.diagram.participants}
    assert lines["title"] == [model.metadata.location.line]
    for spot in spots:
        assert spot.location.file == f"sources/{flow.path.name}"
        assert spot.x >= 0 and spot.y >= 0 and spot.x + spot.w <= layout.width + 1
        assert spot.y + spot.h <= layout.height + 1 and spot.w > 0 and spot.h > 0


def test_the_layer_is_added_last_and_the_drawing_is_unchanged() -> None:
    flow = CATALOG.flows[0]
    layout = layout_flow(flow.model, RenderOptions())
    plain = render_svg(layout).decode("utf-8")
    findings = validate(flow.model.diagram, flow.metadata)
    spots = hotspots(layout, flow.model.diagram, flow.metadata.location)
    marked = with_hotspots(plain, spots, findings)
    layer = re.search(r'<g class="dsl-spots".*?</g>\n', marked, flags=re.S)
    assert layer is not None and marked.replace(layer.group(0), "") == plain
    root = ElementTree.fromstring(marked.encode("utf-8"))
    rects = root[-1].findall("{http://www.w3.org/2000/svg}rect")
    assert len(rects) == len(spots) and all(r.get("data-line", "").isdigit() for r in rects)
    assert "data-line" not in plain  # committed outputs never carry the preview's layer
