"""The Sphinx extension in real ``sphinx-build -W`` runs; the HTML opened in real Chromium.

No committed outputs: the build draws what the pages show. HTML gets SVG, LaTeX gets PNG; an invalid flow and a
drifted ``.. image::`` link each fail the build with a warning at the directive; editing a flow re-reads the page.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote, urlparse

import pytest
from docs_sites import BROKEN_FLOW, BROKEN_FLOW_LINE, fixture_project, shown_images, sphinx_build, write

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CONF = """\
project = "Fixture flows"
extensions = ["diagram_dsl.sphinx"]
"""

INDEX = """\
Flows
=====

.. toctree::

   guide

.. sequence-flow:: 1

4. E-commerce Checkout
----------------------

.. image:: ../generated-diagrams/sequence-diagram-solutions/4-e-commerce-checkout.png
   :alt: E-commerce Checkout
"""

GUIDE = """\
Guide
=====

.. sequence-flow:: ../sources/12_oauth_authorization.py
   :alt: The OAuth dance
   :caption: Authorization code flow
   :width: 480
"""


def _project(root: Path) -> Path:
    fixture_project(root)
    write(root / "docs" / "conf.py", CONF)
    write(root / "docs" / "index.rst", INDEX)
    write(root / "docs" / "guide.rst", GUIDE)
    return root


def _warnings(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if "WARNING" in line]


def test_an_html_build_shows_every_flow_as_svg_with_its_alt_text(tmp_path: Path, chromium_browser: Browser) -> None:
    root = _project(tmp_path)
    out = root / "docs" / "_build" / "html"
    result = sphinx_build(root / "docs", out)
    assert result.returncode == 0, result.stderr
    assert _warnings(result) == []
    index = shown_images(chromium_browser, out / "index.html", "img")
    assert [Path(image["src"]).name for image in index] == ["1-simple-login-sequence.svg",
                                                            "4-e-commerce-checkout.png"]
    assert index[0]["alt"].startswith("Basic user authentication flow")
    assert index[1]["alt"] == "E-commerce Checkout"
    for image in index:
        assert image["visible"] and image["natural"][0] > 200 and image["box"][1] > 200, image
    (guide,) = shown_images(chromium_browser, out / "guide.html", "img")
    assert Path(guide["src"]).name == "12-oauth-authorization.svg"
    assert guide["alt"] == "The OAuth dance" and guide["visible"] and guide["box"][0] == 480
    assert "Authorization code flow" in (out / "guide.html").read_text(encoding="utf-8")
    assert not (root / "generated-diagrams").exists()


def test_latex_gets_the_png(tmp_path: Path) -> None:
    root = _project(tmp_path)
    out = root / "docs" / "_build" / "latex"
    result = sphinx_build(root / "docs", out, "-b", "latex")
    assert result.returncode == 0, result.stderr
    tex = next(out.glob("*.tex")).read_text(encoding="utf-8")
    included = re.findall(r"\\sphinxincludegraphics(?:\[[^\]]*\])?\{\{([^}]+)\}(\.\w+)\}", tex)
    assert sorted(included) == [("1-simple-login-sequence", ".png"), ("12-oauth-authorization", ".png"),
                                ("4-e-commerce-checkout", ".png")], included
    for name, suffix in included:
        assert (out / f"{name}{suffix}").read_bytes().startswith(b"\x89PNG")


def test_an_invalid_flow_fails_the_build_at_the_directive(tmp_path: Path) -> None:
    root = _project(tmp_path)
    write(root / "sources" / "07_broken_flow.py", BROKEN_FLOW)
    write(root / "docs" / "broken.rst", """\
        Broken
        ======

        Some text.

        .. sequence-flow:: broken-flow
        """)
    result = sphinx_build(root / "docs", root / "docs" / "_build" / "html")
    assert result.returncode != 0
    warnings = _warnings(result)
    assert any(f"broken.rst:6: WARNING: flow 7 (Broken Flow): sources/07_broken_flow.py:{BROKEN_FLOW_LINE}: "
               "error SEQ110" in line for line in warnings), warnings


def test_a_drifted_image_link_fails_the_build_at_its_line(tmp_path: Path) -> None:
    root = _project(tmp_path)
    write(root / "docs" / "drift.rst", """\
        Drift
        =====

        1. Simple Login Sequence
        ------------------------

        .. image:: ../generated-diagrams/sequence-diagram-solutions/4-e-commerce-checkout.svg
        """)
    result = sphinx_build(root / "docs", root / "docs" / "_build" / "html")
    assert result.returncode != 0
    warnings = _warnings(result)
    assert any("drift.rst:7: WARNING: DOC201" in line and "shows flow 4 (E-commerce Checkout)" in line
               for line in warnings), warnings


def test_editing_a_flow_rebuilds_the_page_that_shows_it(tmp_path: Path) -> None:
    root = _project(tmp_path)
    out = root / "docs" / "_build" / "html"
    assert sphinx_build(root / "docs", out).returncode == 0
    picture = out / "_images" / "1-simple-login-sequence.svg"
    assert b"POST /login" in picture.read_bytes()
    source = root / "sources" / "01_simple_login_sequence.py"
    source.write_text(source.read_text(encoding="utf-8").replace("POST /login", "POST /signin"), encoding="utf-8")
    again = sphinx_build(root / "docs", out)
    assert again.returncode == 0, again.stderr
    assert b"POST /signin" in picture.read_bytes()


def test_parallel_reading_is_declared_safe_and_works(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "docs" / "guide.rst").unlink()
    toc = "".join(f"   page{n}\n" for n in range(8))
    write(root / "docs" / "index.rst", f"Flows\n=====\n\n.. toctree::\n\n{toc}")
    for n in range(8):  # several documents per worker, each worker loading the flows itself
        flow = ("1", "e-commerce-checkout", "12")[n % 3]
        write(root / "docs" / f"page{n}.rst", f"Page {n}\n=======\n\n.. sequence-flow:: {flow}\n")
    out = root / "docs" / "_build" / "html"
    result = sphinx_build(root / "docs", out, "-j", "2")
    assert result.returncode == 0, result.stderr
    assert _warnings(result) == []
    assert sorted(p.name for p in (out / "_images").iterdir()) == [
        "1-simple-login-sequence.svg", "12-oauth-authorization.svg", "4-e-commerce-checkout.svg"]


LIGHT_AND_DARK = 'theme = ["light", "dark"]\n'


def _visible_flow_pictures(browser: Browser, page_file: Path, scheme: Literal["light", "dark"]) -> list[Path]:
    """The files behind the flow pictures real Chromium shows on the page for a reader preferring ``scheme``."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        images = page.locator("img.diagram-dsl")
        shown = []
        for index in range(images.count()):
            image = images.nth(index)
            if image.is_visible():
                shown.append(Path(unquote(urlparse(image.evaluate("i => i.src")).path)))
        return shown
    finally:
        page.close()


