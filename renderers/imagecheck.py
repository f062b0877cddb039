"""Checks on a tool's output before it may replace a committed file: a real, plausible, non-blank PNG."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from diagram_dsl.renderers.base import RenderError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIN_SIDE = 40  # smaller than any sequence diagram with one lifeline
MAX_SIDE = 30_000
MIN_BYTES = 200


def png_problem(png: bytes) -> str | None:
    """Why ``png`` is not an acceptable diagram image, or None when it is."""
    if len(png) < MIN_BYTES or not png.startswith(PNG_SIGNATURE):
        return f"not a PNG ({len(png)} bytes)"
    try:
        with Image.open(io.BytesIO(png)) as image:
            image.load()
            width, height = image.size
            if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
                return f"implausible PNG size {width}x{height}"
            low, high = image.convert("L").getextrema()
    except (UnidentifiedImageError, OSError, ValueError, TypeError, Image.DecompressionBombError) as error:
        return f"unreadable PNG: {error}"
    if low == high:
        return f"blank PNG (every pixel is {low})"
    return None


def svg_problem(svg: bytes) -> str | None:
    """Why ``svg`` is not an SVG document, or None."""
    head = svg[:2000].lstrip()
    if b"<svg" not in head:
        return f"not an SVG document ({len(svg)} bytes)"
    if not svg.rstrip().endswith(b"</svg>"):
        return "truncated SVG document"
    return None


def checked(png: bytes, svg: bytes, *, what: str) -> tuple[bytes, bytes]:
    """``(png, svg)`` unchanged when both pass the checks; else RenderError naming ``what`` made them."""
    problem = png_problem(png) or svg_problem(svg)
    if problem:
        raise RenderError(f"{what} returned an unusable image: {problem}; nothing was written")
    return png, svg
