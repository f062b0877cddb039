"""``diagram-dsl convert``: PlantUML <-> Mermaid and into a DSL source module, through the real CLI."""

from __future__ import annotations

import runpy
from pathlib import Path

from click.testing import CliRunner

from diagram_dsl.cli import main
from diagram_dsl.dsl import Flow
from diagram_dsl.importers import import_mermaid, import_plantuml
from diagram_dsl.importers.normalize import round_trip_view

PUML = """@startuml
title Order lookup
actor Customer as C
participant "Order API" as API
database Orders as DB
C -> API ++ : GET /orders/42
API -> DB ++ : SELECT order
DB --> API -- : row
alt found
  API --> C -- : 200 order
else missing
  API --> C -- : 404
end
@enduml
"""


def run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "convert", *args])
    return result.exit_code, result.stdout, result.stderr


def test_plantuml_to_mermaid_and_back_keeps_the_diagram(tmp_path: Path) -> None:
    source = tmp_path / "order.puml"
    source.write_text(PUML, encoding="utf-8")
    code, mermaid_text, _ = run(tmp_path, str(source), "--to", "mermaid")
    assert code == 0 and mermaid_text.startswith("sequenceDiagram")
    (tmp_path / "order.mmd").write_text(mermaid_text, encoding="utf-8")
    code, plantuml_text, _ = run(tmp_path, str(tmp_path / "order.mmd"), "--to", "plantuml")
    assert code == 0
    original = import_plantuml(PUML, "a")
    assert round_trip_view(import_mermaid(mermaid_text, "b")) == round_trip_view(original)
    assert round_trip_view(import_plantuml(plantuml_text, "c")) == round_trip_view(original)


def test_to_python_writes_a_ready_source_module(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    source = tmp_path / "order.puml"
    source.write_text(PUML, encoding="utf-8")
    code, _, err = run(tmp_path, str(source), "--to", "python", "--number", "7", "-o", str(tmp_path / "sources"))
    assert code == 0, err
    written = tmp_path / "sources" / "07_order_lookup.py"
    assert written.is_file() and "wrote" in err
    flows = [v for v in runpy.run_path(str(written)).values() if isinstance(v, Flow)]
    model = flows[0].build()
    assert (model.metadata.number, model.metadata.title, model.metadata.slug) == (7, "Order lookup", "order-lookup")
    assert round_trip_view(model.diagram) == round_trip_view(import_plantuml(PUML, "x"))


def test_markdown_with_several_diagrams_needs_an_index(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("```mermaid\nsequenceDiagram\nA->>B: one\n```\n\n```puml\n" + PUML + "```\n", encoding="utf-8")
    code, _, err = run(tmp_path, str(doc), "--to", "plantuml")
    assert code == 1 and "holds 2 sequence diagrams (at lines 2, 7)" in err and "Traceback" not in err
    code, out, _ = run(tmp_path, str(doc), "--to", "plantuml", "--index", "1")
    assert code == 0 and "a -> b : one" in out


def test_syntax_error_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mmd"
    bad.write_text("sequenceDiagram\nA->>B: fine\nA=>B: nope\n", encoding="utf-8")
    code, out, err = run(tmp_path, str(bad), "--to", "python")
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [f"Error: {bad}:3: cannot read `A=>B: nope` as a Mermaid sequence statement "
                                        "(check the arrow (->>, -->>, -), -x) and the `:` before the text)"]


def test_default_number_is_the_next_free_one(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "03_existing.py").write_text("", encoding="utf-8")
    source = tmp_path / "Checkout_flow.mmd"
    source.write_text("sequenceDiagram\nA->>B: pay\n", encoding="utf-8")
    code, out, _ = run(tmp_path, str(source), "--to", "python")
    assert code == 0 and "number=4," in out and 'title="Checkout Flow",' in out
