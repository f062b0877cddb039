"""Line breaking for labels, notes and guards: lines no wider than the width they are given.

Breaks go at spaces first; a long token (a URL, a query string, a path) also breaks
before ``/ ? &`` and after ``, ;``, so ``/end_session?id_token_hint&post_logout_redirect_uri``
becomes ``/end_session`` ``?id_token_hint`` ``&post_logout_redirect_uri``. A word is cut
between characters only when one piece alone is wider than the width.
"""

from __future__ import annotations

import functools

from diagram_dsl.renderers.native.fonts import displayable
from diagram_dsl.renderers.native.text import TextStyle, line_width

_BREAK_BEFORE = frozenset("/?&")
_BREAK_AFTER = frozenset(",;")
_BREAKERS = _BREAK_BEFORE | _BREAK_AFTER


def wrap(text: str, style: TextStyle, width: float) -> tuple[str, ...]:
    """Lines of ``text``: explicit newlines kept, each paragraph filled greedily up to ``width``."""
    return _wrap(text, style.size, style.weight, round(width, 2))


@functools.lru_cache(maxsize=16384)
def _wrap(text: str, size: int, weight: int, width: float) -> tuple[str, ...]:
    lines: list[str] = []
    for paragraph in displayable(text).split("\n"):
        lines.extend(_fill(paragraph.strip(), size, weight, width))
    return tuple(lines)


def pieces(word: str) -> list[str]:
    """``word`` (no spaces) cut at its break opportunities; joined back without separators."""
    cut: list[str] = []
    start = 0
    for index in range(1, len(word)):
        before, char = word[index - 1], word[index]
        if all(rest in _BREAKERS for rest in word[index:]):
            break
        if (before in _BREAK_AFTER and char not in _BREAKERS) or (char in _BREAK_BEFORE and before not in _BREAKERS):
            cut.append(word[start:index])
            start = index
    cut.append(word[start:])
    return cut


def _fill(paragraph: str, size: int, weight: int, width: float) -> list[str]:
    if line_width(paragraph, size, weight) <= width:
        return [paragraph]
    lines: list[str] = []
    current = ""
    for word in paragraph.split():
        for position, piece in enumerate(pieces(word)):
            joiner = " " if position == 0 and current else ""
            candidate = current + joiner + piece
            if line_width(candidate, size, weight) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            chunks = _cut(piece, size, weight, width)
            lines.extend(chunks[:-1])
            current = chunks[-1]
    lines.append(current)
    return lines


def _cut(piece: str, size: int, weight: int, width: float) -> list[str]:
    """A piece wider than ``width`` split between characters (at least one character per chunk)."""
    if line_width(piece, size, weight) <= width:
        return [piece]
    chunks: list[str] = []
    current = ""
    for char in piece:
        if current and line_width(current + char, size, weight) > width:
            chunks.append(current)
            current = char
        else:
            current += char
    chunks.append(current)
    return chunks
