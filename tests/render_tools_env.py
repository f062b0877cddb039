"""Shared by tests/test_render_tools_*.py: the real tools present (CI installs them), and process checks."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from PIL import Image

from diagram_dsl.catalog import LoadedFlow, load_catalog
from diagram_dsl.renderers.base import Rendered
from diagram_dsl.renderers.mermaid import locate as mermaid_locate
from diagram_dsl.toolchain import ToolError, install_tools, java_executable, plantuml_jar, tools_installed
from diagram_dsl.toolchain.chromium import chromium_executable

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "") == "true"
TOKEN_ENV = "DIAGRAM_DSL_TEST_TOKEN"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(f"{reason} (run the make target, or CI=true installs it)")


def require_plantuml() -> None:
    try:
        if not tools_installed() and IN_CI:
            install_tools()
        java_executable()
        plantuml_jar()
    except ToolError as error:
        _unavailable(f"PlantUML is not available: {error}")


def require_mermaid_cli() -> None:
    try:
        if IN_CI:
            mermaid_locate.install()
    except ToolError as error:
        pytest.fail(f"CI=true but installing the Mermaid renderer failed: {error}")
    if chromium_executable() is None or not mermaid_locate.npm_installed():
        _unavailable("Chromium or the npm tools (mermaid-cli) are missing (`make tools-mermaid-cli`)")


def catalog_flows(numbers: tuple[int, ...]) -> list[LoadedFlow]:
    flows = {flow.metadata.number: flow for flow in load_catalog(ROOT).flows}
    return [flows[number] for number in numbers]


def svg_texts(svg: bytes) -> str:
    """Every text run of an SVG joined with spaces, entities decoded: what a reader can read."""
    runs = re.findall(rb"<text[^>]*>(.*?)</text>", svg, re.DOTALL)
    plain = [re.sub(rb"<[^>]+>", b"", run).decode("utf-8") for run in runs]
    return " ".join(unescape(text) for text in plain).replace("\u00a0", " ")


def image_facts(png: bytes) -> tuple[int, int, float]:
    """``(width, height, ink)``: ink is the share of pixels clearly darker than the background."""
    with Image.open(io.BytesIO(png)) as image:
        gray = image.convert("L")
        histogram = gray.histogram()
        dark = sum(histogram[:160])
        return gray.width, gray.height, dark / (gray.width * gray.height)


def processes_with_token(token: str) -> list[str]:
    """``pid command`` of live processes whose environment carries ``TOKEN_ENV=token`` (zombies excluded)."""
    needle = f"{TOKEN_ENV}={token}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes():
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if state != "Z":
            found.append(f"{entry.name} {command}")
    return found


# Run by the process-hygiene tests in a child Python: "build" runs a real build of the copied
# catalog, printing a line per flow; "crash" renders one flow, then fails inside the session.
_CHILD = """
import sys
from pathlib import Path
from diagram_dsl.build import run_build
from diagram_dsl.catalog import load_catalog
from diagram_dsl.renderers.base import RenderOptions, get_renderer

renderer, mode, root = sys.argv[1], sys.argv[2], Path(sys.argv[3])
if mode == "build":
    def progress(line: str, done: int, total: int) -> None:
        print(f"[{done}/{total}] {line}" if total else line, flush=True)

    report = run_build(root, renderer_name=renderer, force=True, progress=progress)
    print(report.summary(), flush=True)
    sys.exit(0 if report.ok else 1)
flow = load_catalog(root).flows[0]
with get_renderer(renderer).session(RenderOptions()) as session:
    session.render(flow.model)
    print("rendered one", flush=True)
    raise RuntimeError("a failure in the middle of the batch")
"""


def copy_catalog(target: Path, count: int = 20) -> Path:
    """A project root holding the first ``count`` catalog sources (and the shared ``_*.py`` helpers)."""
    sources = target / "sources"
    sources.mkdir(parents=True)
    flows = sorted(p for p in (ROOT / "sources").glob("*.py") if not p.name.startswith("_"))
    helpers = sorted((ROOT / "sources").glob("_*.py"))
    for path in [*helpers, *flows[:count]]:
        (sources / path.name).write_bytes(path.read_bytes())
    return target


def start_child(renderer: str, mode: str, root: Path, token: str) -> subprocess.Popen[str]:
    env = dict(os.environ, **{TOKEN_ENV: token})
    env.pop("PLANTUML_SERVER", None)
    env.pop("MERMAID_INK_SERVER", None)
    return subprocess.Popen([sys.executable, "-c", _CHILD, renderer, mode, str(root)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def leftovers(token: str, settle: float = 10.0) -> list[str]:
    """Processes still carrying ``token`` after waiting up to ``settle`` s for killed ones to be reaped."""
    deadline = time.monotonic() + settle
    while True:
        found = processes_with_token(token)
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def reap(child: subprocess.Popen[str]) -> None:
    """Make sure a test's child Python is gone and its pipes are closed, whatever the test asserted."""
    if child.poll() is None:
        child.kill()
    child.communicate(timeout=60)


