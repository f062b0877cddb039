"""The mermaid renderer with real mermaid.js in Chromium: pictures, syntax errors, mermaid.ink, no orphans."""

from __future__ import annotations

import base64
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import render_tools_env as env

import diagram_dsl.renderers.mermaid.session as mermaid_session_module
from diagram_dsl.emit import emit_mermaid
from diagram_dsl.renderers.base import Rendered, RenderError, RenderOptions, get_renderer
from diagram_dsl.renderers.mermaid.browser import BrowserProcess, mermaid_browser
from diagram_dsl.renderers.mermaid.session import MERMAID_CONFIG

pytestmark = pytest.mark.tools  # needs a real tool: left out of `make test-fast`

FLOWS = (2, 8, 15)


@pytest.fixture(scope="module")
def rendered() -> list[tuple[env.LoadedFlow, Rendered]]:
    env.require_mermaid_cli()
    return env.render_catalog_flows("mermaid", FLOWS)


def test_catalog_flows_render_to_plausible_pngs(rendered: list[tuple[env.LoadedFlow, Rendered]]) -> None:
    for flow, output in rendered:
        width, height, ink = env.image_facts(output.png)
        participants = len(flow.model.diagram.participants)
        messages = len(flow.model.diagram.messages())
        assert width >= 80 * participants, (flow.metadata.slug, width)
        assert height >= 25 * messages, (flow.metadata.slug, height)
        assert 0.003 < ink < 0.5, (flow.metadata.slug, ink)
        assert output.svg.startswith(b'<svg id="diagram"')


def test_every_participant_and_message_label_is_drawn(rendered: list[tuple[env.LoadedFlow, Rendered]]) -> None:
    for flow, output in rendered:
        text = " ".join(env.svg_texts(output.svg).split())
        for participant in flow.model.diagram.participants:
            for line in participant.label.splitlines():
                assert " ".join(line.split()) in text, (flow.metadata.slug, line)
        for message in flow.model.diagram.messages():
            first = " ".join(message.label.splitlines()[0].split()) if message.label.strip() else ""
            assert first in text, (flow.metadata.slug, first)


def test_one_page_per_flow_gives_mermaid_clis_own_bytes_whatever_came_before() -> None:
    env.require_mermaid_cli()
    first, second = (emit_mermaid(flow.model.diagram) for flow in env.catalog_flows((1, 7)))
    with mermaid_browser() as browser:
        ours = browser.render(first, scale=1.0, config=MERMAID_CONFIG)
        browser.render(second, scale=1.0, config=MERMAID_CONFIG)
        again = browser.render(first, scale=1.0, config=MERMAID_CONFIG)
        reference = browser.render(first, scale=1.0, config=MERMAID_CONFIG, mode="mmdc")
    assert ours.ok and again.ok and reference.ok
    assert again.svg == ours.svg and again.png == ours.png  # no state leaks from flow to flow
    assert ours.svg == reference.svg and ours.png == reference.png  # what renderMermaid itself draws


def test_scale_multiplies_the_png_not_the_svg() -> None:
    env.require_mermaid_cli()
    text = emit_mermaid(env.catalog_flows((5,))[0].model.diagram)
    with mermaid_browser() as browser:
        single = browser.render(text, scale=1.0, config=MERMAID_CONFIG)
        double = browser.render(text, scale=2.0, config=MERMAID_CONFIG)
    (w1, h1, _), (w2, h2, _) = env.image_facts(single.png), env.image_facts(double.png)
    assert abs(w2 - 2 * w1) <= 2 and abs(h2 - 2 * h1) <= 2
    assert single.svg == double.svg


