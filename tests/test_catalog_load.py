"""Flow discovery: one flow per module, clear located errors, the other flows still load."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from diagram_dsl.catalog import load_catalog
from diagram_dsl.cli import main
from diagram_dsl.project import Project, output_stem

GOOD = '''
from diagram_dsl import Flow, Scores
flow = Flow(number={number}, title={title!r}, description="d", scores=Scores(5, 5, "High"))
a, b = flow.actor("A"), flow.participant("B")
with a.call(b, "ping") as ping:
    ping.reply("pong")
'''


def write(root: Path, name: str, text: str) -> Path:
    path = root / "sources" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def good(root: Path, name: str, number: int, title: str) -> Path:
    return write(root, name, GOOD.format(number=number, title=title))


def messages(root: Path) -> list[str]:
    return [str(error) for error in load_catalog(root).errors]


def test_loads_flows_in_number_order_with_relative_locations(tmp_path: Path) -> None:
    good(tmp_path, "02_b.py", 2, "Second Flow")
    good(tmp_path, "01_a.py", 1, "First Flow")
    catalog = load_catalog(tmp_path)
    assert [f.metadata.title for f in catalog.flows] == ["First Flow", "Second Flow"]
    assert catalog.errors == ()
    first = catalog.flows[0]
    assert first.model.diagram.messages()[0].location.file == "sources/01_a.py"
    assert first.model.diagram.messages()[0].location.line == 5
    assert output_stem(first.metadata) == "1-first-flow"
    assert Project(tmp_path).output_path(first.metadata, "png") == (
        tmp_path / "generated-diagrams/sequence-diagram-solutions/1-first-flow.png")
    assert catalog.find("2") is catalog.find("second-flow") is catalog.find("2-second-flow") is catalog.flows[1]
    assert catalog.find("02_b.py") is catalog.flows[1] and catalog.find("nope") is None


def test_module_without_flow(tmp_path: Path) -> None:
    good(tmp_path, "01_a.py", 1, "First Flow")
    write(tmp_path, "02_empty.py", "x = 1\n")
    catalog = load_catalog(tmp_path)
    assert [f.metadata.number for f in catalog.flows] == [1]
    assert messages(tmp_path) == [
        "sources/02_empty.py:1: defines no flow (assign `flow = Flow(...)` at module level)"]


def test_duplicate_number_and_slug_name_both_files(tmp_path: Path) -> None:
    from diagram_dsl.validate import validate_catalog

    good(tmp_path, "01_a.py", 1, "First Flow")
    good(tmp_path, "02_dup_number.py", 1, "Other Title")
    good(tmp_path, "03_dup_slug.py", 3, "First  flow!")
    catalog = load_catalog(tmp_path)
    assert catalog.errors == ()
    assert sorted(f.path.name for f in catalog.flows) == ["01_a.py", "02_dup_number.py", "03_dup_slug.py"]
    clashes = [str(f) for f in validate_catalog(flow.model for flow in catalog.flows) if f.code == "SEQ160"]
    assert clashes == [
        "sources/02_dup_number.py:3: error SEQ160 flow number 1 is already used by sources/01_a.py:3",
        "sources/03_dup_slug.py:3: error SEQ160 slug 'first-flow' is already used by sources/01_a.py:3"]


def test_unsafe_slug_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "01_evil.py", '''
        from diagram_dsl import Flow, Scores
        flow = Flow(number=1, title="Evil", slug="../../etc/passwd", description="d", scores=Scores(1, 1, "Low"))
        ''')
    (error,) = load_catalog(tmp_path).errors
    assert error.location is not None and error.location.line == 3
    assert "unsafe slug '../../etc/passwd'" in error.message and error.code == "SEQ160"


def test_exceptions_in_user_code_are_located(tmp_path: Path) -> None:
    write(tmp_path, "01_raises.py", '''
        from diagram_dsl import Flow, Scores
        flow = Flow(number=1, title="R", description="d", scores=Scores(1, 1, "Low"))
        a = flow.actor("A")
        a.send(undefined_name, "x")
        ''')
    write(tmp_path, "02_syntax.py", "from diagram_dsl import Flow\nflow = Flow(\n")
    write(tmp_path, "03_misuse.py", '''
        from diagram_dsl import Flow, Scores
        flow = Flow(number=3, title="M", description="d", scores=Scores(1, 1, "Low"))
        with flow.else_("x"):
            pass
        ''')
    write(tmp_path, "04_two.py", '''
        from diagram_dsl import Flow, Scores
        one = Flow(number=4, title="One", description="d", scores=Scores(1, 1, "Low"))
        two = Flow(number=5, title="Two", description="d", scores=Scores(1, 1, "Low"))
        ''')
    good(tmp_path, "05_fine.py", 6, "Fine")
    catalog = load_catalog(tmp_path)
    assert [f.metadata.title for f in catalog.flows] == ["Fine"]
    found = messages(tmp_path)
    assert found[0] == "sources/01_raises.py:5: NameError: name 'undefined_name' is not defined"
    assert found[1].startswith("sources/02_syntax.py:2: syntax error")
    assert found[2].startswith("sources/03_misuse.py:4: else_() must directly follow")
    assert found[3].startswith("sources/04_two.py:1: defines 2 flows")


def test_private_modules_are_not_flows(tmp_path: Path) -> None:
    write(tmp_path, "_helpers.py", "VALUE = 1\n")
    good(tmp_path, "01_a.py", 1, "First")
    assert [f.path.name for f in load_catalog(tmp_path).flows] == ["01_a.py"]


def test_cli_list(tmp_path: Path) -> None:
    good(tmp_path, "01_a.py", 1, "First Flow")
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["#", "title", "slug", "participants", "messages"]
    assert lines[1].split() == ["1", "First", "Flow", "first-flow", "2", "2"]


def test_cli_list_reports_broken_flows_without_traceback(tmp_path: Path) -> None:
    good(tmp_path, "01_a.py", 1, "First Flow")
    write(tmp_path, "02_empty.py", "x = 1\n")
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "list"])
    assert result.exit_code == 1
    assert "first-flow" in result.stdout
    assert "sources/02_empty.py:1: error: defines no flow" in result.stderr
    assert "Traceback" not in result.output


def test_cli_new_scaffolds_a_working_flow_with_next_number(tmp_path: Path) -> None:
    good(tmp_path, "03_a.py", 3, "Third")
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "new", "Order Refund"])
    assert result.exit_code == 0, result.output
    created = tmp_path / "sources" / "04_order_refund.py"
    assert created.exists()
    assert "4-order-refund" in result.output
    catalog = load_catalog(tmp_path)
    assert catalog.errors == ()
    refund = catalog.find("order-refund")
    assert refund is not None and refund.metadata.number == 4
    assert len(refund.model.diagram.messages()) == 5
    again = CliRunner().invoke(main, ["--root", str(tmp_path), "new", "Order Refund", "--number", "4"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_cli_new_rejects_unusable_title(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "new", "!!!"])
    assert result.exit_code == 1 and "no usable slug" in result.output


def test_every_command_has_help_with_an_example() -> None:
    runner = CliRunner()
    top = runner.invoke(main, ["--help"])
    assert top.exit_code == 0
    for name in main.commands:  # type: ignore[attr-defined]
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"{name} --help has no example"


def test_python_dash_m_runs_the_cli(tmp_path: Path) -> None:
    import subprocess
    import sys

    good(tmp_path, "01_a.py", 1, "First Flow")
    done = subprocess.run([sys.executable, "-m", "diagram_dsl", "--root", str(tmp_path), "list"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "first-flow" in done.stdout


def test_an_internal_bug_is_one_line_and_exit_70(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import diagram_dsl.cli.cmd_list as cmd_list

    def broken(root: Path) -> None:
        raise RuntimeError("boom")

    (tmp_path / "sources").mkdir()
    monkeypatch.setattr(cmd_list, "load_catalog", broken)
    monkeypatch.delenv("DIAGRAM_DSL_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "list"])
    assert result.exit_code == 70
    assert "internal error: RuntimeError: boom" in result.stderr and "Traceback" not in result.output
