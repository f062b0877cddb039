"""Text measurement and wrapping with the pinned font, in logical units."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from diagram_dsl.renderers.native.fonts import displayable, pil_font


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


@functools.lru_cache(maxsize=65536)
def line_width(line: str, size: int, weight: int) -> float:
    return float(pil_font(size, weight).getlength(line))


def text_width(lines: tuple[str, ...], style: TextStyle) -> float:
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