def child_commands() -> list[str]:
    """Command lines of this test process's direct children (other test runs on the machine do not count)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, ValueError, IndexError):
            continue
        if parent == os.getpid():
            found.append(command)
    return found


def killed_mid_batch(renderer: str, root: Path, token: str, signum: int) -> tuple[list[str], int]:
    """Start a build, wait for its first flow, send ``signum``; the processes it left behind, and its pid."""
    child = start_child(renderer, "build", root, token)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        while line and "built" not in line:
            line = child.stdout.readline()
        assert "[1/" in line, line
        assert len(processes_with_token(token)) >= 2  # the tool really was running
        child.send_signal(signum)
        child.wait(timeout=120)
    finally:
        reap(child)
    return leftovers(token), child.pid


def scratch_dirs_of(kind: str, pid: int) -> list[Path]:
    return sorted(Path(tempfile.gettempdir()).glob(f"diagram-dsl-{kind}-{pid}-*"))


def assert_no_tools_outlive_a_build_a_crash_or_ctrl_c(renderer: str, tmp_path: Path, count: int,
                                                      live: Callable[[list[str]], bool]) -> None:
    """The three ways a batch ends — done, a failure in the middle, Ctrl-C — each leave no tool process.

    ``live`` must recognise the renderer's tools among the running processes, so the Ctrl-C case
    proves the check would have seen them.
    """
    token = uuid.uuid4().hex
    done = start_child(renderer, "build", copy_catalog(tmp_path / "ok", count=count), token)
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err[-2000:]
    assert f"built {count}" in out
    assert leftovers(token) == []

    crash = start_child(renderer, "crash", copy_catalog(tmp_path / "crash", count=1), token)
    out, err = crash.communicate(timeout=300)
    assert crash.returncode == 1 and "rendered one" in out and "a failure in the middle" in err
    assert leftovers(token) == []

    interrupted = start_child(renderer, "build", copy_catalog(tmp_path / "int"), token)
    try:
        assert interrupted.stdout is not None
        line = interrupted.stdout.readline()
        while line and "built" not in line:
            line = interrupted.stdout.readline()
        assert "[1/20] built" in line
        running = processes_with_token(token)
        assert live(running), running
        interrupted.send_signal(signal.SIGINT)
        _out, err = interrupted.communicate(timeout=120)
    finally:
        reap(interrupted)
    assert interrupted.returncode != 0 and "KeyboardInterrupt" in err
    assert leftovers(token) == []


def assert_a_killed_build_takes_its_tools_with_it(renderer: str, tmp_path: Path) -> None:
    """SIGKILL runs no cleanup of ours: the tools die with their parent (PR_SET_PDEATHSIG, end of stdin)."""
    from diagram_dsl.renderers.base import RenderOptions, get_renderer

    token = uuid.uuid4().hex
    left, pid = killed_mid_batch(renderer, copy_catalog(tmp_path / "killed"), token, signal.SIGKILL)
    assert left == []
    assert scratch_dirs_of(renderer, pid)  # a killed build cannot clean its temp folder...
    with get_renderer(renderer).session(RenderOptions()):
        pass
    assert scratch_dirs_of(renderer, pid) == []  # ...so the next session does


def render_catalog_flows(renderer: str, numbers: tuple[int, ...], theme: str = "light"
                         ) -> list[tuple[LoadedFlow, Rendered]]:
    """The given catalog flows through one session of ``renderer``: the batch the build would run."""
    from diagram_dsl.renderers.base import RenderOptions, get_renderer

    flows = catalog_flows(numbers)
    with get_renderer(renderer).session(RenderOptions(theme=theme)) as session:
        return [(flow, session.render(flow.model)) for flow in flows]
