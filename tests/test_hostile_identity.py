"""Naming flows and knowing the renderer (issue #16 §4 §5 §6), and the typed build plan (#13).

An empty title or a duplicate number is SEQ160 at the line (duplicates name both files and both flows
are still validated); a number can come from the file name; `check FILE.py` works on any flow file;
the summary goes to stdout; `build` shows warnings; the committed outputs must come from the project's
renderer, and another renderer only ever draws a git-ignored preview.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from hostile_support import MANIFEST, OUT, PAGE, cli, good_flow, line_of, outputs, run_cli, write_source

from diagram_dsl.build import run_build
from diagram_dsl.checks.outputs import check_outputs
from diagram_dsl.project import load_project
from diagram_dsl.renderers.base import Rendered, RenderOptions, get_renderer, nullsession, register

UNANSWERED = '''\
from diagram_dsl import Flow, Scores
flow = Flow(number={n}, title={title!r}, description="d", scores=Scores(5, 5, "High"),
            when_to_use=["w"], important_points=["p"])
user, app = flow.actor("User"), flow.participant("App")
user.call(app, {label!r})
'''


def test_an_empty_title_is_seq160_title_is_empty(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    write_source(tmp_path, "02_flow.py", '''\
        from diagram_dsl import Flow, Scores
        flow = Flow(number=2, title="  ", description="d", scores=Scores(5, 5, "High"))
        ''')
    result = cli(tmp_path, "check", str(tmp_path / "sources"))
    assert result.exit_code == 1
    assert "sources/02_flow.py:2: error SEQ160 title is empty" in result.stdout
    assert "unsafe slug" not in result.stdout


def test_duplicate_numbers_and_slugs_name_both_files_and_both_flows_are_validated(tmp_path: Path) -> None:
    first = write_source(tmp_path, "01_first.py", UNANSWERED.format(n=1, title="Alpha Flow", label="first call"))
    second = write_source(tmp_path, "02_second.py", UNANSWERED.format(n=1, title="Other Flow", label="second call"))
    third = write_source(tmp_path, "03_third.py", UNANSWERED.format(n=3, title="Alpha  flow", label="third call"))
    result = cli(tmp_path, "check", str(tmp_path / "sources"))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "sources/02_second.py:2: error SEQ160 flow number 1 is already used by sources/01_first.py:2" in lines
    assert "sources/03_third.py:2: error SEQ160 slug 'alpha-flow' is already used by sources/01_first.py:2" in lines
    for path, label in ((first, "first call"), (second, "second call"), (third, "third call")):
        line = line_of(path, label)
        assert any(text.startswith(f"sources/{path.name}:{line}: error SEQ110") for text in lines), (path, lines)
    assert "SEQ000" not in result.stdout


def test_a_duplicate_is_not_built_and_keeps_the_page(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    assert run_build(tmp_path, jobs=1).ok
    page = (tmp_path / PAGE).read_text()
    write_source(tmp_path, "09_copy.py", (tmp_path / "sources" / "01_flow.py").read_text())
    result = cli(tmp_path, "build", "--jobs", "1")
    assert result.exit_code == 1
    assert "sources/09_copy.py:2: error SEQ160 flow number 1 is already used by sources/01_flow.py:2" in result.stderr
    assert (tmp_path / PAGE).read_text() == page


def test_the_number_can_come_from_the_file_name(tmp_path: Path) -> None:
    write_source(tmp_path, "07_quick_sketch.py", '''\
        from diagram_dsl import Flow, Scores
        flow = Flow(title="Quick Sketch", description="d", scores=Scores(5, 5, "High"),
                    when_to_use=["w"], important_points=["p"])
        a, b = flow.actor("A"), flow.participant("B")
        with a.call(b, "ping") as ping:
            ping.reply("pong")
        ''')
    result = cli(tmp_path, "build", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert outputs(tmp_path) == [f"7-quick-sketch.{ext}" for ext in ("mmd", "png", "puml", "svg")]
    assert "## 7. Quick Sketch" in (tmp_path / PAGE).read_text()
    write_source(tmp_path, "sketch.py", '''\
        from diagram_dsl import Flow, Scores
        flow = Flow(title="Unnumbered", description="d", scores=Scores(5, 5, "High"))
        ''')
    unnumbered = cli(tmp_path, "check", str(tmp_path / "sources"))
    assert "sources/sketch.py:2: error SEQ160 the flow has no number (pass Flow(number=N, ...) or name the file " \
           "NN_sketch.py)" in unnumbered.stdout


def test_check_takes_a_flow_file_anywhere(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"  # no project around it: no sources/, no pyproject.toml
    sketch = scratch / "sketch.py"
    scratch.mkdir()
    sketch.write_text(textwrap.dedent('''\
        from diagram_dsl import Flow, Scores

        # A sketch: no number, no project.
        flow = Flow(title="Sketch", description="d", scores=Scores(5, 5, "High"))
        a, b = flow.actor("A"), flow.participant("B")
        a.call(b, "never answered")
        '''))
    result = run_cli(scratch, "check", "sketch.py")
    assert result.returncode == 1, result
    assert f"{sketch}:6: error SEQ110" in result.stdout or "sketch.py:6: error SEQ110" in result.stdout, result.stdout
    assert result.stdout.splitlines()[-1].startswith("checked 1 flow(s)")
    sketch.write_text(sketch.read_text().replace('a.call(b, "never answered")', 'a.send(b, "fire and forget")'))
    assert run_cli(scratch, "check", "sketch.py").returncode == 0
    assert not (scratch / "generated-diagrams").exists()  # checked, never built
    project = tmp_path / "project"  # in a project, outside its sources/
    good_flow(project, 1, "Alpha Flow")
    (project / "docs").mkdir()
    shutil.copy(sketch, project / "docs" / "example.py")
    inside = run_cli(project, "check", "docs/example.py")
    assert inside.returncode == 0, inside
    assert inside.stdout.splitlines()[-1] == "checked 1 flow(s): 0 error(s), 2 warning(s)"
    assert "docs/example.py:4: warning SEQ161" in inside.stdout


def test_the_summary_line_goes_to_stdout(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    result = cli(tmp_path, "check", str(tmp_path / "sources"))
    assert result.stdout == "checked 1 flow(s): 0 error(s), 0 warning(s)\n"
    assert result.stderr == ""


def test_build_shows_a_count_and_the_first_warnings_without_failing(tmp_path: Path) -> None:
    for n in range(1, 8):
        write_source(tmp_path, f"{n:02d}_flow.py", f'''\
            from diagram_dsl import Flow, Scores
            flow = Flow(number={n}, title="Flow {n}", description="d", scores=Scores(5, 5, "High"),
                        when_to_use=["w"], important_points=["p"])
            user, app, idle = flow.actor("User"), flow.participant("App"), flow.participant("Idle {n}")
            with user.call(app, "GET /") as request:
                request.reply("200")
            ''')
    result = cli(tmp_path, "build", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "7 warning(s) in the flows built (first 5; `diagram-dsl check` lists all):" in result.stderr
    shown = [line for line in result.stderr.splitlines() if " warning SEQ102 " in line]
    assert len(shown) == 5 and shown[0].strip().startswith("sources/01_flow.py:4: warning SEQ102")
    assert "built 7, unchanged 0, failed 0, removed 0, 7 warning(s)" in result.stdout


def test_check_fails_when_the_outputs_come_from_another_renderer(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    assert run_build(tmp_path, jobs=1).ok
    manifest_path = tmp_path / MANIFEST
    original = manifest_path.read_text()
    manifest = json.loads(original)
    manifest["renderer"], manifest["renderer_version"] = "plantuml", "plantuml 1.2026.8"
    manifest_path.write_text(json.dumps(manifest))
    result = cli(tmp_path, "check")
    assert result.exit_code == 1
    assert "sources/01_flow.py:1: error OUT301 outputs are stale (renderer changed (plantuml 1.2026.8 -> native " \
        in result.stdout
    # Configured for PlantUML, drawn by native: stale too.
    (tmp_path / "pyproject.toml").write_text('[tool.diagram-dsl]\nrenderer = "plantuml"\n')
    manifest_path.write_text(original)
    findings = check_outputs(load_project(tmp_path), renderer_version="plantuml 1.2026.8")
    assert [f.code for f in findings] == ["OUT301"] and "-> plantuml 1.2026.8)" in findings[0].message


def test_outputs_drawn_with_one_off_options_read_as_stale(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    assert cli(tmp_path, "build", "--scale", "2").exit_code == 0
    result = cli(tmp_path, "check")
    assert result.exit_code == 1 and "(scale 2.0)" in result.stdout, result.stdout
    rebuilt = cli(tmp_path, "build")
    assert "built 1," in rebuilt.stdout
    assert cli(tmp_path, "check").exit_code == 0


class _Sketchy:
    """A stand-in tool renderer: draws a tiny picture of its own."""

    name = "sketchy"

    def version(self) -> str:
        return "sketchy 1"

    def session(self, options: RenderOptions) -> object:
        return nullsession(lambda flow: Rendered(b"\x89PNG sketchy", b"<svg>sketchy</svg>"))


def test_another_renderer_draws_a_git_ignored_preview_and_leaves_the_committed_outputs(tmp_path: Path) -> None:
    register("sketchy", _Sketchy)  # type: ignore[arg-type]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    good_flow(tmp_path, 1, "Alpha Flow")
    assert run_build(tmp_path, jobs=1).ok
    committed = {name: (tmp_path / OUT / name).read_bytes() for name in outputs(tmp_path)}
    manifest = (tmp_path / MANIFEST).read_bytes()
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    report = run_build(tmp_path, renderer_name="sketchy", jobs=1)
    assert report.ok and report.built == ["sources/01_flow.py"]
    preview = tmp_path / f"{OUT}.sketchy-preview"
    assert report.output_dir == f"{OUT}.sketchy-preview"
    assert (preview / "1-alpha-flow.png").read_bytes() == b"\x89PNG sketchy"
    assert {name: (tmp_path / OUT / name).read_bytes() for name in outputs(tmp_path)} == committed
    assert (tmp_path / MANIFEST).read_bytes() == manifest
    git = ["git", "-C", str(tmp_path)]
    untracked = subprocess.run([*git, "ls-files", "--others", "--exclude-standard"], capture_output=True, text=True,
                               check=True).stdout
    changed = subprocess.run([*git, "diff", "--name-only"], capture_output=True, text=True, check=True).stdout
    assert (untracked, changed) == ("", "")  # the preview folder ignores itself; nothing committed changed
    assert check_outputs(load_project(tmp_path)) == []
    again = run_build(tmp_path, renderer_name="sketchy", jobs=1)
    assert again.built == [] and again.unchanged == 1  # previews are incremental too


@pytest.mark.slow
def test_make_diagrams_renderer_plantuml_is_a_preview(tmp_path: Path) -> None:
    """The real PlantUML, through the command line as `make diagrams RENDERER=plantuml` runs it."""
    good_flow(tmp_path, 1, "Alpha Flow")
    assert run_build(tmp_path, jobs=1).ok
    committed = {name: (tmp_path / OUT / name).read_bytes() for name in outputs(tmp_path)}
    result = run_cli(tmp_path, "build", "--renderer", "plantuml", timeout=300)
    assert result.returncode == 0, result
    assert "preview with plantuml" in result.stderr
    assert (tmp_path / f"{OUT}.plantuml-preview" / "1-alpha-flow.png").read_bytes()[:4] == b"\x89PNG"
    assert {name: (tmp_path / OUT / name).read_bytes() for name in outputs(tmp_path)} == committed
    assert run_cli(tmp_path, "check").returncode == 0


def test_build_plan_reasons_are_typed(tmp_path: Path) -> None:
    from diagram_dsl.build.staleness import Reason, Why, plan_build

    good_flow(tmp_path, 1, "Alpha Flow")
    assert run_build(tmp_path, jobs=1).ok
    (tmp_path / OUT / "1-alpha-flow.svg").unlink()
    project = load_project(tmp_path)
    (flow,) = plan_build(project, "native", get_renderer("native").version()).flows
    assert flow.reasons == (Reason(Why.OUTPUT_MISSING, f"{OUT}/1-alpha-flow.svg"),)
    assert [f.code for f in check_outputs(project)] == ["OUT300"]
