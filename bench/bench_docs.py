"""The MkDocs plugin's cost: a Material site showing the 20 catalog flows, built with and without the plugin.

Without the plugin the pictures are copied into docs/ and linked by hand (what teams do today); with it, each
page embeds its flow with a ```diagram-dsl block and the committed outputs are current, so the plugin validates
the flows and reuses the pictures. The difference is what the plugin adds to a build (target: at most 1 s).
A third build, with no committed outputs at all, shows what drawing every picture costs.
Each figure is the best of several fresh `mkdocs build --strict` processes on a scratch copy of the project: wall
time (what a reader waits for; the plugin validates in a second process, on the second core) and CPU time of
the build and its children (what it costs the machine; steadier when other work shares it).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = "generated-diagrams/sequence-diagram-solutions"


def _site(project: Path, name: str, plugin: bool) -> Path:
    site = project / name
    docs = site / "docs"
    docs.mkdir(parents=True)
    stems = sorted((p.stem for p in (project / OUTPUTS).glob("*.svg") if p.stem.count(".") == 0),
                   key=lambda stem: int(stem.split("-", 1)[0]))
    index = ["# Flows", ""]
    for stem in stems:
        number, title = stem.split("-", 1)
        index.append(f"- [{title}]({stem}.md)")
        if plugin:
            body = f"```diagram-dsl\nflow: {number}\n```\n"
        else:
            shutil.copy(project / OUTPUTS / f"{stem}.svg", docs / f"{stem}.svg")
            body = f"![{title}]({stem}.svg)\n"
        (docs / f"{stem}.md").write_text(f"# {number}. {title}\n\n{body}", encoding="utf-8")
    (docs / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    plugins = "\n  - diagram-dsl:\n      root: ..\n" if plugin else "\n"
    (site / "mkdocs.yml").write_text(f"site_name: Flows\ntheme:\n  name: material\nplugins:\n  - search{plugins}",
                                     encoding="utf-8")
    return site


def _timed(site: Path, repeat: int) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system, the build and its children) of ``repeat`` builds."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    wall = cpu = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=site, env=env, check=True,
                       capture_output=True)
        wall = min(wall, time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall, cpu


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "project"
        shutil.copytree(ROOT / "sources", project / "sources")
        shutil.copytree(ROOT / "generated-diagrams", project / "generated-diagrams")
        shutil.copy(ROOT / "sequence-diagram-solutions.md", project)
        shutil.copy(ROOT / "pyproject.toml", project)
        flows = len(list((project / "sources").glob("[0-9]*.py")))
        plain = _site(project, "plain", plugin=False)
        with_plugin = _site(project, "plugin", plugin=True)
        subprocess.run([sys.executable, "-m", "diagram_dsl", "build"], cwd=project, check=True, capture_output=True)
        rounds = [(_timed(plain, 1), _timed(with_plugin, 1)) for _ in range(5)]  # interleaved: a busy moment on
        without = min(r[0][0] for r in rounds), min(r[0][1] for r in rounds)  # the machine hits both sides
        current = min(r[1][0] for r in rounds), min(r[1][1] for r in rounds)
        shutil.rmtree(project / "generated-diagrams")
        cold = _timed(with_plugin, 3)
    print(f"| MkDocs (Material) site showing the {flows} catalog flows, fresh `mkdocs build --strict` | wall s | "
          "CPU s |")
    print("|---|---|---|")
    print(f"| pictures copied into docs/ by hand, no plugin | {without[0]:.2f} | {without[1]:.2f} |")
    print(f"| the diagram-dsl plugin, committed outputs current | {current[0]:.2f} | {current[1]:.2f} |")
    print(f"| **added by the plugin** (validates {flows} flows beside the build, reuses the pictures; target ≤ 1 s) "
          f"| **{current[0] - without[0]:+.2f}** | {current[1] - without[1]:+.2f} |")
    print(f"| the plugin with no committed outputs (draws {flows} SVGs) | {cold[0]:.2f} | {cold[1]:.2f} |")


if __name__ == "__main__":
    main()
