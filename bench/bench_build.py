"""Whole-command timings on the catalog: a no-op `make diagrams`, `check`, and cold --force builds with 1 and 2 jobs.

Each figure is the wall time of a fresh process (what a user waits for), best of a few runs, measured
on a scratch copy of the project so the committed outputs are never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "diagram_dsl"]


def _wall(command: list[str], cwd: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "project"
        shutil.copytree(ROOT / "sources", project / "sources")
        shutil.copytree(ROOT / "generated-diagrams", project / "generated-diagrams")
        shutil.copy(ROOT / "sequence-diagram-solutions.md", project)
        flows = len(list((project / "sources").glob("[0-9]*.py")))
        subprocess.run([*CLI, "build"], cwd=project, check=True, capture_output=True)
        noop = _wall([*CLI, "build"], project, 5)
        make_noop = _wall(["make", "-s", "-C", str(ROOT), "diagrams"], ROOT, 5)
        check = _wall([*CLI, "check"], project, 5)
        make_check = _wall(["make", "-s", "-C", str(ROOT), "check"], ROOT, 5)
        one = _wall([*CLI, "build", "--force", "--jobs", "1"], project, 3)
        two = _wall([*CLI, "build", "--force", "--jobs", "2"], project, 3)
    print(f"| build ({flows} catalog flows, fresh process, best wall time) | seconds |")
    print("|---|---|")
    print(f"| no-op `diagram-dsl build` (nothing changed) | {noop:.3f} |")
    print(f"| no-op `make diagrams` in the repository | {make_noop:.3f} |")
    print(f"| `diagram-dsl check` of the catalog (each flow loaded in its own worker) | {check:.3f} |")
    print(f"| `make check` in the repository (catalog + every Markdown file) | {make_check:.3f} |")
    print(f"| cold `build --force --jobs 1` (PNG+SVG+PUML+MMD, catalog page) | {one:.2f} |")
    print(f"| cold `build --force --jobs 2` | {two:.2f} |")
    print(f"| speed-up jobs 2 vs 1 | {one / two:.2f}x |")


if __name__ == "__main__":
    main()
