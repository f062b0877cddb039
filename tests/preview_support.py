"""The real `diagram-dsl serve` / `watch` in a scratch project, for the preview tests and the benchmark.

``running(...)`` starts the command, waits for its first line, and on exit stops it with SIGINT (as
Ctrl-C does) and checks that it and everything it started are gone.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 90.0  # the first load of every flow, on a busy 2-core machine
STOP_TIMEOUT = 15.0


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rfind(")") + 2] != "Z"


@dataclass
class Running:
    process: subprocess.Popen[str]
    lines: queue.Queue[str]
    seen: list[str] = field(default_factory=list)
    url: str = ""

    def wait_for_line(self, pattern: str, timeout: float = 30.0) -> str:
        """The next line matching ``pattern`` (lines read on the way are kept in ``seen``)."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if regex.search(line):
                return line
        seen = "\n".join(self.seen)
        raise AssertionError(f"no line matching {pattern!r} within {timeout} s; output so far:\n{seen}")

    def stop(self) -> int:
        """Ctrl-C, as a terminal sends it to the process; returns the exit status."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(STOP_TIMEOUT)


def _pump(stream: object, lines: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line.rstrip("\n"))


@contextlib.contextmanager
def running(arguments: list[str], cwd: Path, first_line: str) -> Iterator[Running]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "diagram_dsl", *arguments], cwd=cwd, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True)
    reader.start()
    handle = Running(process, lines)
    try:
        line = handle.wait_for_line(first_line, START_TIMEOUT)
        match = re.search(r"http://\S+?/", line)
        handle.url = match.group(0) if match else ""
        yield handle
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                for pid in descendants(process.pid):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                process.kill()
                process.wait()
        reader.join(5)
        if process.stdout is not None:
            process.stdout.close()


def write_project(root: Path, flows: dict[str, str]) -> Path:
    """A scratch project: ``sources/<name>`` for each flow text."""
    sources = root / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    for name, text in flows.items():
        (sources / name).write_text(text, encoding="utf-8")
    return root


def save(path: Path, text: str) -> None:
    """Save as an editor does: write a temporary file beside it, then rename it over the original."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)
