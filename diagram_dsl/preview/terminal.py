"""``diagram-dsl watch``: the preview's loop in a terminal — on every save, the findings, then an incremental build.

It loads flows the way the browser preview does (in the loader process, never in this one), prints
each changed flow's findings compiler style (``file:line: error SEQ110 ...; fix: ...``) or the reason
it does not load, and then runs ``diagram-dsl build`` so the committed outputs follow.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path

from diagram_dsl.preview.loader import FlowLoader
from diagram_dsl.preview.targets import Targets
from diagram_dsl.preview.workspace import Entry, Workspace
from diagram_dsl.validate.findings import Severity

Echo = Callable[[str], None]


def describe(entry: Entry) -> list[str]:
    """The lines one flow's state prints: its findings, or why it does not load, then a one-line summary."""
    snapshot = entry.snapshot
    if snapshot is None:
        return [f"{entry.path.name}: deleted"]
    if snapshot.problem is not None:
        return [f"{snapshot.problem.location}: error SEQ000 {snapshot.problem.message}"
                + (f" ({snapshot.problem.hint})" if snapshot.problem.hint else ""),
                f"{snapshot.shown}: does not load"]
    lines = [str(finding) for finding in snapshot.findings if finding.severity is not Severity.INFO]
    errors, warnings = snapshot.count(Severity.ERROR), snapshot.count(Severity.WARNING)
    drawn = "" if snapshot.svg else f"; {snapshot.draw_error}" if snapshot.draw_error else ""
    lines.append(f"{snapshot.shown}: {errors} error(s), {warnings} warning(s), loaded in "
                 f"{snapshot.seconds * 1000:.0f} ms{drawn}")
    return lines


async def _build(root: Path, echo: Echo) -> None:
    """The incremental build, in its own process (flow modules never run in this one)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "diagram_dsl", "--root", str(root), "build",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        output, _ = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    for line in output.decode("utf-8", "replace").splitlines():
        if line.strip():
            echo(f"  build: {line}")


async def run_watch(targets: Targets, *, build: bool, echo: Echo) -> None:
    """Prints every flow once, then each change as it is saved, until cancelled (Ctrl-C)."""
    workspace = Workspace(FlowLoader(targets.root, timeout=targets.load_timeout), files=targets.files,
                          folder=targets.folder)
    try:
        await workspace.start()
        for entry in workspace.ordered():
            for line in describe(entry):
                echo(line)
        if build:
            await _build(targets.root, echo)

        async def report(touched: list[Entry]) -> None:
            echo(f"[{time.strftime('%H:%M:%S')}] {', '.join(sorted(e.path.name for e in touched))} changed")
            for entry in touched:
                for line in describe(entry):
                    echo(line)
            if build:
                await _build(targets.root, echo)

        watcher = await workspace.start_watching(report)
        where = targets.folder if targets.folder is not None else ", ".join(p.name for p in targets.files)
        echo(f"watching {len(workspace.entries)} flow(s) in {where} — save a file to recheck it; Ctrl-C stops")
        await watcher
    finally:
        workspace.closing.set()
        await workspace.stop()
