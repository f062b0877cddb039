"""Where the Mermaid renderer's pieces live, and how to install the missing ones.

* ``tools/mermaid-cli/``: its own npm project (package.json + package-lock.json) pinning
  ``@mermaid-js/mermaid-cli``, ``mermaid`` and ``puppeteer``; ``npm ci`` with PUPPETEER_SKIP_DOWNLOAD=1
  installs ``node_modules`` there — never a browser download.
* Chromium: the system one (``diagram_dsl.toolchain.chromium``); ``$DIAGRAM_DSL_CHROMIUM`` overrides it.
* Node: the toolchain's :func:`~diagram_dsl.toolchain.node_executable` (mermaid-cli 12 needs Node 22.13+).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

from diagram_dsl.renderers.base import RenderError
from diagram_dsl.toolchain import ToolError, node_executable, npm_command, tools_dir
from diagram_dsl.toolchain.chromium import chromium_executable, chromium_version, install_chromium

INSTALL_COMMAND = "make tools-mermaid-cli"
ALTERNATIVE = "or use --renderer native, or set MERMAID_INK_SERVER to a mermaid.ink-compatible server"
_STAMP = ".diagram-dsl-installed"


def project_dir() -> Path:
    return tools_dir() / "mermaid-cli"


def batch_script() -> Path:
    return project_dir() / "render-batch.mjs"


def _lock_digest() -> str:
    return hashlib.sha256((project_dir() / "package-lock.json").read_bytes()).hexdigest()


def npm_installed() -> bool:
    stamp = project_dir() / "node_modules" / _STAMP
    return stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == _lock_digest()


def _missing(what: str) -> RenderError:
    return RenderError(f"Mermaid cannot render: {what}; run `{INSTALL_COMMAND}`, {ALTERNATIVE}")


def require_ready() -> tuple[Path, Path]:
    """``(node, chromium)`` when everything is installed, else one actionable RenderError."""
    chromium = chromium_executable()
    if chromium is None:
        raise _missing("Chromium is not installed (it comes from apt: `apt-get install -y chromium`)")
    if not npm_installed():
        raise _missing(f"mermaid-cli is not installed in {project_dir() / 'node_modules'} or is stale")
    try:
        node = node_executable()
    except ToolError as error:
        raise _missing(str(error)) from None
    return node, chromium


def _package_version(package: str) -> str:
    manifest = project_dir() / "node_modules" / package / "package.json"
    try:
        return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "?"


def describe_versions() -> str:
    """``mermaid-cli 12.2.0 (mermaid 12.3.0, chromium 156.0.8078.79, script 1a2b3c4d)`` — what shapes the output."""
    if not npm_installed():
        return "mermaid-cli (not installed)"
    chromium = chromium_executable()
    browser = chromium_version(chromium) if chromium else "missing"
    script = hashlib.sha256(batch_script().read_bytes()).hexdigest()[:8]
    return (f"mermaid-cli {_package_version('@mermaid-js/mermaid-cli')} (mermaid {_package_version('mermaid')}, "
            f"chromium {browser}, script {script})")


def install_mermaid_cli(*, force: bool = False) -> None:
    """``npm ci`` in tools/mermaid-cli with PUPPETEER_SKIP_DOWNLOAD=1, unless already current."""
    if npm_installed() and not force:
        return
    folder = project_dir()
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1", PUPPETEER_SKIP_CHROME_HEADLESS_SHELL_DOWNLOAD="1")
    env["PATH"] = os.pathsep.join([str(node_executable().parent), env.get("PATH", "")])
    command = [*npm_command(), "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-5:])
        raise ToolError(f"`npm ci` in {folder} failed: {tail}")
    (folder / "node_modules" / _STAMP).write_text(_lock_digest() + "\n", encoding="utf-8")


def install() -> None:
    """Everything the Mermaid renderer needs: Chromium from apt, mermaid-cli from the lock file."""
    install_chromium()
    install_mermaid_cli()
