"""The MkDocs plugin in real ``mkdocs build --strict`` runs (Material theme), the pages opened in real Chromium.

The fixture project has no committed outputs: the site draws what its pages show. An invalid flow, a drifted
image link, a bad block and an inline Mermaid diagram that does not parse each fail the strict build with a
warning at the right ``file:line``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from docs_sites import BROKEN_FLOW, BROKEN_FLOW_LINE, fixture_project, mkdocs_build, shown_images, write

if TYPE_CHECKING:
    from playwright.sync_api import Browser

MKDOCS_YML = """\
site_name: Fixture flows
theme:
  name: material
plugins:
  - search
  - diagram-dsl
"""

INDEX = """\
# Flows

```diagram-dsl
flow: 1
```

## 4. E-commerce Checkout

![E-commerce Checkout](../generated-diagrams/sequence-diagram-solutions/4-e-commerce-checkout.png)
"""

OAUTH = """\
---
title: OAuth
---
# OAuth

```diagram-dsl
flow: oauth-authorization
format: png
width: 480
alt: The OAuth dance
caption: Authorization code flow
```

How to embed a flow (this example is shown, not embedded):

````markdown
```diagram-dsl
flow: 999
```
````
"""


def _site(root: Path) -> Path:
    fixture_project(root)
    write(root / "mkdocs.yml", MKDOCS_YML)
    write(root / "docs" / "index.md", INDEX)
    write(root / "docs" / "guide" / "oauth.md", OAUTH)
    return root


def _warnings(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if "WARNING" in line]


def test_a_strict_build_embeds_every_flow_and_chromium_shows_each_one(tmp_path: Path,
                                                                      chromium_browser: Browser) -> None:
    site = _site(tmp_path)
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    assert _warnings(result) == []
    assets = site / "site" / "assets" / "diagram-dsl"
    assert sorted(p.name for p in assets.iterdir()) == [
        "1-simple-login-sequence.svg", "12-oauth-authorization.png", "4-e-commerce-checkout.png"]
    assert not (site / "generated-diagrams").exists()  # drawn for the site, nothing written into the project

    index = shown_images(chromium_browser, site / "site" / "index.html", "article img")
    assert [Path(image["src"]).name for image in index] == ["1-simple-login-sequence.svg",
                                                            "4-e-commerce-checkout.png"]
    assert index[0]["alt"].startswith("Basic user authentication flow")  # the flow's description
    assert index[1]["alt"] == "E-commerce Checkout"  # the link's own alt text is kept
    for image in index:
        assert image["visible"] and image["natural"][0] > 200 and image["natural"][1] > 200, image
        assert image["box"][0] > 200 and image["box"][1] > 200, image

    (oauth,) = shown_images(chromium_browser, site / "site" / "guide" / "oauth" / "index.html", "article img")
    assert Path(oauth["src"]).name == "12-oauth-authorization.png"
    assert oauth["alt"] == "The OAuth dance" and oauth["visible"] and oauth["natural"][0] > 200
    assert oauth["box"][0] == 480  # width: 480
    html = (site / "site" / "guide" / "oauth" / "index.html").read_text(encoding="utf-8")
    assert "<figcaption>Authorization code flow</figcaption>" in html
    assert "flow: 999" in html  # the fenced example inside a longer fence is shown as code, not embedded


def test_an_invalid_flow_fails_the_strict_build_at_its_source_line(tmp_path: Path) -> None:
    site = _site(tmp_path)
    write(site / "sources" / "07_broken_flow.py", BROKEN_FLOW)
    result = mkdocs_build(site)
    assert result.returncode != 0
    (warning,) = _warnings(result)
    assert f"sources/07_broken_flow.py:{BROKEN_FLOW_LINE}: error SEQ110" in warning, warning
    assert "Aborted with 1 warnings in strict mode" in result.stdout + result.stderr


def test_a_drifted_image_link_fails_the_strict_build_at_its_page_line(tmp_path: Path) -> None:
    site = _site(tmp_path)
    write(site / "docs" / "drift.md", """\
        # Drift

        ## 1. Simple Login Sequence

        ![Login](../generated-diagrams/sequence-diagram-solutions/4-e-commerce-checkout.svg)
        ![Gone](../generated-diagrams/sequence-diagram-solutions/9-circuit-breaker-pattern.png)
        """)
    result = mkdocs_build(site)
    assert result.returncode != 0
    warnings = "\n".join(_warnings(result))
    assert "docs/drift.md:5: DOC201" in warnings and "shows flow 4 (E-commerce Checkout)" in warnings, warnings
    assert "docs/drift.md:6: DOC200" in warnings, warnings


def test_blocks_that_cannot_be_honoured_are_warnings_at_their_lines(tmp_path: Path) -> None:
    site = _site(tmp_path)
    write(site / "docs" / "bad.md", """\
        ---
        title: Bad blocks
        ---
        # Bad

        ```diagram-dsl
        flow: 404
        ```

        ```diagram-dsl
        flow: 1
        colour: red
        ```
        """)
    result = mkdocs_build(site)
    assert result.returncode != 0
    warnings = "\n".join(_warnings(result))
    assert "docs/bad.md:7: diagram-dsl block: no flow '404'" in warnings, warnings  # front matter counted
    assert "docs/bad.md:12: diagram-dsl block: unknown option 'colour'" in warnings, warnings


def test_an_inline_mermaid_diagram_that_does_not_parse_fails_the_strict_build(tmp_path: Path, mermaid: Path,
                                                                             plantuml: Path) -> None:
    site = _site(tmp_path)
    write(site / "docs" / "inline.md", """\
        # Inline

        ```mermaid
        sequenceDiagram
            Alice->>Bob: hello
            Bob-->>Alice hello back
        ```
        """)
    result = mkdocs_build(site)
    assert result.returncode != 0
    (warning,) = _warnings(result)
    assert "docs/inline.md:6: error DOC210 the real Mermaid rejects this inline diagram" in warning, warning


@contextlib.contextmanager
def _serving(site: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=site,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _poll(url: str, wanted: bytes, deadline: float) -> bytes:
    body = b""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read()
            if wanted in body:
                return body
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} never showed {wanted!r}; last answer: {body[:200]!r}")


def test_mkdocs_serve_redraws_a_flow_when_its_source_changes(tmp_path: Path) -> None:
    site = _site(tmp_path)
    source = site / "sources" / "01_simple_login_sequence.py"
    with _serving(site) as base:
        picture = f"{base}/assets/diagram-dsl/1-simple-login-sequence.svg"
        before = _poll(picture, b"POST /login", time.monotonic() + 120)
        assert b"POST /signin" not in before
        source.write_text(source.read_text(encoding="utf-8").replace("POST /login", "POST /signin"),
                          encoding="utf-8")
        _poll(picture, b"POST /signin", time.monotonic() + 120)


def test_with_both_themes_material_shows_the_picture_matching_the_palette(tmp_path: Path,
                                                                         chromium_browser: Browser) -> None:
    site = tmp_path
    fixture_project(site, ("01_simple_login_sequence.py",), settings='theme = ["light", "dark"]\n')
    write(site / "mkdocs.yml", """\
        site_name: Fixture flows
        theme:
          name: material
          palette:
            - scheme: default
              toggle: { icon: material/brightness-7, name: Dark mode }
            - scheme: slate
              toggle: { icon: material/brightness-4, name: Light mode }
        plugins:
          - diagram-dsl
        """)
    write(site / "docs" / "index.md", "# Login\n\n```diagram-dsl\nflow: 1\n```\n")
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    assets = site / "site" / "assets" / "diagram-dsl"
    assert sorted(p.name for p in assets.iterdir()) == ["1-simple-login-sequence.dark.svg",
                                                        "1-simple-login-sequence.svg"]
    assert assets.joinpath("1-simple-login-sequence.dark.svg").read_bytes() != \
        assets.joinpath("1-simple-login-sequence.svg").read_bytes()
    page = chromium_browser.new_page()
    try:
        page.goto((site / "site" / "index.html").as_uri())
        light, dark = page.locator("article img").nth(0), page.locator("article img").nth(1)
        assert light.get_attribute("src", timeout=5000).endswith("1-simple-login-sequence.svg#only-light")
        assert dark.get_attribute("src", timeout=5000).endswith("1-simple-login-sequence.dark.svg#only-dark")
        from playwright.sync_api import expect

        # Material restyles asynchronously after a scheme switch: wait for the state, never sample it once.
        page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
        expect(light).to_be_visible(timeout=10_000)
        expect(dark).to_be_hidden(timeout=10_000)
        page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
        expect(dark).to_be_visible(timeout=10_000)
        expect(light).to_be_hidden(timeout=10_000)
    finally:
        page.close()
