"""Outputs always match the bytes that were rendered (issue #12 §3).

The manifest records the hash of the source bytes that were run; two builds in one checkout take
turns; a build killed at any point — also while renaming the manifest or the catalog page — leaves
only temp files that `check` reports and the next build removes.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hostile_support import MANIFEST, OUT, PAGE, TEMP_SUFFIX, cli, good_flow, outputs, run_cli

import diagram_dsl.build.runner as runner
from diagram_dsl.build import run_build
from diagram_dsl.checks.outputs import check_outputs
from diagram_dsl.project import load_project


def _codes(root: Path) -> list[tuple[str, str]]:
    return [(f.location.file, f.code) for f in check_outputs(load_project(root))]


def test_an_edit_saved_during_a_build_leaves_the_flow_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    beta = good_flow(tmp_path, 2, "Beta Flow", label="GET /v1")
    real_render_outputs = runner.render_outputs

    def editor_saves_meanwhile(flow, files, pictures):  # type: ignore[no-untyped-def]
        if flow.metadata.number == 2:  # loaded and drawn from the old bytes; the file changes before it is recorded
            beta.write_text(beta.read_text().replace("GET /v1", "GET /v2"))
        return real_render_outputs(flow, files, pictures)

    monkeypatch.setattr(runner, "render_outputs", editor_saves_meanwhile)
    assert run_build(tmp_path, jobs=1).ok
    monkeypatch.setattr(runner, "render_outputs", real_render_outputs)
    assert "GET /v1" in (tmp_path / OUT / "2-beta-flow.puml").read_text()
    findings = check_outputs(load_project(tmp_path))
    assert [(f.location.file, f.code) for f in findings] == [("sources/02_flow.py", "OUT301")]
    assert "source changed" in findings[0].message
    again = run_build(tmp_path, jobs=1)
    assert again.built == ["sources/02_flow.py"]
    assert "GET /v2" in (tmp_path / OUT / "2-beta-flow.puml").read_text()
    assert _codes(tmp_path) == []


def test_a_module_that_rewrites_itself_while_loading_is_never_recorded_as_built(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    restless = tmp_path / "sources" / "02_flow.py"
    restless.write_text(textwrap.dedent('''\
        from pathlib import Path
        from diagram_dsl import Flow, Scores
        flow = Flow(number=2, title="Restless", description="d", scores=Scores(5, 5, "High"),
                    when_to_use=["w"], important_points=["p"])
        user, app = flow.actor("User"), flow.participant("App")
        with user.call(app, "GET /") as request:
            request.reply("200")
        Path(__file__).write_text(Path(__file__).read_text() + "# touched\\n")
        '''))
    assert run_build(tmp_path, jobs=1).ok
    assert _codes(tmp_path) == [("sources/02_flow.py", "OUT301")]


def test_two_builds_at_once_both_succeed_and_leave_a_clean_project(tmp_path: Path) -> None:
    for n in range(1, 9):
        good_flow(tmp_path, n, f"Flow Number {n}", label="x " * 20)
    command = [sys.executable, "-m", "diagram_dsl", "--root", str(tmp_path), "build", "--jobs", "1"]
    builds = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
              for _ in range(3)]
    results = [(build.wait(timeout=300), *build.communicate()) for build in builds]
    for code, stdout, stderr in results:
        assert code == 0, stdout + stderr
    assert sum("built 8," in stdout for _, stdout, _ in results) == 1  # the others waited, then had nothing to do
    assert cli(tmp_path, "check").exit_code == 0
    assert not [p for p in (tmp_path / OUT).iterdir() if p.name.startswith(".")]


def test_planted_temp_files_are_reported_then_removed_by_the_next_build(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    assert run_build(tmp_path, jobs=1).ok
    left = [f"{OUT}/.1-alpha-flow.png.k2j4h5g6{TEMP_SUFFIX}",
            f"generated-diagrams/.manifest.json.abcd1234{TEMP_SUFFIX}", f".{PAGE}.zz99yy88{TEMP_SUFFIX}"]
    for name in left:
        (tmp_path / name).write_bytes(b"half")
    foreign = tmp_path / OUT / ".editor-swap.tmp"  # not ours: never reported, never deleted
    foreign.write_bytes(b"mine")
    assert sorted(_codes(tmp_path)) == sorted((name, "OUT302") for name in left)
    result = cli(tmp_path, "check")
    assert result.exit_code == 1 and "temp file left by an interrupted build" in result.stdout
    report = run_build(tmp_path, jobs=1)
    assert report.ok and report.built == []
    assert not any((tmp_path / name).exists() for name in left)
    assert foreign.read_bytes() == b"mine"
    assert _codes(tmp_path) == []


KILL_AT_RENAME = '''
import os, signal, sys
real_replace = os.replace
def replace(src, dst):
    if str(dst).endswith(sys.argv[1]):
        os.kill(os.getpid(), signal.SIGKILL)  # killed between writing the temp file and renaming it
    return real_replace(src, dst)
os.replace = replace
from diagram_dsl.cli import main
main(["--root", sys.argv[2], "build", "--jobs", "1"])
'''


@pytest.mark.parametrize("target", [".manifest.json", PAGE, "2-beta-flow.svg"])
def test_a_build_killed_while_renaming_recovers(tmp_path: Path, target: str) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    good_flow(tmp_path, 2, "Beta Flow")
    killed = subprocess.run([sys.executable, "-c", KILL_AT_RENAME, target, str(tmp_path)], capture_output=True,
                            timeout=120, check=False)
    assert killed.returncode == -9
    temps = [(f, code) for f, code in _codes(tmp_path) if f.endswith(TEMP_SUFFIX)]
    assert len(temps) == 1 and temps[0][1] == "OUT302", _codes(tmp_path)
    assert Path(temps[0][0]).name.startswith(f".{target}.")
    assert cli(tmp_path, "check").exit_code == 1
    assert run_build(tmp_path, jobs=1).ok
    assert _codes(tmp_path) == []
    everywhere = [*(tmp_path / OUT).iterdir(), *(tmp_path / "generated-diagrams").iterdir(), *tmp_path.iterdir()]
    assert not [p for p in everywhere if p.name.endswith(TEMP_SUFFIX)]
    assert len(outputs(tmp_path)) == 8


def test_check_waits_for_a_running_build(tmp_path: Path) -> None:
    """`check` takes the build lock shared: it never judges a build half done."""
    from diagram_dsl.fsutil import project_lock

    good_flow(tmp_path, 1, "Alpha Flow")
    assert run_build(tmp_path, jobs=1).ok
    with project_lock(tmp_path):  # a build holding the lock
        waiting = subprocess.Popen([sys.executable, "-m", "diagram_dsl", "--root", str(tmp_path), "check"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(timeout=3)
        (tmp_path / MANIFEST).write_text((tmp_path / MANIFEST).read_text())  # the "build" finishes its work
    stdout, stderr = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, stdout + stderr


def test_no_op_build_stays_a_no_op(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    assert run_build(tmp_path, jobs=1).ok
    result = run_cli(tmp_path, "build")
    assert result.returncode == 0 and "built 0, unchanged 1" in result.stdout
