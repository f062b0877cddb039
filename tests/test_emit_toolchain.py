"""The toolchain's own logic: which runtimes qualify, how PlantUML's batch answers are read."""

from __future__ import annotations

from pathlib import Path

import pytest

from diagram_dsl import toolchain
from diagram_dsl.toolchain.locate import _node_is_new_enough, _version
from diagram_dsl.toolchain.plantuml_check import _framing_problem, _syntax_mode, _syntax_verdict

pytestmark = pytest.mark.tools  # needs a real tool: left out of `make test-fast`


@pytest.mark.parametrize(("version", "ok"), [
    ("v20.20.2", False), ("v22.12.0", False), ("v22.22.2", True), ("v23.9.0", False), ("v24.14.1", False),
    ("v24.15.0", True), ("v24.19.0", True), ("v25.1.0", False), ("v26.0.0", True),
])
def test_node_versions_that_run_the_pinned_mermaid_and_jsdom(version: str, ok: bool) -> None:
    assert _node_is_new_enough(_version(version)) is ok


def test_syntax_answers_are_split_at_the_markers_with_one_based_lines() -> None:
    mode = _syntax_mode("tok")
    marker = "ERROR\n1\nAssertion error : tok\n"
    output = (marker + "SEQUENCE\n(2 participants)\n" + marker + "ERROR\n2\nSyntax Error? (Assumed diagram type: "
              "sequence)\n" + marker + "SEQUENCE\n(1 participants)\n" + marker)
    assert sum(mode.is_marker(line) for line in output.splitlines()) == 4
    results = [_syntax_verdict(answer) for answer in mode.answers(output)[1:4]]
    assert [result.ok for result in results] == [True, False, True]
    assert results[1].line == 3 and "Syntax Error" in results[1].error


@pytest.mark.parametrize(("text", "line"), [
    ("@startuml\nA -> B\n@enduml\n", None),
    ("@startuml\nA -> B\n@enduml\n@startuml\nB -> A\n@enduml\n", 3),
    ("A -> B\n", 1),
    ("@startuml\nA -> B : x\n  @enduml\nB -> A\n@enduml", 3),
])
def test_texts_that_are_not_exactly_one_diagram_are_refused_before_sending(text: str, line: int | None) -> None:
    verdict = _framing_problem(text)
    assert (verdict is None) if line is None else (verdict is not None and verdict.line == line)


def test_tools_dir_can_be_overridden(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DIAGRAM_DSL_TOOLS", str(tmp_path))
    assert toolchain.tools_dir() == tmp_path.resolve()
    assert toolchain.tools_installed() is False
    with pytest.raises(toolchain.ToolError, match="make tools"):
        toolchain.mermaid_script()


def test_jar_version_is_pinned_at_or_above_1_2025(plantuml: Path) -> None:
    year = int(toolchain.plantuml_version().split(".")[1])
    assert toolchain.plantuml_version().startswith("1.") and year >= 2025
    assert plantuml.name == f"plantuml-{toolchain.plantuml_version()}.jar"
