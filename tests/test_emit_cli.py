"""``diagram-dsl emit``: prints the emitter's text for a flow found by number, slug, stem or file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from diagram_dsl.catalog import load_catalog
from diagram_dsl.cli import main
from diagram_dsl.emit import emit_mermaid, emit_plantuml

SOURCE = '''
from diagram_dsl import Flow, Scores

flow = Flow(number=7, title="Ping Pong", description="A ping.", scores=Scores(5, 1, "High"))
a, b = flow.actor("A; #1"), flow.participant("B")
with a.call(b, "ping") as ping:
    ping.reply("pong")
'''


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "07_ping_pong.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("key", ["7", "ping-pong", "7-ping-pong", "07_ping_pong.py", "07_ping_pong"])
def test_emit_finds_the_flow_by_any_key_and_prints_the_emitters_text(root: Path, key: str) -> None:
    diagram = load_catalog(root).flows[0].model.diagram
    for fmt, emit in (("plantuml", emit_plantuml), ("mermaid", emit_mermaid)):
        result = CliRunner().invoke(main, ["--root", str(root), "emit", "--format", fmt, key])
        assert result.exit_code == 0, result.output
        assert result.output == emit(diagram)


def test_emit_accepts_a_source_file_path(root: Path) -> None:
    result = CliRunner().invoke(main, ["emit", "--format", "mermaid", str(root / "sources" / "07_ping_pong.py")])
    assert result.exit_code == 0 and result.output.startswith("sequenceDiagram\n")


def test_unknown_flow_is_one_line_error_without_traceback(root: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(root), "emit", "--format", "plantuml", "42"])
    assert result.exit_code == 1
    assert "no flow '42'" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unknown_format_is_refused(root: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(root), "emit", "--format", "svg", "7"])
    assert result.exit_code == 2 and "plantuml" in result.output


def test_a_flow_that_fails_to_load_is_reported_with_file_and_line(root: Path) -> None:
    (root / "sources" / "08_broken.py").write_text("x = 1\nraise ValueError('bad flow')\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(root), "emit", "--format", "plantuml", "8"])
    assert result.exit_code == 1
    assert "08_broken.py:2" in result.output and "bad flow" in result.output
