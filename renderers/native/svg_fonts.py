"""Subsets of the pinned fonts for the SVG canvas: ``@font-face`` rules with WOFF2 data URLs.

An SVG that only names its font looks different wherever that font is missing, and GitHub's
``<img>`` loads nothing from outside the file. So each SVG carries the glyphs it draws: HarfBuzz's
subsetter (``uharfbuzz``, pinned) keeps exactly those characters, pins Inter's optical size, keeps
the weight axis only over the weights used, drops hinting (and, for Inter, the layout tables: every
glyph is positioned explicitly), and ``woff2.encode_woff2`` packs the result. Same input, same
pinned tools, same bytes: on every run and machine.
"""

from __future__ import annotations

import base64
import functools

import uharfbuzz as hb

from diagram_dsl.renderers.native.fonts import DEFAULT_WEIGHT, FONTS, OPTICAL_SIZE, PRIMARY, font_bytes
from diagram_dsl.renderers.native.woff2 import encode_woff2

_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "JSTF", "BASE", "kern")
_ALWAYS_DROPPED = ("STAT", "DSIG", "meta")


def family(index: int) -> str:
    """The CSS family name of an embedded subset: distinct from any installed copy of the font."""
    return f"ddsl-{FONTS[index].family.replace(' ', '-')}"


@functools.cache
def _face(index: int) -> hb.Face:
    return hb.Face(hb.Blob(font_bytes(index)))


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("latin-1"), "big")


def subset_font(index: int, text: str, weights: tuple[int, ...]) -> bytes:
    """The font ``index`` reduced to the characters of ``text`` and the ``weights`` used, as an sfnt."""
    face = _face(index)
    request = hb.SubsetInput()
    for char in sorted(set(text)):
        request.unicode_set.add(ord(char))
    for axis in face.axis_infos:
        if axis.tag == "wght":
            low, high = min(weights), max(weights)
            if low == high:
                request.pin_axis_location(face, "wght", low)
            else:
                request.set_axis_range(face, "wght", low, high, min(max(DEFAULT_WEIGHT, low), high))
        elif axis.tag == "opsz":
            request.pin_axis_location(face, "opsz", OPTICAL_SIZE)
        else:
            request.pin_axis_to_default(face, axis.tag)
    request.flags = hb.SubsetFlags.NO_HINTING
    dropped = request.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for name in _ALWAYS_DROPPED + (_LAYOUT_TABLES if index == PRIMARY else ()):
        dropped.add(_tag(name))
    return bytes(hb.subset(face, request).blob.data)


@functools.lru_cache(maxsize=512)
def font_face(index: int, text: str, weights: tuple[int, ...]) -> str:
    """One ``@font-face`` rule embedding the subset for ``text`` (its characters, sorted) at ``weights``."""
    data = base64.b64encode(encode_woff2(subset_font(index, text, weights))).decode("ascii")
    weight = f"{min(weights)} {max(weights)}" if len(set(weights)) > 1 else f"{weights[0]}"
    return (f'@font-face{{font-family:"{family(index)}";font-weight:{weight};font-style:normal;'
            f'src:url(data:font/woff2;base64,{data}) format("woff2")}}')
