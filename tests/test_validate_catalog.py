"""The validator against the real catalog in sources/: clean as written, and every single-arrow mutation caught."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from diagram_dsl.catalog import LoadedFlow, load_catalog
from diagram_dsl.model import Branch, Event, Fragment, Message, MessageKind
from diagram_dsl.validate import Severity, validate

ROOT = Path(__file__).resolve().parent.parent


def _flows() -> tuple[LoadedFlow, ...]:
    catalog = load_catalog(ROOT)
    if not catalog.flows:
        pytest.fail(f"no flows load from {ROOT / 'sources'}: {[str(e) for e in catalog.errors]}")
    return catalog.flows


def _without(events: tuple[Event, ...], target: Message) -> tuple[Event, ...]:
    kept: list[Event] = []
    for event in events:
        if event is target:
            continue
        if isinstance(event, Fragment):
            event = Fragment(event.kind, tuple(Branch(b.guard, _without(b.events, target), b.location)
                                               for b in event.branches), event.location)
        kept.append(event)
    return tuple(kept)


def test_catalog_flows_have_no_errors() -> None:
    for flow in _flows():
        errors = [str(f) for f in validate(flow.model.diagram, flow.metadata) if f.severity is Severity.ERROR]
        assert errors == [], flow.path.name


def test_deleting_any_reply_in_the_catalog_gives_one_seq110_at_its_request() -> None:
    checked = 0
    for flow in _flows():
        diagram = flow.model.diagram
        messages = diagram.messages()
        requests = {m.id: m for m in messages if m.kind is MessageKind.REQUEST}
        for reply in (m for m in messages if m.kind is MessageKind.REPLY):
            mutated = replace(diagram, events=_without(diagram.events, reply))
            errors = [(f.code, f.location) for f in validate(mutated) if f.severity is Severity.ERROR]
            assert reply.reply_to in requests, f"{reply.location}: DSL replies name their request"
            assert errors == [("SEQ110", requests[reply.reply_to].location)], f"deleted {reply.location}"
            checked += 1
    assert checked > 0


def test_deleting_any_request_in_the_catalog_gives_seq111_at_each_of_its_replies() -> None:
    for flow in _flows():
        diagram = flow.model.diagram
        messages = diagram.messages()
        for request in (m for m in messages if m.kind is MessageKind.REQUEST):
            replies = sorted(m.location.line for m in messages
                             if m.kind is MessageKind.REPLY and m.reply_to == request.id)
            mutated = replace(diagram, events=_without(diagram.events, request))
            errors = [f for f in validate(mutated) if f.severity is Severity.ERROR]
            assert {f.code for f in errors} <= {"SEQ111"}, f"deleted {request.location}: {[str(f) for f in errors]}"
            assert sorted(f.location.line for f in errors) == replies, f"deleted {request.location}"