@pytest.mark.parametrize(("html_theme", "dark_for_dark_readers"), [("alabaster", False), ("furo", True)])
def test_light_and_dark_pictures_follow_the_theme_and_the_reader(tmp_path: Path, chromium_browser: Browser,
                                                                 html_theme: str, dark_for_dark_readers: bool) -> None:
    """Furo switches with the reader's colour scheme, so it shows the dark picture to a dark reader; alabaster has
    no dark mode (its page stays white), so every reader sees the light picture. One picture at a time, always."""
    root = tmp_path
    fixture_project(root, settings=LIGHT_AND_DARK)
    write(root / "docs" / "conf.py", f'project = "Fixture flows"\nextensions = ["diagram_dsl.sphinx"]\n'
                                     f'html_theme = "{html_theme}"\n')
    write(root / "docs" / "index.rst", "Flows\n=====\n\n.. sequence-flow:: 1\n   :caption: Login\n")
    out = root / "docs" / "_build" / "html"
    result = sphinx_build(root / "docs", out)
    assert result.returncode == 0, result.stderr
    drawn = {theme: (out / ".doctrees" / "diagram-dsl" / theme / "1-simple-login-sequence.svg").read_bytes()
             for theme in ("light", "dark")}
    assert drawn["light"] != drawn["dark"]
    for scheme in ("light", "dark"):
        (shown,) = _visible_flow_pictures(chromium_browser, out / "index.html", scheme)
        expected = "dark" if scheme == "dark" and dark_for_dark_readers else "light"
        assert shown.read_bytes() == drawn[expected], (html_theme, scheme)


def test_latex_of_a_light_and_dark_project_gets_the_light_png_only(tmp_path: Path) -> None:
    root = tmp_path
    fixture_project(root, settings=LIGHT_AND_DARK)
    write(root / "docs" / "conf.py", CONF)
    write(root / "docs" / "index.rst", "Flows\n=====\n\n.. sequence-flow:: 1\n")
    out = root / "docs" / "_build" / "latex"
    result = sphinx_build(root / "docs", out, "-b", "latex")
    assert result.returncode == 0, result.stderr
    tex = next(out.glob("*.tex")).read_text(encoding="utf-8")
    included = re.findall(r"\\sphinxincludegraphics(?:\[[^\]]*\])?\{\{([^}]+)\}(\.\w+)\}", tex)
    assert included == [("1-simple-login-sequence", ".png")], included
    light = root / "docs" / "_build" / "latex" / ".doctrees" / "diagram-dsl" / "light" / "1-simple-login-sequence.png"
    assert (out / "1-simple-login-sequence.png").read_bytes() == light.read_bytes()
