"""Deep nesting (300 levels) in a DSL flow, a .puml and a .mmd: one located finding at the documented limit, never a
RecursionError, and the other files still checked; at the limit itself everything downstream still works."""

from __future__ import annotations

import contextlib
import textwrap
from pathlib import Path

from diagram_dsl import Flow
from diagram_dsl.catalog import load_flow_file
from diagram_dsl.checks.diagrams import check_diagram_files
from diagram_dsl.emit import emit_mermaid, emit_plantuml
from diagram_dsl.emit.python import emit_python
from diagram_dsl.errors import DiagramDslError
from diagram_dsl.importers import import_mermaid, import_plantuml
from diagram_dsl.model_drafts import MAX_NESTING
from diagram_dsl.renderers.base import RenderOptions, get_renderer
from diagram_dsl.validate import validate

DEPTH = 300


def nested_plantuml(depth: int) -> str:
    return "@startuml\nactor A\nparticipant B\n" + "alt x\n" * depth + "A -> B : deep\nB --> A : ok\n" \
        + "end\n" * depth + "@enduml\n"


def nested_mermaid(depth: int) -> str:
    return "sequenceDiagram\nactor A\nparticipant B\n" + "opt x\n" * depth + "A->>B: deep\nB-->>A: ok\n" \
        + "end\n" * depth


def test_deep_hand_written_diagrams_are_one_finding_each_and_siblings_are_still_checked(tmp_path: Path) -> None:
    (tmp_path / "deep.puml").write_text(nested_plantuml(DEPTH))
    (tmp_path / "deep.mmd").write_text(nested_mermaid(DEPTH))
    (tmp_path / "sibling.mmd").write_text("sequenceDiagram\nA->>B: call\nB-->>A: ok\nB-->>A: again\n")
    checked, findings = check_diagram_files([tmp_path], strict=False)
    assert checked == 3
    summary = sorted((Path(f.location.file).name, f.location.line, f.code) for f in findings)
    limit = MAX_NESTING + 1  # the opening line that would go one level deeper than the limit
    assert summary == [("deep.mmd", 3 + limit, "IMP001"), ("deep.puml", 3 + limit, "IMP001"),
                       ("sibling.mmd", 4, "SEQ111")]
    assert all(f"nested more than {MAX_NESTING} deep" in f.message for f in findings if f.code == "IMP001")


def test_a_deep_dsl_flow_is_one_located_load_error(tmp_path: Path) -> None:
    source = tmp_path / "deep.py"
    source.write_text(textwrap.dedent(f"""\
        import contextlib
        from diagram_dsl import Flow
        flow = Flow(number=1, title="Deep")
        a, b = flow.actor("A"), flow.service("B")
        with contextlib.ExitStack() as stack:
            for level in range({DEPTH}):
                stack.enter_context(flow.opt(f"level {{level}}"))
            a.call(b, "deep").reply("ok")
        """))
    try:
        load_flow_file(source)
    except DiagramDslError as error:
        assert error.location is not None and error.location.line == 7
        assert f"nested more than {MAX_NESTING} deep" in error.message
    else:
        raise AssertionError("a flow nested past the limit must not load")


def test_at_the_limit_every_stage_works() -> None:
    flow = Flow(number=1, title="Deep")
    a, b = flow.actor("A"), flow.service("B")
    with contextlib.ExitStack() as stack:
        for level in range(MAX_NESTING):
            stack.enter_context(flow.opt(f"level {level}"))
        a.call(b, "deep").reply("ok")
    model = flow.build()
    assert [f.code for f in validate(model.diagram)] == []
    assert len(import_plantuml(emit_plantuml(model.diagram)).messages()) == 2
    assert len(import_mermaid(emit_mermaid(model.diagram)).messages()) == 2
    try:  # Python itself compiles at most 20 nested `with` blocks: convert says so at the line
        emit_python(model.diagram, number=1, title="Deep")
    except DiagramDslError as error:
        assert "Python compiles at most 20" in error.message and error.location is not None
    else:
        raise AssertionError("a module nesting 100 `with` blocks cannot compile")
    shallow = Flow(number=2, title="Shallow")
    c, d = shallow.actor("C"), shallow.service("D")
    with contextlib.ExitStack() as stack:
        for level in range(18):
            stack.enter_context(shallow.opt(f"level {level}"))
        c.call(d, "deep").reply("ok")
    compile(emit_python(shallow.build().diagram, number=2, title="Shallow"), "shallow.py", "exec")
    with get_renderer("native").session(RenderOptions()) as session:
        rendered = session.render(model)
    assert rendered.png.startswith(b"\x89PNG") and rendered.svg.lstrip().startswith(b"<")
