"""Fixture projects and docs sites for the MkDocs plugin and Sphinx extension tests, built with the real tools.

The projects hold real catalog flows copied from sources/ (and, when a test asks, a broken one) and NO committed
outputs unless a test builds them: a docs build must work from the sources alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parents[1]
FLOW_FILES = ("01_simple_login_sequence.py", "04_e_commerce_checkout.py", "12_oauth_authorization.py")

BROKEN_FLOW = '''\
from diagram_dsl import Flow, Scores

flow = Flow(
    number=7,
    title="Broken Flow",
    description="A request that is never answered.",
    scores=Scores(solution_quality=5, implementation_difficulty=3, performance_level="High"),
    when_to_use=["Never"],
    important_points=["Answer every request"],
)
user, api = flow.actor("User"), flow.service("API")
user.call(api, "GET /orders")
'''
BROKEN_FLOW_LINE = 12  # the call that is never answered (SEQ110)


def fixture_project(root: Path, flows: tuple[str, ...] = FLOW_FILES, settings: str = "") -> Path:
    (root / "sources").mkdir(parents=True)
    for name in flows:
        shutil.copy(REPO / "sources" / name, root / "sources" / name)
    pyproject = f'[project]\nname = "fixture"\nversion = "0"\n\n[tool.diagram-dsl]\n{settings}'
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _tool_env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's end-of-life banner: noise in test output, not a warning
    env.pop("DIAGRAM_DSL_DEBUG", None)
    return env


def mkdocs_build(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real ``mkdocs build --strict`` in ``site`` (the folder holding mkdocs.yml)."""
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", *args], cwd=site, env=_tool_env(),
                          capture_output=True, text=True, timeout=300, check=False)


def sphinx_build(source: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real ``sphinx-build -W`` (warnings are errors)."""
    return subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", *args, str(source), str(out)],
                          env=_tool_env(), capture_output=True, text=True, timeout=300, check=False)


def shown_images(browser: Browser, page_file: Path, selector: str) -> list[dict[str, Any]]:
    """Every image matching ``selector`` on the page as real Chromium lays it out, each scrolled into view first
    (diagrams load lazily): its source, alt text, natural and rendered size, and whether it is visible."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        found = []
        images = page.locator(selector)
        for index in range(images.count()):
            image = images.nth(index)
            image.scroll_into_view_if_needed()
            image.evaluate("i => i.complete && i.naturalWidth > 0 ? true : "
                           "new Promise(done => { i.onload = done; i.onerror = done; })")
            box = image.bounding_box()
            found.append({
                "src": image.evaluate("i => i.currentSrc"),
                "alt": image.get_attribute("alt"),
                "natural": image.evaluate("i => [i.naturalWidth, i.naturalHeight]"),
                "box": (box["width"], box["height"]) if box else (0, 0),
                "visible": image.is_visible(),
            })
        return found
    finally:
        page.close()
