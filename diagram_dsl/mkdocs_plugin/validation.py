"""The flows' validation for one MkDocs build, run as ``diagram-dsl check <sources> --format json`` in a child
process while MkDocs renders the pages, and read back before the build ends.

The validator is the slowest part of the plugin to start (networkx alone takes longer to import than the
rest), and nothing on a page depends on its verdict, so it runs beside the build rather than before it. Its
findings are logged in ``on_post_build``, which MkDocs runs before it counts warnings, so ``--strict`` still
fails on them. The child is always stopped: when its answer is read, when the build fails, when MkDocs exits.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from diagram_dsl.project import Project

TIMEOUT = 600.0  # seconds; the check itself stops a flow module that hangs after the project's load-timeout


@dataclass(frozen=True)
class Reported:
    severity: str  # error | warning | info
    line: str  # "file:line: severity CODE message", as `diagram-dsl check` prints it


class BackgroundCheck:
    def __init__(self, project: Project) -> None:
        command = [sys.executable, "-m", "diagram_dsl", "--root", str(project.root), "check",
                   str(project.sources_dir), "--format", "json"]
        self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
            command, cwd=project.root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def results(self, timeout: float = TIMEOUT) -> tuple[list[Reported], str | None]:
        """The findings, and a problem when the check itself could not run."""
        process = self.process
        if process is None:
            return [], "the flows were not checked (the check was stopped)"
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            return [], f"checking the flows took longer than {timeout:.0f} s and was stopped"
        finally:
            self.process = None
        if process.returncode not in (0, 1):
            last = err.decode("utf-8", "replace").strip().splitlines()
            return [], f"checking the flows failed: {last[-1] if last else f'exit code {process.returncode}'}"
        try:
            findings: list[dict[str, Any]] = json.loads(out.decode("utf-8"))
        except ValueError:
            return [], "checking the flows gave no readable answer"
        return [Reported(str(f["severity"]), f"{f['file']}:{f['line']}: {f['severity']} {f['code']} {f['message']}")
                for f in findings], None

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.kill()
        if process is not None:
            process.communicate()
