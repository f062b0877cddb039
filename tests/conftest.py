"""Session fixtures for the real tools (PlantUML jar + Java, Mermaid + Node).

With ``CI=true`` a missing tool is installed (``npm ci`` from tools/package-lock.json) or the test
FAILS; elsewhere a test that needs it is skipped with the reason and the command that fixes it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from diagram_dsl import toolchain


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _tool(find: Callable[[], Path]) -> Path:
    try:
        if _in_ci():
            toolchain.install_tools()
        return find()
    except toolchain.ToolError as error:
        if _in_ci():
            pytest.fail(f"real tool unavailable in CI: {error}")
        pytest.skip(f"real tool unavailable ({error}); run `make tools`")


@pytest.fixture(scope="session")
def plantuml() -> Path:
    """The pinned PlantUML jar, with a Java runtime found: tests may call the toolchain's PlantUML checks."""
    _tool(toolchain.java_executable)
    return _tool(toolchain.plantuml_jar)


@pytest.fixture(scope="session")
def mermaid() -> Path:
    """The Mermaid checker script, with a Node found: tests may call the toolchain's Mermaid checks."""
    _tool(toolchain.node_executable)
    return _tool(toolchain.mermaid_script)
