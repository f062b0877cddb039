"""The plantuml renderer with the real PlantUML: pictures, syntax errors, servers, process hygiene."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import render_tools_env as env

import diagram_dsl.renderers.plantuml.session as plantuml_session_module
from diagram_dsl.emit import emit_plantuml
from diagram_dsl.model import Message
from diagram_dsl.renderers.base import Rendered, RenderError, RenderOptions, get_renderer
from diagram_dsl.renderers.plantuml.client import PlantumlClient, PlantumlSyntaxError
from diagram_dsl.renderers.plantuml.server import free_loopback_port, local_server
from diagram_dsl.toolchain import plantuml_jar

pytestmark = pytest.mark.tools  # needs a real tool: left out of `make test-fast`

FLOWS = (1, 5, 12)
BROKEN = "@startuml\nAlice -> Bob: hello\nthis is ( not plantuml\n@enduml\n"


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    env.require_plantuml()
    with local_server() as url:
        yield url


@pytest.fixture(scope="module")
def rendered() -> list[tuple[env.LoadedFlow, Rendered]]:
    env.require_plantuml()
    return env.render_catalog_flows("plantuml", FLOWS)


def test_catalog_flows_render_to_plausible_pngs(rendered: list[tuple[env.LoadedFlow, Rendered]]) -> None:
    for flow, output in rendered:
        width, height, ink = env.image_facts(output.png)
        participants = len(flow.model.diagram.participants)
        messages = len(flow.model.diagram.messages())
        # One column per lifeline and one row per message at least: a real drawing, not a stub or an error.
        assert width >= 60 * participants, (flow.metadata.slug, width)
        assert height >= 15 * messages, (flow.metadata.slug, height)
        assert 0.005 < ink < 0.5, (flow.metadata.slug, ink)
        svg_size = re.search(rb'width:(\d+)px;height:(\d+)px', output.svg)
        assert svg_size is not None
        assert abs(int(svg_size.group(1)) - width) <= 2 and abs(int(svg_size.group(2)) - height) <= 2


def test_every_participant_and_message_label_is_drawn(rendered: list[tuple[env.LoadedFlow, Rendered]]) -> None:
    for flow, output in rendered:
        text = " ".join(env.svg_texts(output.svg).split())
        for participant in flow.model.diagram.participants:
            for line in participant.label.splitlines():
                assert " ".join(line.split()) in text, (flow.metadata.slug, line)
        for message in flow.model.diagram.messages():
            first = " ".join(message.label.splitlines()[0].split()) if message.label.strip() else ""
            assert first in text, (flow.metadata.slug, first)


def test_client_reports_syntax_error_with_plantuml_line(server_url: str) -> None:
    with PlantumlClient(server_url, use_environment_proxy=False) as client, \
            pytest.raises(PlantumlSyntaxError) as caught:
        client.render(BROKEN, "png")
    assert caught.value.line == 3
    assert "Syntax Error" in caught.value.message


def test_session_names_source_file_and_line_never_an_error_image(monkeypatch: pytest.MonkeyPatch) -> None:
    env.require_plantuml()
    flow = env.catalog_flows((1,))[0]
    message = next(m for m in flow.model.diagram.messages() if len(m.label) > 5)
    assert isinstance(message, Message)

    def broken(diagram: object) -> str:
        good = emit_plantuml(flow.model.diagram).splitlines()
        return "\n".join([*good[:-1], f"{message.label.splitlines()[0]} -> -> ((", good[-1]]) + "\n"

    monkeypatch.setattr(plantuml_session_module, "emit_plantuml", broken)
    with get_renderer("plantuml").session(RenderOptions()) as session, pytest.raises(RenderError) as caught:
        session.render(flow.model)
    text = str(caught.value)
    assert text.startswith(f"{message.location.file}:{message.location.line}: PlantUML rejected line "), text
    assert "\n" not in text


def test_users_server_is_used_instead_of_starting_one(server_url: str) -> None:
    flow = env.catalog_flows((3,))[0]
    before = [c for c in env.child_commands() if "-picoweb:" in c]
    with get_renderer("plantuml").session(RenderOptions(plantuml_server=server_url + "/png/")) as session:
        during = [c for c in env.child_commands() if "-picoweb:" in c]
        output = session.render(flow.model)
    assert len(before) == 1 and before == during  # the "user's" server only: the session started no JVM
    assert env.image_facts(output.png)[0] > 300
    assert flow.metadata.title in env.svg_texts(output.svg)


class _Failing(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(503)
        self.end_headers()
        self.wfile.write(b"maintenance")

    def log_message(self, *args: object) -> None:
        pass


def test_non_200_and_unreachable_servers_become_render_errors() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with PlantumlClient(url, use_environment_proxy=False) as client, \
                pytest.raises(RenderError, match=r"answered HTTP 503 \('maintenance'\)"):
            client.render(BROKEN, "png")
    finally:
        server.shutdown()
        server.server_close()
    with PlantumlClient(f"http://127.0.0.1:{free_loopback_port()}", use_environment_proxy=False) as closed, \
            pytest.raises(RenderError, match="cannot reach the PlantUML server"):
        closed.render(BROKEN, "svg")


def test_no_java_left_after_a_build_a_failure_and_a_ctrl_c(tmp_path: Path) -> None:
    env.require_plantuml()
    env.assert_no_tools_outlive_a_build_a_crash_or_ctrl_c(
        "plantuml", tmp_path, 3, lambda running: any("-picoweb:" in p for p in running))



def test_scale_multiplies_the_png_and_keeps_svg_line_numbers(server_url: str) -> None:
    flow = env.catalog_flows((5,))[0]
    with PlantumlClient(server_url, use_environment_proxy=False) as client:
        session = plantuml_session_module.PlantumlSession(client, RenderOptions(scale=2.0))
        double = session.render(flow.model)
        single = plantuml_session_module.PlantumlSession(client, RenderOptions()).render(flow.model)
    (w1, h1, _), (w2, h2, _) = env.image_facts(single.png), env.image_facts(double.png)
    assert abs(w2 - 2 * w1) <= 4 and abs(h2 - 2 * h1) <= 4
    assert single.svg == double.svg


def test_a_build_killed_outright_takes_its_tools_with_it(tmp_path: Path) -> None:
    env.require_plantuml()
    env.assert_a_killed_build_takes_its_tools_with_it("plantuml", tmp_path)



def test_missing_jar_is_one_actionable_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "package-lock.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("DIAGRAM_DSL_TOOLS", str(tmp_path))
    plantuml_jar.cache_clear()
    try:
        with pytest.raises(RenderError) as caught, get_renderer("plantuml").session(RenderOptions()):
            pass
        assert get_renderer("plantuml").version() == "plantuml (jar not installed)"
    finally:
        monkeypatch.undo()
        plantuml_jar.cache_clear()
    text = str(caught.value)
    assert text.startswith("PlantUML cannot start: ") and "make tools-plantuml-renderer" in text
    assert "--renderer native" in text and "\n" not in text
