"""Text shaping, measurement and wrapping with the pinned fonts, in logical units."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import uharfbuzz as hb

from diagram_dsl.renderers.native.fonts import (
    PRIMARY,
    covered_codepoints,
    displayable,
    font_for,
    hb_font,
    pil_font,
    units_per_em,
)


@dataclass(frozen=True)
class TextStyle:
    size: int
    weight: int
    color: str
    line_height: float

    @property
    def baseline(self) -> float:
        """Distance from a line box's top to its baseline, centring the font's ascent+descent in the box."""
        ascent, descent = _metrics(self.size, self.weight)
        return (self.line_height - (ascent + descent)) / 2 + ascent


@functools.cache
def _metrics(size: int, weight: int) -> tuple[int, int]:
    return pil_font(size, weight).getmetrics()


# Kerning on, ligatures and contextual alternates off: every character keeps its own glyph, so a
# character's position is also its glyph's, in the PNG and in the SVG (Inter's calt would turn "->" into an
# arrow in one and not the other).
_FEATURES = {"kern": True, "liga": False, "calt": False, "clig": False, "dlig": False}
_STRONG_RTL = frozenset({"R", "AL"})
_NEUTRAL = frozenset({"WS", "ON", "CS", "ES", "ET", "EN", "AN", "BN", "S", "B", "NSM"})


@dataclass(frozen=True)
class Run:
    """A piece of a line drawn with one font, in visual order; positions in em (multiply by the size)."""

    font: int  # index in fonts.FONTS
    text: str
    x: float  # left edge from the line's start
    width: float
    rtl: bool
    offsets: tuple[float, ...] | None  # each character's left edge from ``x``; None for a shaped (complex) run


@dataclass(frozen=True)
class ShapedLine:
    runs: tuple[Run, ...]
    width: float  # em


@functools.lru_cache(maxsize=65536)
def shape_line(line: str, weight: int) -> ShapedLine:
    """``line`` laid out with the pinned fonts: kerned, fractional advances, fallback fonts, right-to-left runs.

    The PNG and the SVG canvases place every glyph from this, so both show the same advances. Simple
    runs (Inter, one glyph per character) carry per-character offsets; others (Hebrew, Arabic,
    combining marks) are shaped as a whole by the canvas, with the same HarfBuzz width.
    """
    if line.isascii():  # Inter has every printable ASCII character, all left to right
        pieces, rtl_base = [(PRIMARY, line)], False
    else:
        pieces, rtl_base = _itemize(line), _first_strong_is_rtl(line)
    shaped = [_shape_run(font, text, weight) for font, text in pieces]
    if rtl_base:
        shaped.reverse()
    runs, x = [], 0.0
    for font, text, width, rtl, offsets in shaped:
        runs.append(Run(font, text, x, width, rtl, offsets))
        x += width
    return ShapedLine(tuple(runs), x)


def _itemize(line: str) -> list[tuple[int, str]]:
    """Maximal pieces drawn by one font; neutral characters (spaces, punctuation, digits) stay with the run
    they are in when its font has them, so a Hebrew phrase with its spaces is shaped as one."""
    pieces: list[tuple[int, list[str]]] = []
    for char in line:
        font = font_for(char)
        if font is None:
            font = PRIMARY
        if pieces and font != pieces[-1][0] and ord(char) in covered_codepoints(pieces[-1][0]) \
                and unicodedata.bidirectional(char) in _NEUTRAL:
            font = pieces[-1][0]
        if pieces and pieces[-1][0] == font:
            pieces[-1][1].append(char)
        else:
            pieces.append((font, [char]))
    return [split for font, chars in pieces for split in _edges_apart(font, "".join(chars))]


def _edges_apart(font: int, text: str) -> list[tuple[int, str]]:
    """A right-to-left piece with its leading and trailing neutrals (spaces, brackets) as pieces of their own.

    Where a neutral at the edge of a right-to-left run goes depends on the direction around it, which a
    viewer shaping the run alone would guess differently from us; placed on their own they land alike.
    """
    if not any(unicodedata.bidirectional(char) in _STRONG_RTL for char in text):
        return [(font, text)]
    start, end = 0, len(text)
    while start < end and _edge_neutral(text[start]):
        start += 1
    while end > start and _edge_neutral(text[end - 1]):
        end -= 1
    pieces = [(PRIMARY if ord(c) in covered_codepoints(PRIMARY) else font, c) for c in text[:start]]
    pieces.append((font, text[start:end]))
    pieces += [(PRIMARY if ord(c) in covered_codepoints(PRIMARY) else font, c) for c in text[end:]]
    return pieces


def _edge_neutral(char: str) -> bool:
    return unicodedata.bidirectional(char) in _NEUTRAL - {"EN", "AN", "NSM"}


def _first_strong_is_rtl(line: str) -> bool:
    for char in line:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return False
        if kind in _STRONG_RTL:
            return True
    return False


def _shape_run(font: int, text: str, weight: int) -> tuple[int, str, float, bool, tuple[float, ...] | None]:
    if not text:
        return font, text, 0.0, False, ()
    ascii_only = text.isascii()
    rtl = not ascii_only and any(unicodedata.bidirectional(char) in _STRONG_RTL for char in text)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    if rtl:
        buffer.direction = "rtl"
    # Fallback scripts keep their fonts' own features: Arabic needs its ligatures, and the canvases shape those
    # runs whole with the same defaults.
    hb.shape(hb_font(font, weight), buffer, _FEATURES if font == PRIMARY else {})
    em = units_per_em(font)
    advances = [position.x_advance for position in buffer.glyph_positions]
    width = sum(advances) / em
    one_to_one = (font == PRIMARY and not rtl and len(advances) == len(text)
                  and all(info.cluster == index for index, info in enumerate(buffer.glyph_infos))
                  and (ascii_only or not any(unicodedata.combining(char) or ord(char) > 0xFFFF for char in text)))
    if not one_to_one:
        return font, text, width, rtl, None
    offsets, pen = [], 0
    for advance in advances:
        offsets.append(pen / em)
        pen += advance
    return font, text, width, rtl, tuple(offsets)


@functools.lru_cache(maxsize=65536)
def line_width(line: str, size: int, weight: int) -> float:
    """The advance width of ``line`` at ``size`` px: kerned, fractional, the same in the PNG and the SVG."""
    return round(shape_line(line, weight).width * size, 4)


def text_width(lines: tuple[str, ...], style: TextStyle) -> float:
    if len(lines) == 1:  # most labels are one line: no generator for a maximum of one
        return line_width(lines[0], style.size, style.weight)
    return max((line_width(line, style.size, style.weight) for line in lines), default=0.0)


def text_height(lines: tuple[str, ...], style: TextStyle) -> float:
    return len(lines) * style.line_height


def wrap(text: str, style: TextStyle, width: float) -> tuple[str, ...]:
    """Lines of ``text``: explicit newlines kept, each paragraph wrapped greedily at ``width``."""
    lines: list[str] = []
    for paragraph in displayable(text).split("\n"):
        lines.extend(_wrap_paragraph(paragraph.strip(), style, width))
    return tuple(lines)


def _wrap_paragraph(paragraph: str, style: TextStyle, width: float) -> list[str]:
    if line_width(paragraph, style.size, style.weight) <= width:
        return [paragraph]
    lines: list[str] = []
    current = ""
    for word in paragraph.split():
        candidate = f"{current} {word}" if current else word
        if line_width(candidate, style.size, style.weight) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        pieces = _break_word(word, style, width)
        lines.extend(pieces[:-1])
        current = pieces[-1]
    lines.append(current)
    return lines


def _break_word(word: str, style: TextStyle, width: float) -> list[str]:
    """A word longer than ``width`` split into pieces that each fit (at least one character per piece)."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and line_width(current + char, style.size, style.weight) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return pieces
