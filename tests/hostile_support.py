"""Shared pieces of the ``test_hostile_*`` family: small projects, the CLI in-process and as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner, Result

from diagram_dsl.cli import main

OUT = "generated-diagrams/sequence-diagram-solutions"
MANIFEST = "generated-diagrams/.manifest.json"
PAGE = "sequence-diagram-solutions.md"
TEMP_SUFFIX = ".diagram-dsl.tmp"  # how a temp file of an interrupted write ends (diagram_dsl.fsutil.TEMP_SUFFIX)

GOOD = '''\
from diagram_dsl import Flow, Scores
flow = Flow(number={n}, title={title!r}, description="d", scores=Scores(5, 5, "High"),
            when_to_use=["w"], important_points=["p"])
user, app = flow.actor("User"), flow.participant("App")
with user.call(app, {label!r}) as request:
    request.reply("200")
'''

HEADER = '''\
from diagram_dsl import Flow, Scores
flow = Flow(number={n}, title={title!r}, description="d", scores=Scores(5, 5, "High"),
            when_to_use=["w"], important_points=["p"])
user, app = flow.actor("User"), flow.participant("App")
with user.call(app, "GET /") as request:
    request.reply("200")
'''


def write_source(root: Path, name: str, text: str) -> Path:
    path = root / "sources" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def good_flow(root: Path, n: int, title: str, label: str = "GET /") -> Path:
    return write_source(root, f"{n:02d}_flow.py", GOOD.format(n=n, title=title, label=label))


def flow_then(root: Path, n: int, title: str, tail: str) -> Path:
    """A valid flow module followed by ``tail`` (dedented), which runs after the flow is defined."""
    return write_source(root, f"{n:02d}_flow.py", HEADER.format(n=n, title=title) + textwrap.dedent(tail))


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def cli(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), *args])


def run_cli(root: Path, *args: str, timeout: float = 120, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The CLI as a real process (what CI runs), with its own session so nothing it starts can outlive a kill."""
    return subprocess.run([sys.executable, "-m", "diagram_dsl", "--root", str(root), *args], capture_output=True,
                          text=True, timeout=timeout, check=False, start_new_session=True, cwd=root,
                          **kwargs)  # type: ignore[call-overload]


def outputs(root: Path) -> list[str]:
    folder = root / OUT
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def processes_with(marker: str) -> list[int]:
    """Pids of live (non-zombie) processes whose command line contains ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in command and state != "Z":
            found.append(int(entry.name))
    return found
