"""`diagram-dsl serve`: the real server, driven by real headless Chromium (Debian's, through Playwright).

Each test starts `diagram-dsl serve --port 0` in a scratch project, opens pages, saves sources as an
editor does and waits for what the page shows. Leaving a test stops the server with SIGINT and checks
that nothing it started is still running.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from preview_support import Running, alive, descendants, line_of, running, save, write_project

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PING = '''\
from diagram_dsl import Flow, Scores

flow = Flow(number=1, title="Ping Pong", description="A health check that reaches the database.",
            scores=Scores(solution_quality=6, implementation_difficulty=1, performance_level="High"),
            when_to_use=["Liveness probes"], important_points=["Keep it cheap"])
user, api, db = flow.actor("User"), flow.service("API"), flow.database("DB")
with user.call(api, "GET /ping") as ping:
    with api.call(db, "SELECT 1") as query:
        query.reply("one row")
    ping.reply("pong")
'''

OTHER = '''\
from diagram_dsl import Flow

flow = Flow(number=2, title="Fire And Forget")
app, queue = flow.service("App"), flow.queue("Events")
app.send(queue, "OrderPlaced")
'''

SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "images" / "preview.png"
SOURCES = Path(__file__).resolve().parent.parent / "sources"
WAIT_MS = 20_000


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path, {"01_ping_pong.py": PING, "02_fire_and_forget.py": OTHER})


@pytest.fixture
def server(project: Path) -> Iterator[Running]:
    with running(["serve", "--port", "0"], project, r"preview of \d+ flow") as handle:
        yield handle
        workers = descendants(handle.process.pid)
        assert workers, "the loader process should be running under the server"
        status = handle.stop()
        assert status == 130, handle.seen
        handle.wait_for_line("preview stopped", 5)
        assert not any("threads still running" in line for line in handle.seen), handle.seen
        assert [pid for pid in workers if alive(pid)] == []


def open_flow(browser: Browser, server: Running, key: str) -> Page:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{server.url}flow/{key}")
    page.wait_for_selector("#drawing svg", timeout=WAIT_MS)
    page.wait_for_selector("#status[data-kind=live]", timeout=WAIT_MS)
    return page


def wait_version_above(page: Page, version: int) -> None:
    page.wait_for_function(f"Number(document.querySelector('#drawing').dataset.version) > {version}",
                           timeout=WAIT_MS)


def drawn_version(page: Page) -> int:
    return int(page.eval_on_selector("#drawing", "node => node.dataset.version"))


def test_a_saved_edit_shows_up_in_the_open_page(chromium_browser: Browser, server: Running, project: Path) -> None:
    page = open_flow(chromium_browser, server, "01_ping_pong")
    assert "pong" in page.inner_text("#drawing") and "pong, fresh" not in page.inner_text("#drawing")
    save(project / "sources" / "01_ping_pong.py", PING.replace('"pong"', '"pong, fresh"'))
    page.wait_for_selector("#drawing svg text:has-text('pong, fresh')", timeout=WAIT_MS)
    assert page.inner_text("#summary") == "Findings: no findings"
    page.close()


def _spot_box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def test_a_missing_reply_is_marked_at_its_arrow_then_gone(chromium_browser: Browser, server: Running,
                                                          project: Path) -> None:
    source = project / "sources" / "01_ping_pong.py"
    page = open_flow(chromium_browser, server, "01_ping_pong")
    assert page.locator(".dsl-finding").count() == 0
    version = drawn_version(page)
    broken = PING.replace('query.reply("one row")', "pass")
    line = line_of(broken, 'api.call(db, "SELECT 1")')
    save(source, broken)
    wait_version_above(page, version)
    finding = page.locator("#findings li.error[data-code=SEQ110]")
    assert finding.count() == 1 and f"sources/01_ping_pong.py:{line}" in finding.inner_text()
    spot = f".dsl-spot.dsl-error[data-line='{line}'][data-codes~=SEQ110]"
    assert page.locator(spot).count() == 1
    spot_box = _spot_box(page, spot)
    label_box = _spot_box(page, "#drawing svg text:has-text('SELECT 1')")
    assert spot_box["x"] <= label_box["x"] + 1 and spot_box["y"] <= label_box["y"] + 1
    assert spot_box["x"] + spot_box["width"] >= label_box["x"] + label_box["width"] - 1
    assert spot_box["y"] + spot_box["height"] >= label_box["y"] + label_box["height"] - 1
    version = drawn_version(page)
    save(source, PING)
    wait_version_above(page, version)
    assert page.locator(".dsl-finding").count() == 0 and page.locator("#findings li").count() == 0
    page.close()


def test_hovering_names_the_source_line_and_clicking_copies_it(chromium_browser: Browser, server: Running,
                                                                project: Path) -> None:
    page = open_flow(chromium_browser, server, "01_ping_pong")
    line = line_of(PING, 'user.call(api, "GET /ping")')
    spot = f".dsl-message[data-line='{line}']"
    page.hover(spot)
    assert page.inner_text("#tooltip").startswith(f"sources/01_ping_pong.py:{line}")
    head = line_of(PING, 'flow.database("DB")')
    page.hover(f".dsl-participant[data-line='{head}']")
    assert page.inner_text("#tooltip").startswith(f"sources/01_ping_pong.py:{head}")
    page.select_option("#opener", "copy")
    page.click(spot)
    page.wait_for_selector(f"#toast:has-text('copied sources/01_ping_pong.py:{line}')", timeout=WAIT_MS)
    assert page.evaluate("window.__dslLastOpened") == f"sources/01_ping_pong.py:{line}"
    page.select_option("#opener", "vscode")
    link = page.locator("#findings a.where")
    assert link.count() == 0  # no findings: links to the source appear with findings and load errors
    page.close()


def test_a_syntax_error_is_shown_at_its_line_then_the_page_recovers(chromium_browser: Browser, server: Running,
                                                                    project: Path) -> None:
    source = project / "sources" / "01_ping_pong.py"
    page = open_flow(chromium_browser, server, "01_ping_pong")
    broken = PING.replace('with user.call(api, "GET /ping") as ping:', 'with user.call(api, "GET /ping" as ping:')
    save(source, broken)
    page.wait_for_selector("#problem:not([hidden])", timeout=WAIT_MS)
    problem = page.inner_text("#problem")
    assert f"sources/01_ping_pong.py:{line_of(broken, 'GET /ping')}" in problem and "syntax error" in problem
    href = page.get_attribute("#problem a.where", "href")
    assert href == f"vscode://file{source.resolve()}:{line_of(broken, 'GET /ping')}"
    assert page.locator("#drawing.stale svg").count() == 1  # the last drawing stays, dimmed
    misuse = PING.replace("with user.call", "with flow.else_('x'), user.call")
    save(source, misuse)
    page.wait_for_selector("#problem:has-text('must directly follow')", timeout=WAIT_MS)
    version = drawn_version(page)
    save(source, PING.replace('"pong"', '"pong again"'))
    wait_version_above(page, version)
    assert page.is_hidden("#problem") and page.locator("#drawing.stale").count() == 0
    assert "pong again" in page.inner_text("#drawing")
    page.close()


def test_two_browsers_follow_the_same_flow(chromium_browser: Browser, server: Running, project: Path) -> None:
    first = open_flow(chromium_browser, server, "01_ping_pong")
    other = chromium_browser.new_context()
    try:
        second = other.new_page()
        second.goto(f"{server.url}flow/01_ping_pong")
        second.wait_for_selector("#drawing svg", timeout=WAIT_MS)
        index = other.new_page()
        index.goto(server.url)
        index.wait_for_selector(".card[data-key='01_ping_pong'] .badge.clean", timeout=WAIT_MS)
        save(project / "sources" / "01_ping_pong.py", PING.replace('"pong"', '"pong for both"'))
        for page in (first, second):
            page.wait_for_selector("#drawing svg text:has-text('pong for both')", timeout=WAIT_MS)
        save(project / "sources" / "01_ping_pong.py", PING.replace('query.reply("one row")', "pass"))
        index.wait_for_selector(".card[data-key='01_ping_pong'] .badge.error:has-text('1 error')", timeout=WAIT_MS)
    finally:
        other.close()
        first.close()


def test_index_lists_every_flow_with_a_thumbnail_and_counts(chromium_browser: Browser, server: Running,
                                                              project: Path) -> None:
    page = chromium_browser.new_page()
    page.goto(server.url)
    page.wait_for_function("[...document.querySelectorAll('.card img')].every(i => i.complete && i.naturalWidth > 0)",
                           timeout=WAIT_MS)
    titles = page.locator(".card-title").all_inner_texts()
    assert titles == ["1. Ping Pong", "2. Fire And Forget"]
    assert page.locator(".card[data-key='01_ping_pong'] .badge.clean").count() == 1
    assert page.inner_text(".card[data-key='02_fire_and_forget'] .badges") == "4 warnings"  # a sketch
    save(project / "sources" / "03_new.py", OTHER.replace("number=2", "number=3").replace("Fire And", "Another"))
    page.wait_for_selector(".card[data-key='03_new']", timeout=WAIT_MS)
    page.click(".card[data-key='03_new']")
    page.wait_for_selector("#drawing svg text:has-text('OrderPlaced')", timeout=WAIT_MS)
    page.close()


def test_a_deleted_flow_says_so_and_comes_back_when_saved_again(chromium_browser: Browser, server: Running,
                                                                  project: Path) -> None:
    source = project / "sources" / "02_fire_and_forget.py"
    page = open_flow(chromium_browser, server, "02_fire_and_forget")
    index = chromium_browser.new_page()
    index.goto(server.url)
    index.wait_for_selector(".card[data-key='02_fire_and_forget']", timeout=WAIT_MS)
    source.unlink()
    page.wait_for_selector("#problem:has-text('was deleted or renamed')", timeout=WAIT_MS)
    index.wait_for_selector(".card[data-key='02_fire_and_forget']", state="detached", timeout=WAIT_MS)
    version = drawn_version(page)
    save(source, OTHER.replace("OrderPlaced", "OrderPlaced again"))
    wait_version_above(page, version)
    assert page.is_hidden("#problem") and "OrderPlaced again" in page.inner_text("#drawing")
    index.wait_for_selector(".card[data-key='02_fire_and_forget']", timeout=WAIT_MS)
    index.close()
    page.close()


def _non_loopback_addresses() -> list[str]:
    addresses = set()
    with contextlib.suppress(OSError):
        addresses.add(socket.gethostbyname(socket.gethostname()))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe, contextlib.suppress(OSError):
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: a UDP connect only picks the outgoing address, sends nothing
        addresses.add(probe.getsockname()[0])
    return sorted(a for a in addresses if not a.startswith("127.") and a != "0.0.0.0")


def _refused(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.settimeout(3)
        try:
            client.connect((host, port))
        except OSError:
            return True
        return False


def test_only_loopback_can_reach_it(server: Running) -> None:
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    assert server.url.startswith("http://127.0.0.1:")
    assert not _refused("127.0.0.1", port)
    assert _refused("127.0.0.2", port)  # bound to 127.0.0.1 itself, not to every address
    for address in _non_loopback_addresses():
        assert _refused(address, port), address
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/", headers={"Host": "attacker.example"})
    assert connection.getresponse().status == 400  # DNS rebinding: a foreign host name is refused
    connection.close()


@pytest.mark.parametrize("renderer", ["plantuml", "mermaid"])
def test_switching_renderer_draws_with_the_real_tool(chromium_browser: Browser, server: Running, renderer: str) -> None:
    page = open_flow(chromium_browser, server, "01_ping_pong")
    option = page.locator(f"#renderer option[value={renderer}]")
    if not option.is_enabled():
        why = option.get_attribute("title")
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but the {renderer} renderer is not available: {why}")
        pytest.skip(f"{renderer} is not installed here: {why}")
    page.select_option("#renderer", renderer)
    page.wait_for_selector(f"#drawing[data-renderer={renderer}] svg", timeout=90_000)
    assert "SELECT 1" in page.inner_text("#drawing")
    assert page.locator("#drawing .dsl-spot").count() == 0  # source links need the native drawing
    assert f"renderer={renderer}" in page.url
    page.select_option("#renderer", "native")
    page.wait_for_selector("#drawing[data-renderer=native] .dsl-spot", timeout=WAIT_MS)
    page.close()


def test_a_catalog_flow_with_a_forgotten_reply_and_the_readme_screenshot(chromium_browser: Browser, tmp_path: Path
                                                                         ) -> None:
    """The README's picture of the preview is this test's screenshot (`make screenshots` retakes it)."""
    catalog = SOURCES / "01_simple_login_sequence.py"
    project = write_project(tmp_path, {catalog.name: catalog.read_text(encoding="utf-8")})
    source = project / "sources" / catalog.name
    with running(["serve", "--port", "0"], project, r"preview of 1 flow") as server:
        page = chromium_browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{server.url}flow/{source.stem}")
        page.wait_for_selector("#status[data-kind=live]", timeout=WAIT_MS)
        version = drawn_version(page)
        broken = source.read_text(encoding="utf-8").replace('store.reply("OK")', "pass")
        save(source, broken)
        wait_version_above(page, version)
        line = line_of(broken, "auth.call(sessions,")
        spot = f".dsl-spot.dsl-error[data-line='{line}']"
        page.hover(spot)
        assert page.inner_text("#tooltip").startswith(f"sources/{catalog.name}:{line}\nSEQ110 request")
        assert page.locator("#findings li").count() == 1
        shot = page.screenshot()
        if os.environ.get("DIAGRAM_DSL_SCREENSHOTS"):
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            SCREENSHOT.write_bytes(shot)
        page.close()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_readme_shows_the_committed_screenshot() -> None:
    from PIL import Image

    readme = (SCREENSHOT.parents[2] / "README.md").read_text(encoding="utf-8")
    assert "docs/images/preview.png" in readme
    with Image.open(SCREENSHOT) as image:
        assert image.format == "PNG" and image.size == (1440, 900)
