"""The SVG looks like the PNG in a real browser (Debian's Chromium), with its own embedded fonts.

Tolerance (documented in the README): the SVG is shown as GitHub shows it, in an ``<img>``, and
its screenshot is compared with the PNG pixel by pixel after a 3x3 box blur of both (glyph edges
are anti-aliased by different rasterisers; the blur forgives that, not a moved line or letter).
At most ``MAX_BLURRED_SHARE`` of the pixels may then differ by ``CHANGED_LEVEL`` or more in a
channel; unblurred, at most ``MAX_RAW_SHARE``. Measured: 0.003-0.04 % blurred, 0.6-0.9 % raw on the
catalog; the same SVGs without their fonts differ 0.07-0.15 % blurred.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sample_flows
from PIL import Image, ImageChops, ImageFilter

from diagram_dsl.catalog import load_catalog
from diagram_dsl.model import Diagram, FlowModel, Message, MessageKind, Participant, ParticipantKind
from diagram_dsl.renderers.base import RenderOptions
from diagram_dsl.renderers.native import render_flow
from diagram_dsl.renderers.native.layout import layout_diagram
from diagram_dsl.renderers.native.png import render_png
from diagram_dsl.renderers.native.svg import render_svg

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
CHANGED_LEVEL = 48
MAX_BLURRED_SHARE = 0.0006
MAX_RAW_SHARE = 0.015


def _screenshot(browser: Browser, svg: bytes, size: tuple[int, int]) -> Image.Image:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    try:
        url = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
        page.set_content(f'<html><body style="margin:0"><img src="{url}"></body></html>')
        page.wait_for_function("document.images[0].complete && document.images[0].naturalWidth > 0")
        shot = page.screenshot(clip={"x": 0, "y": 0, "width": size[0], "height": size[1]})
    finally:
        page.close()
    with Image.open(io.BytesIO(shot)) as image:
        return image.convert("RGB")


def _changed_share(one: Image.Image, two: Image.Image) -> float:
    difference = ImageChops.difference(one, two).convert("L")
    changed = difference.point(lambda level: 255 if level >= CHANGED_LEVEL else 0).histogram()[255]
    return changed / (one.width * one.height)


def _compare(browser: Browser, png: bytes, svg: bytes) -> tuple[float, float]:
    with Image.open(io.BytesIO(png)) as image:
        expected = image.convert("RGB")
    shown = _screenshot(browser, svg, expected.size)
    blur = ImageFilter.BoxBlur(1)
    return _changed_share(expected, shown), _changed_share(expected.filter(blur), shown.filter(blur))


def _scripts() -> Diagram:
    participants = (Participant("c", "Client AVATAR", ParticipantKind.ACTOR),
                    Participant("h", "שרת הזמנות", ParticipantKind.PARTICIPANT),
                    Participant("a", "خدمة الدفع", ParticipantKind.DATABASE))
    events = (Message(1, MessageKind.REQUEST, "c", "h", "POST /orders → שלום"),
              Message(2, MessageKind.REQUEST, "h", "a", "تأكيد الدفع (Tokyo)"),
              Message(3, MessageKind.REPLY, "a", "h", "200 OK", reply_to=2),
              Message(4, MessageKind.REPLY, "h", "c", "201 Created", reply_to=1))
    return Diagram(participants, events, title="Scripts: Latin, Hebrew, Arabic")


def _flows() -> list[tuple[str, FlowModel]]:
    catalog = [(f"{flow.metadata.number}", flow.model) for flow in load_catalog(ROOT).flows]
    return [*catalog, ("kitchen-sink", sample_flows.kitchen_sink())]


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_catalog_svg_looks_like_its_png_in_chromium(chromium_browser: Browser, theme: str) -> None:
    worst: list[str] = []
    flows = _flows() if theme == "light" else _flows()[::4]
    for name, flow in flows:
        rendered = render_flow(flow, RenderOptions(theme=theme))
        raw, blurred = _compare(chromium_browser, rendered.png, rendered.svg)
        if raw > MAX_RAW_SHARE or blurred > MAX_BLURRED_SHARE:
            worst.append(f"{name} ({theme}): {raw:.3%} raw, {blurred:.3%} blurred")
    assert not worst, "\n".join(worst)


def test_hebrew_and_arabic_svg_looks_like_its_png_in_chromium(chromium_browser: Browser) -> None:
    layout = layout_diagram(_scripts())
    raw, blurred = _compare(chromium_browser, render_png(layout), render_svg(layout, "Scripts"))
    # Right-to-left runs are shaped by the browser from the same font: joins anti-alias differently.
    assert raw <= 2 * MAX_RAW_SHARE and blurred <= 2 * MAX_BLURRED_SHARE, (raw, blurred)


def test_chromium_draws_every_text_with_the_embedded_fonts(chromium_browser: Browser) -> None:
    """The fonts a browser actually used for each <text>: only the subsets carried by the file."""
    svg = render_svg(layout_diagram(_scripts()), "Scripts").decode("utf-8")
    inline = svg.split("?>", 1)[1]
    page = chromium_browser.new_page()
    try:
        page.set_content(f"<html><body>{inline}</body></html>")
        page.wait_for_function("document.fonts.status === 'loaded'")
        session = page.context.new_cdp_session(page)
        session.send("DOM.enable")
        session.send("CSS.enable")
        document = session.send("DOM.getDocument", {"depth": -1})
        nodes = session.send("DOM.querySelectorAll", {"nodeId": document["root"]["nodeId"], "selector": "text"})
        used: set[tuple[str, bool]] = set()
        for node in nodes["nodeIds"]:
            fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            used |= {(font["familyName"], font["isCustomFont"]) for font in fonts}
        page.evaluate("window.getSelection().selectAllChildren(document.querySelector('svg'))")
        selected = page.evaluate("window.getSelection().toString()")
    finally:
        page.close()
    assert used and all(custom for _, custom in used), used
    assert {family for family, _ in used} == {"Inter", "Heebo", "Noto Sans Arabic"}  # the subsets' own names
    assert "POST /orders" in selected and "201 Created" in selected  # real, selectable text
