"""Incremental, atomic builds: only what changed is rebuilt, nothing half-written survives."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from diagram_dsl import fsutil
from diagram_dsl.build import run_build
from diagram_dsl.checks.outputs import check_outputs
from diagram_dsl.cli import main
from diagram_dsl.project import DEFAULT_MANIFEST, load_project

OUT = Path("generated-diagrams") / "sequence-diagram-solutions"
FLOW = '''
from diagram_dsl import Flow, Scores
flow = Flow(number={n}, title={title!r}, description="d", scores=Scores(5, 5, "High"),
            when_to_use=["w"], important_points=["p"])
user, app, db = flow.actor("User"), flow.participant("App"), flow.database("DB")
with user.call(app, {label!r}) as request:
    with app.call(db, "SELECT") as query:
        query.reply("rows")
    request.reply("200")
'''
BROKEN = '''
from diagram_dsl import Flow, Scores
flow = Flow(number={n}, title={title!r}, description="d", scores=Scores(5, 5, "High"),
            when_to_use=["w"], important_points=["p"])
user, app = flow.actor("User"), flow.participant("App")
user.call(app, "never answered")
'''


def write_flow(root: Path, n: int, title: str, label: str = "GET /", template: str = FLOW) -> Path:
    path = root / "sources" / f"{n:02d}_flow.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(template.format(n=n, title=title, label=label)))
    return path


def outputs(root: Path) -> list[str]:
    folder = root / OUT
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_first_build_writes_every_output_and_a_deterministic_manifest(tmp_path: Path) -> None:
    write_flow(tmp_path, 1, "Alpha Flow")
    write_flow(tmp_path, 2, "Beta Flow")
    report = run_build(tmp_path, jobs=1)
    assert report.ok and len(report.built) == 2
    assert outputs(tmp_path) == [f"{stem}.{ext}" for stem in ("1-alpha-flow", "2-beta-flow")
                                 for ext in ("mmd", "png", "puml", "svg")]
    png = Image.open(BytesIO((tmp_path / OUT / "1-alpha-flow.png").read_bytes()))
    assert png.format == "PNG" and png.width > 100 and png.height > 100
    ET.fromstring((tmp_path / OUT / "1-alpha-flow.svg").read_bytes())
    assert (tmp_path / OUT / "1-alpha-flow.puml").read_text().startswith("@startuml")
    assert "sequenceDiagram" in (tmp_path / OUT / "1-alpha-flow.mmd").read_text()
    manifest_text = (tmp_path / DEFAULT_MANIFEST).read_text()
    manifest = json.loads(manifest_text)
    assert sorted(manifest["flows"]) == ["sources/01_flow.py", "sources/02_flow.py"]
    assert manifest["renderer"] == "native"
    assert "timestamp" not in manifest_text and str(tmp_path) not in manifest_text
    assert (tmp_path / "sequence-diagram-solutions.md").exists()
    assert check_outputs(load_project(tmp_path)) == []
    run_build(tmp_path, jobs=1, force=True)
    assert (tmp_path / DEFAULT_MANIFEST).read_text() == manifest_text


def test_only_changed_flows_are_rebuilt_and_force_rebuilds_all(tmp_path: Path) -> None:
    write_flow(tmp_path, 1, "Alpha Flow")
    beta = write_flow(tmp_path, 2, "Beta Flow")
    run_build(tmp_path, jobs=1)
    untouched = (tmp_path / OUT / "1-alpha-flow.png").stat().st_mtime_ns
    again = run_build(tmp_path, jobs=1)
    assert again.built == [] and again.unchanged == 2
    write_flow(tmp_path, 2, "Beta Flow", label="POST /changed")
    assert [f.code for f in check_outputs(load_project(tmp_path))] == ["OUT301"]
    changed = run_build(tmp_path, jobs=1)
    assert changed.built == [beta.relative_to(tmp_path).as_posix()] and changed.unchanged == 1
    assert "POST /changed" in (tmp_path / OUT / "2-beta-flow.puml").read_text()
    assert (tmp_path / OUT / "1-alpha-flow.png").stat().st_mtime_ns == untouched
    forced = run_build(tmp_path, jobs=1, force=True)
    assert len(forced.built) == 2


def test_renamed_and_deleted_flows_lose_their_outputs(tmp_path: Path) -> None:
    write_flow(tmp_path, 1, "Alpha Flow")
    beta = write_flow(tmp_path, 2, "Beta Flow")
    run_build(tmp_path, jobs=1)
    write_flow(tmp_path, 1, "Alpha Renamed")
    beta.unlink()
    report = run_build(tmp_path, jobs=1)
    assert outputs(tmp_path) == [f"1-alpha-renamed.{ext}" for ext in ("mmd", "png", "puml", "svg")]
    assert len(report.removed) == 8
    assert check_outputs(load_project(tmp_path)) == []


def test_flow_with_validator_errors_is_not_rendered_but_others_are(tmp_path: Path) -> None:
    write_flow(tmp_path, 1, "Alpha Flow")
    write_flow(tmp_path, 2, "Broken Flow", template=BROKEN)
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "build", "--jobs", "1"])
    assert result.exit_code == 1
    assert "sources/02_flow.py:6: error SEQ110" in result.stderr
    assert "built 1, unchanged 0, failed 1" in result.stdout
    assert "Traceback" not in result.output
    assert [name for name in outputs(tmp_path) if name.startswith("2-")] == []
    assert len([name for name in outputs(tmp_path) if name.startswith("1-")]) == 4
    assert [f.code for f in check_outputs(load_project(tmp_path))] == ["OUT300"]


def test_parallel_build_gives_the_same_bytes(tmp_path: Path) -> None:
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    for root in (serial, parallel):
        for n in range(1, 5):
            write_flow(root, n, f"Flow Number {n}", label=f"call {n}")
    assert run_build(serial, jobs=1).ok and run_build(parallel, jobs=2).ok
    for name in outputs(serial):
        assert (serial / OUT / name).read_bytes() == (parallel / OUT / name).read_bytes(), name


def test_check_reports_missing_modified_and_orphaned_outputs(tmp_path: Path) -> None:
    write_flow(tmp_path, 1, "Alpha Flow")
    run_build(tmp_path, jobs=1)
    (tmp_path / OUT / "1-alpha-flow.svg").unlink()
    (tmp_path / OUT / "1-alpha-flow.mmd").write_text("edited by hand\n")
    (tmp_path / OUT / "7-old-name.png").write_bytes(b"x")
    findings = check_outputs(load_project(tmp_path))
    assert [(f.location.file, f.code) for f in findings] == [
        ("sources/01_flow.py", "OUT301"), (f"{OUT.as_posix()}/7-old-name.png", "OUT302")]
    assert "1-alpha-flow.svg is missing" in findings[0].message
    assert "1-alpha-flow.mmd was modified after the build" in findings[0].message
    run_build(tmp_path, jobs=1)
    # The planted file was never written by the build (no manifest records it): it stays, and stays reported.
    assert (tmp_path / OUT / "7-old-name.png").read_bytes() == b"x"
    assert [(f.location.file, f.code) for f in check_outputs(load_project(tmp_path))] == [
        (f"{OUT.as_posix()}/7-old-name.png", "OUT302")]
    (tmp_path / OUT / "7-old-name.png").unlink()
    assert check_outputs(load_project(tmp_path)) == []


def test_interrupt_mid_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_flow(tmp_path, 1, "Alpha Flow")
    write_flow(tmp_path, 2, "Beta Flow")
    real_replace = os.replace
    calls = {"n": 0}

    def interrupted_replace(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # Ctrl-C between writing the temp file and renaming it
        real_replace(src, dst)

    monkeypatch.setattr(fsutil.os, "replace", interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        run_build(tmp_path, jobs=1)
    monkeypatch.setattr(fsutil.os, "replace", real_replace)
    assert not [p for p in (tmp_path / OUT).iterdir() if p.name.endswith(".tmp")]
    assert not (tmp_path / DEFAULT_MANIFEST).exists()
    assert run_build(tmp_path, jobs=1).ok
    assert check_outputs(load_project(tmp_path)) == []


def test_killed_build_recovers_on_the_next_run(tmp_path: Path) -> None:
    for n in range(1, 13):
        write_flow(tmp_path, n, f"Flow Number {n}", label="x " * 30)
    process = subprocess.Popen([sys.executable, "-m", "diagram_dsl", "--root", str(tmp_path), "build", "--jobs", "1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(outputs(tmp_path)) < 6:
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for name in outputs(tmp_path):
        data = (tmp_path / OUT / name).read_bytes()
        if name.endswith(".png"):
            Image.open(BytesIO(data)).verify()  # a finished file, never a truncated one
        elif name.endswith(".svg"):
            ET.fromstring(data)
    assert check_outputs(load_project(tmp_path)) != []  # the interrupted build did not pretend to be complete
    assert run_build(tmp_path, jobs=1).ok
    assert check_outputs(load_project(tmp_path)) == []
    assert not [p for p in (tmp_path / OUT).iterdir() if p.name.startswith(".")]


def test_a_renderer_that_cannot_start_is_reported_once(tmp_path: Path) -> None:
    from diagram_dsl.renderers.base import RenderError, RenderOptions, register

    class CannotStart:
        name = "cannot-start"

        def version(self) -> str:
            return "cannot-start 1"

        def session(self, options: RenderOptions) -> object:
            raise RenderError("java not found; run `make tools` or use --renderer native")

    register("cannot-start", CannotStart)  # type: ignore[arg-type]
    for n in range(1, 4):
        write_flow(tmp_path, n, f"Flow Number {n}")
    report = run_build(tmp_path, renderer_name="cannot-start", jobs=1)
    assert report.failed == ["error: renderer 'cannot-start' failed: java not found; run `make tools` or use "
                             "--renderer native"]
    assert report.built == [] and outputs(tmp_path) == []


def test_a_renderer_bug_fails_that_flow_only_without_a_traceback(tmp_path: Path) -> None:
    from diagram_dsl.model import FlowModel
    from diagram_dsl.renderers.base import Rendered, RenderOptions, nullsession, register

    class Buggy:
        name = "buggy"

        def version(self) -> str:
            return "buggy 1"

        def session(self, options: RenderOptions) -> object:
            def render(flow: FlowModel) -> Rendered:
                if flow.metadata.number == 2:
                    raise ZeroDivisionError("division by zero")
                return Rendered(b"\x89PNG fake", b"<svg/>")

            return nullsession(render)

    register("buggy", Buggy)  # type: ignore[arg-type]
    for n in (1, 2):
        write_flow(tmp_path, n, f"Flow Number {n}")
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "build", "--renderer", "native", "--jobs", "1"])
    assert result.exit_code == 0  # the real renderer is fine
    report = run_build(tmp_path, renderer_name="buggy", jobs=1, force=True)
    assert report.built == ["sources/01_flow.py"]
    (failure,) = report.failed
    assert failure.startswith("sources/02_flow.py:3: internal renderer error (ZeroDivisionError: division by zero)")


def test_commands_outside_a_project_say_so(tmp_path: Path) -> None:
    for command in (["list"], ["build"], ["check"], ["docs"], ["emit", "--format", "mermaid", "1"]):
        result = CliRunner().invoke(main, ["--root", str(tmp_path), *command])
        assert result.exit_code == 1, command
        assert "has no sources/ folder" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.iterdir()), "nothing is written outside a project"


def test_bad_metadata_keeps_the_catalog_page_back_but_not_the_other_flows(tmp_path: Path) -> None:
    write_flow(tmp_path, 1, "Alpha Flow")
    bad = tmp_path / "sources" / "02_flow.py"
    bad.write_text(FLOW.format(n=2, title="Beta Flow", label="x").replace('"High"', '"Blazing"'))
    report = run_build(tmp_path, jobs=1)
    assert report.built == ["sources/01_flow.py"]
    assert any("SEQ160" in line for line in report.failed)
    assert any("catalog page not written" in line for line in report.failed)
    assert (tmp_path / DEFAULT_MANIFEST).exists()
    # shareable, not mkstemp's private 0600
    assert (tmp_path / OUT / "1-alpha-flow.png").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
