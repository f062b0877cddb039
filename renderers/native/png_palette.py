"""Exact colours for the palette-mode PNG canvas, and anti-aliased text drawn into it.

The canvas draws on a one-byte-per-pixel palette image: flat fills and lines land
with their exact theme colour, and the image needs no colour reduction before
encoding. Text coverage is quantised to ``LEVELS`` steps and each step is painted
as the blend of the text colour over the background found under the line.
"""

from __future__ import annotations

import functools
import math

from PIL import Image, ImageColor, ImageFont

from diagram_dsl.renderers.native.fonts import PRIMARY, pil_font
from diagram_dsl.renderers.native.text import shape_line

LEVELS = 8  # anti-aliasing steps; 8 is indistinguishable from full coverage at text sizes
RGB = tuple[int, int, int]


class Palette:
    """Colour -> palette index, in first-use order (deterministic); nearest colour once 256 are taken."""

    def __init__(self, background: str) -> None:
        self.colours: list[RGB] = []
        self.lookup: dict[RGB, int] = {}
        # theme colours arrive as the same few strings thousands of times per picture: one dict look-up each
        self.named: dict[str, int] = {}
        self.index(background)

    def index(self, colour: str | RGB) -> int:
        if isinstance(colour, str):
            known = self.named.get(colour)
            if known is None:
                known = self.named[colour] = self._index(rgb_of(colour))
            return known
        return self._index(colour)

    def _index(self, rgb: RGB) -> int:
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


PHASES = 4  # sub-pixel pen positions per pixel: glyphs are rasterised this much larger and averaged down
# Averaging an outline drawn four times larger is unhinted anti-aliasing, lighter than hinted text;
# this curve darkens partial coverage back to the weight readers expect (as FreeType's stem darkening does).
DARKENING = 0.75
# Ligatures and contextual alternates off, as in text.shape_line, so Inter draws each character's own glyph.
_PIL_FEATURES = ["-liga", "-calt", "-clig", "-dlig"]

Drawn = tuple[object, int, int, int, int]  # (core coverage mask, left, top, width, height) from the pen


@functools.cache
def _darkened() -> list[int]:
    return [round(255 * (value / 255) ** DARKENING) for value in range(256)]


def _averaged(big: Image.Image, left: int, top: int, phase: int) -> Drawn | None:
    """Coverage of a mask drawn ``PHASES`` times larger, ``left``/``top`` from the pen in large pixels,
    shifted right by ``phase`` large pixels, averaged down to pixels (offsets in pixels from the pen)."""
    if big.width <= 0 or big.height <= 0:
        return None
    x, y = phase + left, top
    fx, fy = math.floor(x / PHASES), math.floor(y / PHASES)
    width = math.ceil((x + big.width) / PHASES) - fx
    height = math.ceil((y + big.height) / PHASES) - fy
    # A crop reaching past the mask pads with zeros: one call aligns the mask on the pixel grid.
    grid = big.im.crop((fx * PHASES - x, fy * PHASES - y, (fx + width) * PHASES - x, (fy + height) * PHASES - y))
    small = grid.reduce((PHASES, PHASES), (0, 0, width * PHASES, height * PHASES)).point(_darkened(), "L")
    return small, fx, fy, width, height


@functools.lru_cache(maxsize=16384)
def glyph(char: str, size: int, weight: int, phase: int) -> Drawn | None:
    """A character's coverage with its pen ``phase / PHASES`` px right of a pixel edge: (core mask, left, top, w, h).

    Glyphs are rasterised once per phase and pasted (FreeType per line costs several times more). The
    phases keep the fractional, kerned advances of the shaping: spacing stays even along a line.
    """
    big, left, top = _large_glyph(char, size, weight)
    return _averaged(big, left, top, phase)


@functools.lru_cache(maxsize=4096)
def _large_glyph(char: str, size: int, weight: int) -> tuple[Image.Image, int, int]:
    """The outline rasterised ``PHASES`` times larger, once for all its phases."""
    mask, (left, top) = pil_font(size * PHASES, weight).getmask2(char, "L", anchor="ls")
    return Image.Image()._new(mask), left, top


@functools.lru_cache(maxsize=2048)
def shaped_run(text: str, font: int, size: int, weight: int, rtl: bool, phase: int) -> Drawn | None:
    """A run that needs shaping (right-to-left, joining, combining marks) drawn whole by raqm (HarfBuzz)."""
    engine = pil_font(size * PHASES, weight, font, ImageFont.Layout.RAQM)
    mask, (left, top) = engine.getmask2(text, "L", direction="rtl" if rtl else "ltr",
                                        features=_PIL_FEATURES if font == PRIMARY else None, anchor="ls")
    return _averaged(Image.Image()._new(mask), left, top, phase)


def line_mask(text: str, size: int, weight: int, start: float = 0.0) -> tuple[Image.Image, int, int] | None:
    """Coverage of a whole line with its offset from the whole-pixel pen position on the baseline (``None`` if no
    ink); ``start`` (0 to 1) is the pen's fraction of a pixel. Glyphs sit where ``text.shape_line`` puts them."""
    phase = round(start * PHASES)
    if phase == PHASES:
        drawn = _line_mask(text, size, weight, 0)
        return None if drawn is None else (drawn[0], drawn[1] + 1, drawn[2])
    return _line_mask(text, size, weight, phase)


@functools.lru_cache(maxsize=4096)
def _line_mask(text: str, size: int, weight: int, phase: int) -> tuple[Image.Image, int, int] | None:
    # Cached whole: a coverage mask has no colour, so the same label in the light and the dark picture,
    # or in the next render of an edited flow, costs one lookup.
    placed: list[Drawn] = []
    for run in shape_line(text, weight).runs:
        origin = phase / PHASES + run.x * size
        if run.offsets is None:
            whole = math.floor(origin)
            step = round((origin - whole) * PHASES)
            drawn = shaped_run(run.text, run.font, size, weight, run.rtl, step % PHASES)
            if drawn is not None:
                placed.append((drawn[0], whole + step // PHASES + drawn[1], drawn[2], drawn[3], drawn[4]))
            continue
        for char, offset in zip(run.text, run.offsets, strict=True):
            position = origin + offset * size
            whole = math.floor(position)
            step = round((position - whole) * PHASES)
            drawn = glyph(char, size, weight, step % PHASES)
            if drawn is not None:
                placed.append((drawn[0], whole + step // PHASES + drawn[1], drawn[2], drawn[3], drawn[4]))
    if not placed:
        return None
    x0 = min([p[1] for p in placed])
    y0 = min([p[2] for p in placed])
    x1 = max([p[1] + p[3] for p in placed])
    y1 = max([p[2] + p[4] for p in placed])
    coverage = Image.new("L", (x1 - x0, y1 - y0), 0)
    # Straight to the core paste: Image.paste re-validates its arguments on every glyph, which costs
    # more than the paste itself on a label of thirty characters. Overlapping glyphs (kerned pairs) keep
    # their coverage through the mask.
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
