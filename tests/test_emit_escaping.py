"""Escaping rules that hold for any label, checked on the text itself (the real tools check the rest)."""

from __future__ import annotations

import re

import sample_flows
import strategies
from hypothesis import given, settings
from hypothesis import strategies as st

from diagram_dsl.emit import emit_mermaid, emit_plantuml
from diagram_dsl.emit.common import RESERVED_IDS, target_ids
from diagram_dsl.emit.mermaid_text import text as mermaid_text
from diagram_dsl.emit.plantuml_text import text as plantuml_text
from diagram_dsl.model import Diagram, Location, Message, MessageKind, Participant, ParticipantKind

NASTY = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@given(NASTY)
def test_plantuml_label_is_one_line_without_markup_starters(label: str) -> None:
    escaped = plantuml_text(label)
    assert "\n" not in escaped and "\r" not in escaped
    assert not any(char in escaped.replace("<U+", "") for char in '"~&[]')
    assert "**" not in escaped and "//" not in escaped and "--" not in escaped


@given(NASTY)
def test_mermaid_label_is_one_line_without_statement_breakers(label: str) -> None:
    escaped = mermaid_text(label)
    assert "\n" not in escaped and "\r" not in escaped
    without_codes = re.sub(r"#\w+;", "", escaped.replace("<br/>", ""))
    assert not any(char in without_codes for char in '#;<>&"%{}')


def test_newlines_become_the_languages_line_breaks() -> None:
    assert plantuml_text("a\nb\r\nc\rd") == "a\\nb\\nc\\nd"
    assert mermaid_text("a\nb\r\nc") == "a<br/>b<br/>c"
    assert plantuml_text("a\\nb") == "a\\\\nb"  # a written backslash-n stays two characters


def _diagram_with_ids(ids: list[str]) -> Diagram:
    participants = tuple(Participant(pid, pid, ParticipantKind.PARTICIPANT) for pid in ids)
    message = Message(1, MessageKind.ASYNC, ids[0], ids[-1], "x", Location("t.py", 1))
    return Diagram(participants, (message,))


@given(st.lists(st.sampled_from([*sorted(RESERVED_IDS), "End", "END", "end_", "a", "über"]), min_size=1,
                max_size=6, unique=True))
def test_target_ids_are_unique_ascii_and_never_keywords(ids: list[str]) -> None:
    mapping = target_ids(_diagram_with_ids(ids))
    values = list(mapping.values())
    assert len({value.lower() for value in values}) == len(values)
    assert all(value.lower() not in RESERVED_IDS and value.isascii() and value.isidentifier() for value in values)


@settings(max_examples=60, deadline=None)
@given(strategies.diagrams(hostile=True))
def test_no_label_starts_a_statement_of_its_own(diagram: Diagram) -> None:
    puml = emit_plantuml(diagram).splitlines()
    assert puml[0] == "@startuml" and puml[-1] == "@enduml"
    assert not any(line.lstrip().startswith("@") for line in puml[1:-1])
    mmd = emit_mermaid(diagram).splitlines()
    assert mmd[0] == "sequenceDiagram" and all(line.startswith("    ") for line in mmd[1:])
    statement_words = ("end", "else", "and", "option", "participant", "actor", "Note", "title", "autonumber", "box",
                       "alt", "opt", "loop", "par", "critical", "break", "rect", "create", "destroy", "activate",
                       "deactivate", "%%")
    ids = set(target_ids(diagram).values())
    for line in mmd[1:]:
        first = line.split()[0]
        assert first in statement_words or first.split("-")[0].split("->")[0] in ids, line


def test_kitchen_sink_uses_each_languages_idiom() -> None:
    diagram = sample_flows.kitchen_sink().diagram
    puml, mmd = emit_plantuml(diagram), emit_mermaid(diagram)
    for needle in ("box \"Clients\" #E8F0FE", "boundary \"Web UI\"", "queue \"Event Bus\"", "[o-> web_ui",
                   "->x event_bus", "->x] : dropped", "-> temp_worker ** : spawn", "-> temp_worker !! : kill",
                   "ref over",
                   "== Fulfilment ==", "...5 minutes later...", "||30||", "critical reserve stock", "group cleanup",
                   "autonumber", "++ :", "-- :"):
        assert needle in puml, needle
    for needle in ('participant orders_db@{ "type": "database" }', "actor user as User",
                   "create participant temp_worker", "destroy temp_worker", "-)event_bus", "critical reserve stock",
                   "option stock gone",
                   "and audit", "break timeout", "rect ", "Order<br/>Controller", "->>+", "-->>-"):
        assert needle in mmd, needle
