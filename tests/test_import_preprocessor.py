"""PlantUML's preprocessor: includes inside the project, !define, procedures, functions and !if are expanded;
anything else is read as written with one note; nothing outside the project is ever read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from diagram_dsl.checks.diagrams import check_diagram_files, validate_imported
from diagram_dsl.importers.discover import load_diagrams
from diagram_dsl.importers.plantuml import parse_plantuml
from diagram_dsl.model import Diagram, Message
from diagram_dsl.toolchain.plantuml_check import plantuml_syntax_check

CANARY = "CANARY-7f3a9c"


def one(path: Path, root: Path) -> Diagram:
    (item,) = load_diagrams(path, include_root=root)
    assert item.error is None and item.diagram is not None, item.error
    return item.diagram


def labels(diagram: Diagram) -> list[tuple[str, int]]:
    return [(m.label, m.location.line) for m in diagram.messages()]


def test_include_of_a_project_file_is_read_at_the_include_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "actors.iuml").write_text("@startuml\nactor User\nparticipant \"API\" as Api\n@enduml\n")
    (tmp_path / "docs").mkdir()
    main = tmp_path / "docs" / "login.puml"
    main.write_text("@startuml\n!include ../parts/actors.iuml\nUser -> Api : login\nApi --> User : ok\n@enduml\n")
    diagram = one(main, tmp_path)
    assert [(p.id, p.location.line) for p in diagram.participants] == [("user", 2), ("api", 2)]
    assert labels(diagram) == [("login", 3), ("ok", 4)]
    findings, = [validate_imported(item, notes=True) for item in load_diagrams(main, include_root=tmp_path)]
    assert findings == []  # declared through the include: nothing undeclared, nothing left as written


@pytest.mark.parametrize("target", ["../outside.puml", "{outside}", "https://example.com/x.puml", "<C4/C4_Sequence>",
                                    "link.puml"])
def test_include_never_reads_outside_the_project(tmp_path: Path, target: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    outside = tmp_path / "outside.puml"
    outside.write_text(f"@startuml\nA -> B : {CANARY}\n@enduml\n")
    (project / "link.puml").symlink_to(outside)
    main = project / "main.puml"
    main.write_text(f"@startuml\n!include {target.format(outside=outside)}\nA -> B : mine\n@enduml\n")
    (item,) = load_diagrams(main, include_root=project)
    assert item.diagram is not None
    assert CANARY not in repr(item.diagram)
    assert labels(item.diagram) == [("mine", 3)]
    notes = [f for f in validate_imported(item, notes=True) if f.code == "IMP003"]
    assert [(f.location.line, f.severity.value) for f in notes] == [(2, "info")]
    assert validate_imported(item) == []  # the note is not in the default output


def test_check_reads_includes_only_under_the_project_root(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "pyproject.toml").write_text("")
    (tmp_path / "secret.iuml").write_text(f"A -> B : {CANARY}\n")
    (project / "docs" / "a.puml").write_text("@startuml\n!include ../../secret.iuml\nA -> B : mine\n@enduml\n")
    _, findings = check_diagram_files([project / "docs"], strict=True)
    assert all(CANARY not in f.message for f in findings)
    assert [f.code for f in findings if f.code.startswith("IMP")] == ["IMP003"]


def test_define_procedure_function_and_conditions_are_expanded() -> None:
    text = """@startuml
!define SERVICE "Payment Service"
!define CALL(a, b, what) a -> b : what
!$mode = "fast"
!procedure $answer($from, $to, $what)
  $from --> $to : $what
!endprocedure
!function $tagged($x)
!return "[v2] " + $x
!endfunction
participant SERVICE as Pay
actor User
CALL(User, Pay, charge)
!if $mode == "fast"
$answer(Pay, User, $tagged(done))
!else
Pay --> User : slow path
!endif
!ifdef NOT_DEFINED
Pay -> Pay : never read
!endif
@enduml
"""
    (item,) = parse_plantuml(text, "x.puml")
    assert item.diagram is not None and item.facts.skipped == ()
    assert [p.label for p in item.diagram.participants] == ["Payment Service", "User"]
    assert labels(item.diagram) == [("charge", 13), ("[v2] done", 15)]
    assert item.facts.preprocessor_line is None


def test_a_condition_it_cannot_evaluate_reads_the_first_arm_with_one_note() -> None:
    text = "@startuml\n!if %strlen(\"abc\") > 2\nA -> B : first\n!else\nA -> B : second\n!endif\n@enduml\n"
    (item,) = parse_plantuml(text, "x.puml")
    assert item.diagram is not None and labels(item.diagram) == [("first", 3)]
    assert item.facts.preprocessor_line == 2


def test_a_macro_that_calls_itself_stops() -> None:
    text = "@startuml\n!procedure $loop($x)\n$loop($x)\n!endprocedure\n$loop(a)\nA -> B : after\n@enduml\n"
    (item,) = parse_plantuml(text, "x.puml")
    assert item.diagram is not None and labels(item.diagram) == [("after", 6)]


def test_the_real_plantuml_reads_the_same_diagram(plantuml: Path) -> None:
    text = ("@startuml\n!define SERVICE \"Payment Service\"\n!$mode = \"fast\"\nparticipant SERVICE as Pay\n"
            "actor User\nUser -> Pay : charge\n!if $mode == \"fast\"\nPay --> User : done\n!else\n"
            "Pay --> User : slow\n!endif\n@enduml\n")
    assert plantuml_syntax_check([text])[0].ok
    (item,) = parse_plantuml(text, "x.puml")
    assert item.diagram is not None
    assert [(m.label, m.location.line) for m in item.diagram.messages() if isinstance(m, Message)] == [
        ("charge", 6), ("done", 8)]


def test_includes_cannot_loop(tmp_path: Path) -> None:
    (tmp_path / "a.iuml").write_text("!include b.iuml\nA -> B : from a\n")
    (tmp_path / "b.iuml").write_text("!include a.iuml\n")
    main = tmp_path / "main.puml"
    main.write_text("@startuml\n!include a.iuml\n@enduml\n")
    (item,) = load_diagrams(main, include_root=tmp_path)
    assert item.diagram is not None and len(item.diagram.messages()) >= 1
    assert os.path.exists(main)
