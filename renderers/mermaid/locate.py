"""Where the Mermaid renderer's pieces live, and how to install the missing ones.

* ``tools/``: the project's one npm project (package.json + package-lock.json) pins Mermaid once, with
  ``@mermaid-js/mermaid-cli`` and ``puppeteer`` beside it; :func:`~diagram_dsl.toolchain.install_tools`
  installs ``tools/node_modules`` with ``npm ci`` — never a browser download.
* Chromium: the system one (``diagram_dsl.toolchain.chromium``); ``$DIAGRAM_DSL_CHROMIUM`` overrides it.
* Node: the toolchain's :func:`~diagram_dsl.toolchain.node_executable` (mermaid-cli 12 needs Node 22.13+).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from diagram_dsl.renderers.base import RenderError
from diagram_dsl.toolchain import ToolError, install_tools, node_executable, tools_dir, tools_installed
from diagram_dsl.toolchain.chromium import chromium_executable, chromium_version, install_chromium

INSTALL_COMMAND = "make tools-mermaid-cli"
ALTERNATIVE = "or use --renderer native, or set MERMAID_INK_SERVER to a mermaid.ink-compatible server"
# The mermaid.ink-compatible server to use instead of the local browser (read by mermaid-py too).
SERVER_ENV = "MERMAID_INK_SERVER"


def batch_script() -> Path:
    return tools_dir() / "mermaid-render-batch.mjs"


def npm_installed() -> bool:
    """True when ``tools/node_modules`` (mermaid-cli among them) is installed from the current lock file."""
    return tools_installed()


def _missing(what: str) -> RenderError:
    return RenderError(f"Mermaid cannot render: {what}; run `{INSTALL_COMMAND}`, {ALTERNATIVE}")


def require_ready() -> tuple[Path, Path]:
    """``(node, chromium)`` when everything is installed, else one actionable RenderError."""
    chromium = chromium_executable()
    if chromium is None:
        raise _missing("Chromium is not installed (it comes from apt: `apt-get install -y chromium`)")
    if not npm_installed():
        raise _missing(f"mermaid-cli is not installed in {tools_dir() / 'node_modules'} or is stale")
    try:
        node = node_executable()
    except ToolError as error:
        raise _missing(str(error)) from None
    return node, chromium


def _package_version(package: str) -> str:
    manifest = tools_dir() / "node_modules" / package / "package.json"
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


def install() -> None:
    """Everything the Mermaid renderer needs: Chromium from apt, the npm tools from the lock file."""
    install_chromium()
    install_tools()
