"""Child processes of the tool renderers (Java, Node, Chromium) that never outlive the build.

Each tool is started in its own session, so a Ctrl-C in the terminal reaches only our Python
process, which then stops the tools in order. On Linux the child is also told to die with the
thread that started it (``PR_SET_PDEATHSIG``), which covers a build killed outright.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

_PR_SET_PDEATHSIG = 1


def _die_with_parent(signum: int) -> None:
    # Runs in the forked child before exec: only async-signal-safe work here.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)


def spawn(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
          stdin: int | IO[bytes] | None = subprocess.DEVNULL, stdout: int | IO[bytes] | None = subprocess.DEVNULL,
          stderr: int | IO[bytes] | None = subprocess.DEVNULL,
          death_signal: int = signal.SIGKILL) -> subprocess.Popen[bytes]:
    """Start ``command`` as the leader of a new process group that dies with the calling thread."""
    preexec = (lambda: _die_with_parent(death_signal)) if sys.platform.startswith("linux") else None
    return subprocess.Popen(command, cwd=cwd, env=env, stdin=stdin, stdout=stdout, stderr=stderr,
                            start_new_session=True, preexec_fn=preexec)


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def stop_group(process: subprocess.Popen[bytes], *, grace: float = 5.0) -> None:
    """SIGTERM the process group, wait ``grace`` seconds, then SIGKILL whatever is left of it.

    The final SIGKILL runs even when a second Ctrl-C interrupts the wait.
    """
    pgid = process.pid  # the leader of its own session: pgid == pid
    try:
        if process.poll() is None:
            _signal_group(pgid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=grace)
    finally:
        _signal_group(pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)


def processes_mentioning(marker: str) -> Iterator[int]:
    """Pids of live processes whose command line contains ``marker`` (Linux ``/proc``; nothing elsewhere)."""
    needle = marker.encode()
    proc = Path("/proc")
    if not proc.is_dir():
        return
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if needle in (entry / "cmdline").read_bytes():
                yield int(entry.name)


def kill_processes_mentioning(marker: str, *, settle: float = 2.0) -> list[int]:
    """SIGKILL every process whose command line holds ``marker`` (a unique temp path) and wait until gone."""
    killed = list(processes_mentioning(marker))
    for pid in killed:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + settle
    while killed and time.monotonic() < deadline and any(True for _ in processes_mentioning(marker)):
        time.sleep(0.05)
    return killed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def scratch_dir(kind: str) -> Iterator[Path]:
    """A private temp folder for one session, removed afterwards.

    Its name carries our pid, so the next session removes the folders of builds that were killed
    outright (SIGKILL runs no cleanup of ours).
    """
    base = Path(tempfile.gettempdir())
    for stale in base.glob(f"diagram-dsl-{kind}-*-*"):
        owner = stale.name.split("-")[3]
        if owner.isdigit() and not _alive(int(owner)):
            shutil.rmtree(stale, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"diagram-dsl-{kind}-{os.getpid()}-", dir=base))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
