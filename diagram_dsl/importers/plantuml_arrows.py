"""PlantUML message lines: ``A -> B : label`` in all its arrow forms, read into kind, ends and flags.

Semantics follow PlantUML's documented meaning: a solid ``->`` is a synchronous call, a dashed
``-->`` a return, a thin head ``->>`` an asynchronous send, a trailing ``x`` a lost message,
``[``/``]``/``?`` the diagram's edge, ``<->`` a call answered in the same arrow.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from diagram_dsl.importers.text import plantuml_text

NAME = r'"[^"]*"|[\w.@$]+'
# One message line from its first character to its end, in VERBOSE syntax and without the `^` (the PlantUML
# importer puts it last in its one-pattern-per-line statement match; ``arrow_from`` reads either match).
# An optional part is written `(?:X|)`, not `(?:X)?`: the same match, tried in the same order, but `re` compiles
# `?` on anything wider than one character into a repeat, which costs an allocation each time a line reaches it.
# The blanks before the first `++`/`--`/`**`/`!!` are read before ``mods`` (it holds only the marks and the blanks
# between them: ``arrow_from`` looks for the marks in it), and ``mods`` is read only when a mark follows.
ARROW = rf"""(?:(?P<left>\[|\?|{NAME})|)\s*
    # the arrow: its ends (`x`, `o`), heads and shaft, each in a group of its own
    (?:(?<![\w.@$])(?P<lx>[xoXO])|)(?:(?P<lh><<|<|//|\\\\|/|\\)|)(?P<shaft>-+(?:\[(?P<style>[^\]]*)\]-*|))
    (?:(?P<rh>>>|>|//|\\\\|/|\\)|)(?:(?P<rx>[xoXO])(?![\w.@$])|)
    (?:\(\d+\)|)  # teoz: a slanted arrow, `->(10)`
    \s*(?:(?P<right>\]|\?|{NAME})|)
    \s*(?P<mods>(?=[-+*!])(?:(?:\+\+|--|\*\*|!!)\s*)*|)
    (?:\#[\w#]+|)
    \s*(?::(?P<label>.*)|)$"""
# ARROW's groups in the order they open: the last ten groups of any pattern that ends with ARROW, which is how
# ``arrow_from`` reads them (by position: much cheaper than by name).
ARROW_GROUPS = ("left", "lx", "lh", "shaft", "style", "rh", "rx", "right", "mods", "label")
_LINE = re.compile("^" + ARROW, re.VERBOSE)
_STYLE_SPAN = re.compile(r"\[[^\]]*\]")
_ASYNC_HEADS = {">>", "<<", "//", "\\\\"}
EDGES = {"[", "]", "?"}
_CROSS = ("x", "X")  # a lost end (`o` is a circle, drawn only)
_NO_MODS = (False, False, False, False)
_new_tuple = tuple.__new__


class Arrow(NamedTuple):
    """One arrow as drawn: ends (a name, or None for the diagram's edge) already put in sending order (a named
    tuple: one is made per arrow line)."""

    sender: str | None
    receiver: str | None
    label: str
    dashed: bool
    asynchronous: bool
    lost: bool
    bidirectional: bool
    activate: bool
    deactivate: bool
    create: bool
    destroy: bool


def parse_arrow_line(line: str) -> Arrow | None:
    """The arrow on ``line``, or None when the line is not a message."""
    match = _LINE.match(line)
    return None if match is None else arrow_from(match)


def arrow_from(match: re.Match[str]) -> Arrow | None:
    """The arrow read by a match of a pattern ending with ``ARROW`` (see ARROW_GROUPS), or None when it has no
    right end (not a message)."""
    left, left_end, left_head, shaft, style, right_head, right_end, right, mods, label = match.groups()[-10:]
    if right is None:
        return None
    # A head points the arrow its way; a lost end `x` with no head at all does too; else it points right.
    points_left = left_head is not None or (left_end in _CROSS and right_head is None)
    points_right = right_head is not None or (right_end in _CROSS and left_head is None) or not points_left
    bidirectional = points_left and points_right
    head, cross = (right_head, right_end) if points_right else (left_head, left_end)
    if style is None and "[" not in shaft:
        dashed = len(shaft) >= 2  # the shaft is dashes only
    else:
        style = style.lower() if style else ""
        dashed = (_STYLE_SPAN.sub("", shaft) if "[" in shaft else shaft).count("-") >= 2 \
            or "dashed" in style or "dotted" in style
    first, second = (left or "[", right) if points_right else (right, left or "[")
    text = label.strip() if label else ""
    if "\\" in text or "<U+" in text or "&#" in text:  # plantuml_text's own test: most labels hold no escape
        text = plantuml_text(text)
    # Positional, and made as Arrow's own __new__ makes it (one per message line: a call less); a NAME token has no
    # blank around it, so unquoting is a slice.
    return _new_tuple(Arrow, (
        None if first in EDGES else first[1:-1] if first[0] == '"' else first,
        None if second in EDGES else second[1:-1] if second[0] == '"' else second,
        text,
        dashed,
        head in _ASYNC_HEADS and not bidirectional,
        cross in _CROSS and not bidirectional,
        bidirectional,
        *((("++" in mods), ("--" in mods), ("**" in mods), ("!!" in mods)) if mods else _NO_MODS),
    ))
