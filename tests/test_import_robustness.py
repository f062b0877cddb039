"""Garbage and truncated diagrams never crash an importer: a result or one clean ImportFailure, nothing else."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import strategies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagram_dsl.emit import emit_mermaid, emit_plantuml
from diagram_dsl.importers import ImportFailure, import_mermaid, import_plantuml, parse_mermaid, parse_plantuml
from diagram_dsl.importers.discover import load_diagrams
from diagram_dsl.model import Diagram

TOKENS = st.sampled_from([
    "@startuml", "@enduml", "sequenceDiagram", "participant", "actor", "database", " as ", '"', "A", "B", "C",
    "->", "-->", "->>", "-->>", "->x", "-x", "-)", "<->", "<<->>", "[", "]", "?", "++", "--", "**", "!!", "+", "-",
    ":", ";", ",", "#", "#59;", "%%", "%%{", "}%%", "---", "'", "/'", "'/", "note", "left of", "right of", "over",
    "end note", "end", "alt", "else", "opt", "loop", "par", "and", "critical", "option", "break", "group", "rect",
    "box", "end box", "ref over", "end ref", "return", "autoactivate on", "activate", "deactivate", "create",
    "destroy", "autonumber", "title", "==", "...", "|||", "||4||", "skinparam x {", "}", "{a}", "&", "<br/>", "\t",
    " ", "\n", "\n", "\n", "é", "🚀", "\\n", "<U+0041>", "\r\n",
])
GARBAGE = st.one_of(st.lists(TOKENS, max_size=60).map("".join), st.text(max_size=300))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_clean(text: str) -> None:
    for parse, read in ((parse_plantuml, import_plantuml), (parse_mermaid, import_mermaid)):
        for item in parse(text, "garbage.txt"):
            assert (item.diagram is None) != (item.error is None)
            if item.error is not None:
                assert item.error.location is not None and item.error.location.file == "garbage.txt"
                assert "\n" not in str(item.error)
        with contextlib.suppress(ImportFailure):
            read(text, "garbage.txt")


@SETTINGS
@given(GARBAGE)
def test_garbage_gives_results_or_clean_failures(text: str) -> None:
    assert_clean(text)


@SETTINGS
@given(strategies.diagrams(hostile=True), st.integers(min_value=0, max_value=10_000), st.booleans())
def test_truncated_diagrams_give_results_or_clean_failures(diagram: Diagram, cut: int, mermaid: bool) -> None:
    text = (emit_mermaid if mermaid else emit_plantuml)(diagram)
    assert_clean(text[: cut % (len(text) + 1)])


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from([".puml", ".mmd", ".md"]))
def test_arbitrary_bytes_in_files_give_results_or_clean_failures(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random{suffix}"
        path.write_bytes(data)
        for item in load_diagrams(path):
            assert (item.diagram is None) != (item.error is None)
