"""The system Chromium (Debian's ``chromium`` package): found, or installed with apt — never a browser download.

Used by the Mermaid renderer (through mermaid-cli) and by the tests and tools that open pages in a real
browser (Playwright's Python package drives it with ``executable_path``).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from diagram_dsl.toolchain.results import ToolError

CHROMIUM_ENV = "DIAGRAM_DSL_CHROMIUM"
# The real binary first: Debian's /usr/bin/chromium is a shell wrapper that adds flags from /etc/chromium.d.
_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser")
# Flags for a headless Chromium on a machine with a closed network and no GPU (and as root, no sandbox).
HEADLESS_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage")


def chromium_executable() -> Path | None:
    override = os.environ.get(CHROMIUM_ENV)
    if override:
        return Path(override) if Path(override).is_file() else None
    for candidate in _CANDIDATES:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return Path(found) if found else None


@functools.cache
def chromium_version(executable: Path) -> str:
    try:
        done = subprocess.run([str(executable), "--version"], capture_output=True, text=True, timeout=30,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    words = done.stdout.split()
    return next((word for word in words if word[:1].isdigit()), "?")


def _run_apt(arguments: list[str]) -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    done = subprocess.run(["apt-get", *arguments], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise ToolError(f"`apt-get {' '.join(arguments)}` failed: {tail}")


def install_chromium() -> Path:
    """The system Chromium, installed with apt when missing (needs root; never a browser download)."""
    found = chromium_executable()
    if found is not None:
        return found
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise ToolError("Chromium is missing: install Debian's package as root: `apt-get install -y chromium`")
    print("installing Chromium from apt (apt-get install -y chromium) ...", flush=True)
    _run_apt(["update", "-qq"])
    _run_apt(["install", "-y", "-q", "chromium"])
    found = chromium_executable()
    if found is None:
        raise ToolError("apt-get installed chromium but no executable was found in /usr/lib/chromium or PATH")
    return found
