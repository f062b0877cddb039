"""Exact colours for the palette-mode PNG canvas, and anti-aliased text drawn into it.

The canvas draws on a one-byte-per-pixel palette image: flat fills and lines land
with their exact theme colour, and the image needs no colour reduction before
encoding. Text coverage is quantised to ``LEVELS`` steps and each step is painted
as the blend of the text colour over the background found under the line.
"""

from __future__ import annotations

import functools

from PIL import Image, ImageColor, ImageDraw

from diagram_dsl.renderers.native.fonts import pil_font

LEVELS = 8  # anti-aliasing steps; 8 is indistinguishable from full coverage at text sizes
RGB = tuple[int, int, int]


class Palette:
    """Colour -> palette index, in first-use order (deterministic); nearest colour once 256 are taken."""

    def __init__(self, background: str) -> None:
        self.colours: list[RGB] = []
        self.lookup: dict[RGB, int] = {}
        self.index(background)

    def index(self, colour: str | RGB) -> int:
        rgb = colour if isinstance(colour, tuple) else rgb_of(colour)
        found = self.lookup.get(rgb)
        if found is not None:
            return found
        if len(self.colours) < 256:
            self.lookup[rgb] = len(self.colours)
            self.colours.append(rgb)
            return self.lookup[rgb]
        return min(range(256), key=lambda i: (sum((a - b) ** 2 for a, b in zip(self.colours[i], rgb, strict=True)), i))

    def flat(self) -> list[int]:
        return [channel for colour in self.colours for channel in colour]


@functools.cache
def rgb_of(colour: str) -> RGB:
    red, green, blue = ImageColor.getrgb(colour)[:3]
    return (red, green, blue)


def blend(foreground: str, background: RGB, level: int) -> RGB:
    fg = rgb_of(foreground)
    return (round(background[0] + (fg[0] - background[0]) * level / LEVELS),
            round(background[1] + (fg[1] - background[1]) * level / LEVELS),
            round(background[2] + (fg[2] - background[2]) * level / LEVELS))


@functools.lru_cache(maxsize=8192)
def glyph(char: str, size: int, weight: int) -> tuple[Image.Image | None, int, int, int]:
    """A glyph's coverage mask, its offset from the pen on the baseline, and its advance.

    Glyphs are rasterised once and pasted: FreeType per line costs about four times
    more, and with the basic layout (no kerning, whole-pixel advances) the pixels are the same.
    """
    font = pil_font(size, weight)
    advance = round(font.getlength(char))
    left, top, right, bottom = (round(v) for v in font.getbbox(char, anchor="ls"))
    if right <= left or bottom <= top:
        return None, 0, 0, advance
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), char, font=font, fill=255, anchor="ls")
    return mask, left, top, advance


def line_mask(text: str, size: int, weight: int) -> tuple[Image.Image, int, int] | None:
    """Coverage of a whole line with its offset from the pen position on the baseline (``None`` if no ink)."""
    placed = []
    pen = 0
    x0 = y0 = 1 << 30
    x1 = y1 = -(1 << 30)
    for char in text:
        mask, left, top, advance = glyph(char, size, weight)
        if mask is not None:
            x = pen + left
            width, height = mask.size
            placed.append((mask.im, x, top, width, height))
            x0, y0 = min(x0, x), min(y0, top)
            x1, y1 = max(x1, x + width), max(y1, top + height)
        pen += advance
    if not placed:
        return None
    coverage = Image.new("L", (x1 - x0, y1 - y0), 0)
    # Straight to the core paste: Image.paste re-validates its arguments on every glyph, which costs
    # more than the paste itself on a label of thirty characters.
    core = coverage.im
    for mask_core, x, y, width, height in placed:
        core.paste(255, (x - x0, y - y0, x - x0 + width, y - y0 + height), mask_core)
    return coverage, x0, y0


@functools.cache
def step_table() -> tuple[int, ...]:
    """Coverage 0-255 -> anti-aliasing step 0-LEVELS."""
    return tuple(round(value * LEVELS / 255) for value in range(256))


@functools.cache
def covered_table() -> list[int]:
    """Coverage 0-255 -> a paste mask: opaque where the step is not zero."""
    return [255 if step else 0 for step in step_table()]
