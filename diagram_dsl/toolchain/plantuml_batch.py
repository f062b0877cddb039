"""Many diagrams through one sandboxed PlantUML JVM, where one diagram cannot take the others down.

PlantUML's ``-pipe`` mode answers each diagram in turn. The caller puts a marker after every diagram
(and one before the first) whose answer carries a random token, so the end of each answer is known
for certain — a diagram cannot print the token, so it cannot fake the end of its answer — and so is
the diagram the JVM was working on when it stopped.

A diagram that crashes the JVM (runaway ``!function`` recursion ends in a StackOverflowError) or
never finishes (exponential recursion) stops the batch at that diagram: the answers before it
stand, it gets a verdict of its own, and a new JVM goes on with the diagrams after it. What the JVM
printed on stderr is never passed on as is: a crash is named by its exception, never by its stack trace.
"""

from __future__ import annotations

import contextlib
import queue
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from diagram_dsl.toolchain.locate import java_command
from diagram_dsl.toolchain.results import JAVA_THROWABLE, ToolError, one_line_complaint
from diagram_dsl.toolchain.sandbox import sandbox_environment

DIAGRAM_TIMEOUT = 30.0  # seconds one diagram may take
START_TIMEOUT = 60.0  # for the JVM to start and answer the first marker on a busy machine
_EOF = object()


@dataclass(frozen=True)
class Run:
    """What one JVM printed, and how many markers it answered; ``stopped`` says why it ended early."""

    output: str
    markers: int
    stopped: str | None  # "crashed on it (java.lang.StackOverflowError)" / "did not finish it within 30 s"


def _pump(stream: IO[bytes], lines: queue.Queue[object]) -> None:
    for raw in iter(stream.readline, b""):
        lines.put(raw)
    lines.put(_EOF)


def _feed(stream: IO[bytes], payload: bytes) -> None:
    with contextlib.suppress(OSError):  # the JVM died before reading everything: its exit status says why
        stream.write(payload)
    with contextlib.suppress(OSError):
        stream.close()


def _drain(stream: IO[bytes], sink: list[bytes]) -> None:
    sink.append(stream.read())


def run_jvm(arguments: list[str], texts: list[str], is_marker: Callable[[str], int], expected: int, *,
            diagram_timeout: float = DIAGRAM_TIMEOUT) -> Run:
    """One PlantUML JVM over ``texts`` (diagrams and markers); ``is_marker(line)`` counts markers in a line.

    Waits at most ``diagram_timeout`` between two markers (``START_TIMEOUT`` for the first) and stops
    the JVM when it takes longer. Raises :class:`ToolError` when the JVM fails without a Java exception
    (no Java, a broken jar) or answers more markers than ``expected``.
    """
    payload = "".join(text if text.endswith("\n") else text + "\n" for text in texts).encode("utf-8")
    process = subprocess.Popen([*java_command(), *arguments], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=sandbox_environment())
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    lines: queue.Queue[object] = queue.Queue()
    errors: list[bytes] = []
    threads = [threading.Thread(target=_feed, args=(process.stdin, payload), daemon=True),
               threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True),
               threading.Thread(target=_drain, args=(process.stderr, errors), daemon=True)]
    for thread in threads:
        thread.start()
    output: list[str] = []
    markers = 0
    deadline = time.monotonic() + START_TIMEOUT
    timed_out = False
    try:
        while True:
            try:
                raw = lines.get(timeout=max(deadline - time.monotonic(), 0.0))
            except queue.Empty:
                timed_out = True
                break
            if raw is _EOF or not isinstance(raw, bytes):
                break
            line = raw.decode("utf-8", "replace")
            output.append(line)
            seen = is_marker(line)
            if seen:
                markers += seen
                deadline = time.monotonic() + diagram_timeout
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        for thread in threads:
            thread.join(timeout=10)
        process.stdout.close()
        process.stderr.close()
    stderr = b"".join(errors).decode("utf-8", "replace")
    if markers > expected:
        raise ToolError(f"PlantUML answered {markers} markers for {expected}")
    if markers == expected:  # every diagram answered; exit status 200 only says some had errors
        return Run("".join(output), markers, None)
    if timed_out:
        waited = START_TIMEOUT if markers == 0 else diagram_timeout
        return Run("".join(output), markers, f"did not finish it within {waited:.0f} s")
    if process.returncode < 0:
        return Run("".join(output), markers, f"crashed on it (killed by signal {-process.returncode})")
    if JAVA_THROWABLE.search(stderr) is not None:
        return Run("".join(output), markers, f"crashed on it ({one_line_complaint(stderr)})")
    raise ToolError(f"PlantUML exited with {process.returncode} after {markers} of {expected} markers: "
                    f"{one_line_complaint(stderr)}")
