"""The shared browser fixture opens a real page in Debian's Chromium and reads it back."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.tools  # needs a real tool: left out of `make test-fast`


def test_chromium_renders_an_inline_svg(chromium_browser: Browser) -> None:
    page = chromium_browser.new_page()
    try:
        page.set_content('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" id="s">'
                         '<rect width="120" height="40" fill="#123456"/></svg>')
        box = page.locator("#s").bounding_box()
        assert box is not None and (box["width"], box["height"]) == (120, 40)
        assert page.evaluate("navigator.userAgent").find("Chrome") >= 0
    finally:
        page.close()
