"""Model -> PlantUML/Mermaid text -> model, and model -> DSL source -> model, give back the same diagram.

"The same" ignores source lines and what text cannot say: which request a reply answers (the
validator pairs them) and notes over more than two participants (both languages draw a span).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
import sample_flows
import strategies
from hypothesis import HealthCheck, given, settings

from diagram_dsl.catalog import load_catalog
from diagram_dsl.dsl import Flow
from diagram_dsl.emit import emit_mermaid, emit_plantuml
from diagram_dsl.emit.python import emit_python
from diagram_dsl.importers import import_mermaid, import_plantuml
from diagram_dsl.importers.discover import load_diagrams
from diagram_dsl.importers.normalize import round_trip_view, without_locations
from diagram_dsl.model import Diagram

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES: dict[str, tuple[Callable[[Diagram], str], Callable[[str, str], Diagram]]] = {
    "plantuml": (emit_plantuml, import_plantuml),
    "mermaid": (emit_mermaid, import_mermaid),
}
SAMPLES = {"kitchen_sink": sample_flows.kitchen_sink, "simple_login": sample_flows.simple_login}


def through_text(diagram: Diagram, language: str) -> Diagram:
    emit, read = LANGUAGES[language]
    return read(emit(diagram), f"roundtrip.{language}")


def expected_after(diagram: Diagram, language: str) -> Diagram:
    """What text in ``language`` can say about ``diagram``: Mermaid draws a title on one line."""
    if language == "mermaid" and diagram.title is not None:
        diagram = replace(diagram, title=" ".join(line.strip() for line in diagram.title.split("\n")).strip())
    return round_trip_view(diagram)


def through_python(diagram: Diagram, title: str) -> Diagram:
    source = emit_python(diagram, number=99, title=title)
    namespace: dict[str, object] = {}
    exec(compile(source, "generated_flow.py", "exec"), namespace)
    flows = [value for value in namespace.values() if isinstance(value, Flow)]
    assert len(flows) == 1
    return flows[0].build().diagram


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_sample_flows_survive_emit_and_import(sample: str, language: str) -> None:
    diagram = SAMPLES[sample]().diagram
    assert round_trip_view(through_text(diagram, language)) == expected_after(diagram, language)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_catalog_flows_survive_emit_and_import(language: str) -> None:
    catalog = load_catalog(ROOT)
    assert catalog.flows, "no catalog flows under sources/"
    for flow in catalog.flows:
        diagram = flow.model.diagram
        assert round_trip_view(through_text(diagram, language)) == expected_after(diagram, language), flow.path.name


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.diagrams(hostile=True))
def test_generated_flows_survive_emit_and_import_in_both_languages(diagram: Diagram) -> None:
    for language in LANGUAGES:
        assert round_trip_view(through_text(diagram, language)) == expected_after(diagram, language), language


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_python_source_builds_the_same_sample(sample: str) -> None:
    model = SAMPLES[sample]()
    rebuilt = through_python(model.diagram, model.metadata.title)
    assert without_locations(rebuilt) == without_locations(model.diagram)


def test_python_source_builds_the_same_catalog_flows() -> None:
    for flow in load_catalog(ROOT).flows:
        rebuilt = through_python(flow.model.diagram, flow.metadata.title)
        assert without_locations(rebuilt) == without_locations(flow.model.diagram), flow.path.name


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.diagrams(hostile=True))
def test_python_source_builds_the_same_generated_flow(diagram: Diagram) -> None:
    title = diagram.title or "Generated Flow"
    rebuilt = through_python(diagram, title)
    expected = without_locations(diagram)
    if diagram.title is None:  # a DSL flow always titles its diagram after the flow
        expected = replace(expected, title=title)
    assert without_locations(rebuilt) == expected


def test_imported_text_converts_to_python_that_rebuilds_it() -> None:
    text = "sequenceDiagram\nactor U as User\nU->>+Shop: buy\nalt paid\nShop-->>-U: receipt\nelse declined\n" \
           "activate Shop\nShop-->>-U: sorry\nend\n"
    imported = import_mermaid(text, "shop.mmd")
    rebuilt = through_python(imported, "Shop")
    assert round_trip_view(rebuilt) == round_trip_view(replace(imported, title="Shop"))


def test_generated_sources_are_lint_clean(tmp_path: Path) -> None:
    """The module `convert --to python` writes is ready for sources/: the project's own ruff finds nothing."""
    corpus = ROOT.parent / "shared" / "corpus" / "real-world"
    diagrams = [SAMPLES[name]().diagram for name in sorted(SAMPLES)]
    diagrams += [item.diagram for item in load_diagrams(corpus) if item.diagram is not None] if corpus.is_dir() else []
    for index, diagram in enumerate(diagrams):
        source = emit_python(diagram, number=index + 1, title=diagram.title or f"Flow {index + 1}")
        (tmp_path / f"flow_{index:02d}.py").write_text(source, encoding="utf-8")
    command = [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml")]
    lint = subprocess.run([*command, str(tmp_path)], capture_output=True, text=True, check=False)
    assert lint.returncode == 0, lint.stdout[-3000:]