def test_syntax_error_names_source_file_and_mermaid_line(monkeypatch: pytest.MonkeyPatch) -> None:
    env.require_mermaid_cli()
    flow = env.catalog_flows((1,))[0]
    message = next(m for m in flow.model.diagram.messages() if len(m.label) > 5)

    def broken(diagram: object) -> str:
        good = emit_mermaid(flow.model.diagram).splitlines()
        return "\n".join([*good[:2], f"    A->>->>B: {message.label.splitlines()[0]}", *good[2:]]) + "\n"

    monkeypatch.setattr(mermaid_session_module, "emit_mermaid", broken)
    with get_renderer("mermaid").session(RenderOptions()) as session, pytest.raises(RenderError) as caught:
        session.render(flow.model)
    text = str(caught.value)
    assert text.startswith(f"{message.location.file}:{message.location.line}: Mermaid rejected line 3 "), text
    assert "Parse error" in text and "\n" not in text


def test_missing_chromium_is_one_actionable_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DIAGRAM_DSL_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(RenderError) as caught, get_renderer("mermaid").session(RenderOptions()):
        pass
    text = str(caught.value)
    assert "Chromium is not installed" in text and "make tools-mermaid-cli" in text and "--renderer native" in text
    assert "\n" not in text


def test_a_browser_that_does_not_start_is_one_line_and_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    env.require_mermaid_cli()
    monkeypatch.setenv("DIAGRAM_DSL_CHROMIUM", "/bin/false")
    before = env.child_commands()
    with pytest.raises(RenderError) as caught, get_renderer("mermaid").session(RenderOptions()):
        pass
    text = str(caught.value)
    assert text.startswith("Chromium (/bin/false) did not start: ") and "make tools-mermaid-cli" in text
    assert "\n" not in text
    assert env.child_commands() == before


class _InkLikeServer(http.server.BaseHTTPRequestHandler):
    """mermaid.ink's two endpoints (``/svg/<base64>``, ``/img/<base64>?format=png``) backed by real Mermaid."""

    browser: BrowserProcess
    lock = threading.Lock()
    requests: list[str] = []  # noqa: RUF012 - shared on purpose: the test reads what the client asked

    def do_GET(self) -> None:
        url = urlparse(self.path)
        kind, _, encoded = url.path.strip("/").partition("/")
        self.requests.append(kind)
        text = base64.urlsafe_b64decode(encoded).decode("utf-8")
        with self.lock:
            answer = self.browser.render(text, scale=1.0, config=MERMAID_CONFIG)
        if not answer.ok:
            body, status, kind_type = f"{answer.error} (line {answer.line})".encode(), 400, "text/plain"
        elif kind == "svg":
            body, status, kind_type = answer.svg, 200, "image/svg+xml"
        else:
            body, status, kind_type = answer.png, 200, "image/png"
        self.send_response(status)
        self.send_header("Content-Type", kind_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def ink_server() -> Iterator[str]:
    env.require_mermaid_cli()
    with mermaid_browser() as browser:
        _InkLikeServer.browser = browser
        _InkLikeServer.requests = []
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _InkLikeServer)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()


def test_mermaid_ink_server_through_mermaid_py(ink_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MERMAID_INK_SERVER", raising=False)
    flow = env.catalog_flows((6,))[0]
    with get_renderer("mermaid").session(RenderOptions(mermaid_ink_server=ink_server)) as session:
        output = session.render(flow.model)
    assert _InkLikeServer.requests == ["svg", "img"]
    assert env.image_facts(output.png)[0] >= 80 * len(flow.model.diagram.participants)
    assert flow.model.diagram.participants[0].label.splitlines()[0] in env.svg_texts(output.svg)
    import os

    assert "MERMAID_INK_SERVER" not in os.environ  # restored after each call


def test_no_node_or_chromium_left_after_a_build_a_failure_and_a_ctrl_c(tmp_path: Path) -> None:
    env.require_mermaid_cli()
    env.assert_no_tools_outlive_a_build_a_crash_or_ctrl_c(
        "mermaid", tmp_path, 2,
        lambda running: any("chromium" in p for p in running) and any("render-batch.mjs" in p for p in running))



def test_a_build_killed_outright_takes_its_tools_with_it(tmp_path: Path) -> None:
    env.require_mermaid_cli()
    env.assert_a_killed_build_takes_its_tools_with_it("mermaid", tmp_path)
