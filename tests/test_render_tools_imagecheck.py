"""What a tool renderer must return before its bytes may replace a committed PNG/SVG."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from diagram_dsl.renderers.base import RenderError
from diagram_dsl.renderers.imagecheck import checked, png_problem, svg_problem

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>hi</text></svg>'


def _png(size: tuple[int, int], *, drawn: bool) -> bytes:
    image = Image.new("RGB", size, "white")
    if drawn:
        ImageDraw.Draw(image).line((5, 5, size[0] - 5, size[1] - 5), fill="black", width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_a_drawn_png_and_a_whole_svg_pass_unchanged() -> None:
    png = _png((300, 200), drawn=True)
    assert png_problem(png) is None
    assert checked(png, SVG, what="tool") == (png, SVG)


@pytest.mark.parametrize(("png", "expected"), [
    (b"<html>502 Bad Gateway</html>" * 10, "not a PNG"),
    (_png((300, 200), drawn=False), "blank PNG"),
    (_png((20, 300), drawn=True), "implausible PNG size 20x300"),
    (_png((300, 200), drawn=True)[:400], "unreadable PNG"),
])
def test_unusable_pngs_are_named(png: bytes, expected: str) -> None:
    problem = png_problem(png)
    assert problem is not None and expected in problem


def test_unusable_svgs_are_named() -> None:
    assert "not an SVG" in (svg_problem(b"Syntax error") or "")
    assert "truncated" in (svg_problem(SVG[:-6]) or "")


def test_checked_refuses_with_one_line_naming_the_tool() -> None:
    with pytest.raises(RenderError) as caught:
        checked(_png((300, 200), drawn=False), SVG, what="PlantUML (http://127.0.0.1:1)")
    assert str(caught.value).startswith("PlantUML (http://127.0.0.1:1) returned an unusable image: blank PNG")
    assert "\n" not in str(caught.value)
