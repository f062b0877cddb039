"""Session fixtures for the real tools (PlantUML jar + Java, Mermaid + Node, Chromium through Playwright).

With ``CI=true`` a missing tool is installed (``npm ci`` from tools/package-lock.json) or the test
FAILS; elsewhere a test that needs it is skipped with the reason and the command that fixes it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from diagram_dsl import toolchain

if TYPE_CHECKING:
    from playwright.sync_api import Browser


_TOOL_FIXTURES = frozenset({"plantuml", "mermaid", "chromium_browser"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for a real tool's fixture is a `tools` test, so `make test-fast` can leave it out."""
    for item in items:
        if _TOOL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.tools)


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


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    """Real headless Chromium (Debian's package) driven by Playwright's Python package — never its own download.

    Shared by every test that looks at a page: the preview server, docs sites, SVG screenshots.
    """
    from diagram_dsl.toolchain.chromium import HEADLESS_ARGS, chromium_executable, install_chromium

    executable = chromium_executable()
    if executable is None:
        try:
            executable = install_chromium() if _in_ci() else None
        except toolchain.ToolError as error:
            pytest.fail(f"CI=true but Chromium could not be installed: {error}")
        if executable is None:
            pytest.skip("Chromium is missing (`make tools-mermaid-cli` installs it with apt)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if _in_ci():
            pytest.fail("CI=true but Playwright's Python package is missing (it is in the dev extra)")
        pytest.skip("Playwright's Python package is missing (`make venv`)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=list(HEADLESS_ARGS))
        try:
            yield browser
        finally:
            browser.close()
