"""A flow module cannot make `check` or `build` pass, hang them, or leave anything running (issue #12 §2).

Every case runs the real command as CI does, in its own process: a module that exits, interrupts,
parses arguments, loops forever, sleeps or leaves a thread running costs that module one located
SEQ000 finding, the command exits 1, and every other flow is still checked and reported.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from hostile_support import flow_then, good_flow, line_of, processes_with, run_cli, write_source

BROKEN = '''\
from diagram_dsl import Flow, Scores
flow = Flow(number=3, title="Broken Flow", description="d", scores=Scores(5, 5, "High"),
            when_to_use=["w"], important_points=["p"])
user, app = flow.actor("User"), flow.participant("App")
user.call(app, "never answered")
'''

EXITS = {
    "sys.exit(0)": ("import sys\nsys.exit(0)\n", "sys.exit(0)", "sys.exit(0)"),
    "SystemExit": ("raise SystemExit(3)\n", "raise SystemExit", "sys.exit(3)"),
    "os._exit": ("import os\nos._exit(0)\n", "os._exit(0)", "os._exit(0)"),
    "KeyboardInterrupt": ("raise KeyboardInterrupt\n", "raise KeyboardInterrupt", "KeyboardInterrupt"),
    "argparse": ("import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument('name')\n"
                 "parser.parse_args()\n", "parser.parse_args()", "sys.exit(2)"),
    "argparse --help": ("import argparse\nargparse.ArgumentParser().parse_args(['--help'])\n", "parse_args",
                        "sys.exit(0)"),
}


def _project(root: Path, tail: str, *, timeout: float | None = None) -> Path:
    if timeout is not None:
        (root / "pyproject.toml").write_text(f"[tool.diagram-dsl]\nload-timeout = {timeout}\n")
    good_flow(root, 1, "Alpha Flow")
    hostile = flow_then(root, 2, "Hostile Flow", tail)
    write_source(root, "03_flow.py", BROKEN)
    return hostile


def _assert_others_checked(stdout: str) -> None:
    assert "sources/03_flow.py:5: error SEQ110" in stdout, stdout  # the flow after the hostile one
    assert stdout.rstrip().splitlines()[-1].startswith("checked 2 flow(s)"), stdout


@pytest.mark.parametrize("case", sorted(EXITS))
def test_a_module_that_exits_is_one_finding_at_its_line(tmp_path: Path, case: str) -> None:
    tail, needle, said = EXITS[case]
    hostile = _project(tmp_path, tail)
    result = run_cli(tmp_path, "check", "sources")
    assert result.returncode == 1, result
    line = line_of(hostile, needle)
    assert f"sources/02_flow.py:{line}: error SEQ000 " in result.stdout, result.stdout
    assert said in result.stdout
    _assert_others_checked(result.stdout)
    assert "Traceback" not in result.stdout + result.stderr
    assert "usage:" not in result.stdout + result.stderr  # argparse's own output never reaches ours


@pytest.mark.parametrize("case", ["sys.exit(0)", "os._exit"])
def test_build_exits_one_and_still_builds_the_others(tmp_path: Path, case: str) -> None:
    _project(tmp_path, EXITS[case][0])
    result = run_cli(tmp_path, "build", "--jobs", "1")
    assert result.returncode == 1, result
    assert "sources/02_flow.py:" in result.stderr and "error SEQ000" in result.stderr
    assert (tmp_path / "generated-diagrams/sequence-diagram-solutions/1-alpha-flow.png").is_file()


HANGS = {
    "endless loop": ("while True:\n    pass\n", "while True"),
    "long sleep": ("import time\ntime.sleep(3600)\n", "time.sleep"),
    "non-daemon thread": ("import threading, time\nthreading.Thread(target=lambda: time.sleep(3600)).start()\n",
                          "threading.Thread"),
}


@pytest.mark.parametrize("case", sorted(HANGS))
def test_a_module_that_never_finishes_is_stopped_at_its_line(tmp_path: Path, case: str) -> None:
    tail, needle = HANGS[case]
    hostile = _project(tmp_path, tail, timeout=2)
    started = time.monotonic()
    result = run_cli(tmp_path, "check", "sources", timeout=60)
    assert result.returncode == 1, result
    line = line_of(hostile, needle)
    expected = {line, line + 1}  # a loop is stopped on its `while` or on its body
    found = [text for text in result.stdout.splitlines() if "error SEQ000" in text]
    assert len(found) == 1 and "did not finish loading within 2 s" in found[0], result.stdout
    assert int(found[0].split(":")[1]) in expected, found[0]
    _assert_others_checked(result.stdout)
    assert time.monotonic() - started < 30
    assert processes_with(str(tmp_path)) == []


def test_a_module_that_ignores_the_alarm_is_killed_with_everything_it_started(tmp_path: Path) -> None:
    marker = f"hostile-{uuid.uuid4().hex}"
    _project(tmp_path, f"""\
        import signal, subprocess, sys, time
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)", "{marker}"])
        while True:
            time.sleep(0.05)
        """, timeout=2)
    result = run_cli(tmp_path, "check", "sources", timeout=60)
    assert result.returncode == 1
    assert "sources/02_flow.py:1: error SEQ000 did not finish loading within 2 s" in result.stdout
    _assert_others_checked(result.stdout)
    assert processes_with(marker) == [], "the module's own child outlived the check"
    assert processes_with(str(tmp_path)) == [], "a loading worker outlived the check"


def test_a_module_that_loads_fine_leaves_nothing_running(tmp_path: Path) -> None:
    marker = f"hostile-{uuid.uuid4().hex}"
    good_flow(tmp_path, 1, "Alpha Flow")
    flow_then(tmp_path, 2, "Spawner", f"""\
        import subprocess, sys
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)", "{marker}"])
        """)
    result = run_cli(tmp_path, "check", "sources")
    assert result.returncode == 0, result
    assert processes_with(marker) == []


def test_what_a_module_prints_never_reaches_the_report(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    flow_then(tmp_path, 2, "Chatty", "import sys\nprint('[not json')\nprint('noise', file=sys.stderr)\n")
    result = run_cli(tmp_path, "check", "sources", "--format", "json")
    assert result.returncode == 0, result
    assert json.loads(result.stdout) == []
    assert "noise" not in result.stderr


def test_modules_do_not_see_each_other(tmp_path: Path) -> None:
    """Each module loads in a fresh copy of the loader: one cannot patch the DSL under the next one."""
    flow_then(tmp_path, 1, "Patcher", "import diagram_dsl.dsl.flow as f\nf.Flow.build = None\n")
    write_source(tmp_path, "02_flow.py", BROKEN.replace("number=3", "number=2"))
    result = run_cli(tmp_path, "check", "sources")
    assert "sources/02_flow.py:5: error SEQ110" in result.stdout, result.stdout


def test_load_timeout_is_a_project_setting(tmp_path: Path) -> None:
    _project(tmp_path, "import time\ntime.sleep(2.5)\n", timeout=5)
    result = run_cli(tmp_path, "check", "sources")
    assert "error SEQ000" not in result.stdout  # 2.5 s is within the project's 5 s
    assert result.returncode == 1 and "SEQ110" in result.stdout  # flow 3 is still wrong


def test_ctrl_c_exits_130_and_stops_the_workers(tmp_path: Path) -> None:
    _project(tmp_path, "import time\ntime.sleep(3600)\n", timeout=60)
    process = subprocess.Popen([sys.executable, "-m", "diagram_dsl", "--root", str(tmp_path), "check", "sources"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                               cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(processes_with(str(tmp_path))) < 2:  # the CLI and its worker
            time.sleep(0.05)
        assert len(processes_with(str(tmp_path))) >= 2, "the sleeping module never started loading"
        os.kill(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    # Exit status 130, or ended by SIGINT itself, which every shell and CI runner also reports as 130: the
    # interrupt can land while the interpreter is still setting up or already finishing, past any handler.
    assert process.returncode in (130, -signal.SIGINT), stderr
    assert "Traceback" not in stderr
    assert process.returncode != 130 or "interrupted" in stderr
    assert processes_with(str(tmp_path)) == []


def test_ctrl_c_while_the_command_line_is_still_importing_is_exit_130_without_a_traceback() -> None:
    # The interrupt lands inside the import of the command line itself, before click can handle it.
    script = textwrap.dedent("""\
        import builtins
        from diagram_dsl.entry import run
        real_import = builtins.__import__
        def interrupted_import(name, *args, **kwargs):
            if name == "diagram_dsl.cli":
                raise KeyboardInterrupt
            return real_import(name, *args, **kwargs)
        builtins.__import__ = interrupted_import
        run()
        """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 130, result.stderr
    assert "interrupted" in result.stderr and "Traceback" not in result.stderr


def test_ctrl_c_right_after_a_worker_is_forked_still_stops_that_worker(tmp_path: Path) -> None:
    # The interrupt lands in the parent the moment `os.fork` returns there, before the new worker is registered
    # (on a loaded machine Ctrl-C often does): the worker must still be stopped, not left loading on.
    module = tmp_path / "sleeps.py"
    module.write_text("import time\ntime.sleep(120)\n")
    script = textwrap.dedent(f"""\
        import os, signal, sys
        from pathlib import Path
        from diagram_dsl.loading import workers
        real_fork = os.fork
        def fork_then_interrupted():
            pid = real_fork()
            if pid:
                print(pid, flush=True)
                os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, delivered here unless it is held back
            return pid
        os.fork = fork_then_interrupted
        try:
            workers.load_isolated([Path({str(module)!r})], timeout=60)
        except KeyboardInterrupt:
            sys.exit(130)
        """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    worker = int(result.stdout.split()[0])
    alive = Path(f"/proc/{worker}").exists()
    if alive:
        os.kill(worker, signal.SIGKILL)
    assert result.returncode == 130, result.stderr
    assert not alive, "the worker forked just before Ctrl-C was left running"
