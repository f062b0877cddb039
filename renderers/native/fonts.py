"""The pinned fonts for drawing: Pillow and HarfBuzz fonts at a size and weight (coverage: ``diagram_dsl.glyphs``).

Output must be byte-identical on every machine, so the renderer never looks at system fonts; see
``diagram_dsl.glyphs`` for which fonts, what each covers and what happens to characters none has.
"""

from __future__ import annotations

import functools

import uharfbuzz as hb
from PIL import ImageFont

from diagram_dsl.glyphs import (
    DEFAULT_WEIGHT,
    FONT_FILE,
    FONT_NAME,
    FONT_VERSION,
    FONTS,
    OPTICAL_SIZE,
    PRIMARY,
    REPLACEMENT,
    PinnedFont,
    covered_codepoints,
    displayable,
    font_bytes,
    font_for,
    font_path,
    undrawable,
)

__all__ = [
    "DEFAULT_WEIGHT", "FONTS", "FONT_FILE", "FONT_NAME", "FONT_VERSION", "OPTICAL_SIZE", "PRIMARY", "REPLACEMENT",
    "PinnedFont", "covered_codepoints", "displayable", "font_bytes", "font_for", "font_path", "hb_font", "pil_font",
    "undrawable", "units_per_em",
]


@functools.cache
def pil_font(size: int, weight: int, index: int = PRIMARY,
             layout: ImageFont.Layout = ImageFont.Layout.BASIC) -> ImageFont.FreeTypeFont:
    """A pinned font at ``size`` px and ``weight`` (100-900) for Pillow.

    Glyphs are placed by our own shaping (``text.shape_line``); the basic layout only rasterises
    single characters. Right-to-left and joining scripts are drawn a run at a time with raqm.
    """
    font = ImageFont.truetype(str(font_path(index)), size, layout_engine=layout)
    axes = font.get_variation_axes()
    values = [_axis_value(axis["name"], axis["default"], weight) for axis in axes]
    if values != [float(axis["default"] or 0) for axis in axes]:
        font.set_variation_by_axes(values)
    return font


def _axis_value(name: object, default: float | None, weight: int) -> float:
    label = name.decode("latin-1") if isinstance(name, bytes) else str(name)
    if label == "Weight":
        return weight
    if label == "Optical size":
        return OPTICAL_SIZE
    return float(default or 0)


@functools.cache
def hb_font(index: int, weight: int) -> hb.Font:
    """A HarfBuzz font at ``weight``, in font units (positions scale linearly with the size: no hinting)."""
    face = hb.Face(hb.Blob(font_bytes(index)))
    font = hb.Font(face)
    tags = {axis.tag for axis in face.axis_infos}
    font.set_variations({tag: value for tag, value in (("wght", weight), ("opsz", OPTICAL_SIZE)) if tag in tags})
    return font


@functools.cache
def units_per_em(index: int) -> int:
    return int(hb.Face(hb.Blob(font_bytes(index))).upem)
