"""PlantUML message lines: ``A -> B : label`` in all its arrow forms, read into kind, ends and flags.

Semantics follow PlantUML's documented meaning: a solid ``->`` is a synchronous call, a dashed
``-->`` a return, a thin head ``->>`` an asynchronous send, a trailing ``x`` a lost message,
``[``/``]``/``?`` the diagram's edge, ``<->`` a call answered in the same arrow.
"""

from __future__ import annotations

import re
from typing import TypeAlias

from diagram_dsl.importers.facts import Drawn
from diagram_dsl.importers.members import Kind, Style
from diagram_dsl.importers.text import plantuml_text
from diagram_dsl.model import MessageKind

# A participant's name: quoted, or word characters, `.`, `@` and `$`. The ASCII letters and digits are listed
# before `\w` although it holds them (and, ignoring case, every letter they match): the same characters, but `re`
# tests the ranges first, and most names are ASCII (the Unicode word test costs more per character).
NAME = r'"[^"]*"|[A-Za-z0-9_.@$\w]+'
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
    \s*(?::\s*(?P<label>.*)|)$"""
# ARROW's groups in the order they open: the last ten groups of any pattern that ends with ARROW, which is how
# ``arrow_from`` reads them (by position: much cheaper than by name).
ARROW_GROUPS = ("left", "lx", "lh", "shaft", "style", "rh", "rx", "right", "mods", "label")
_LINE = re.compile("^" + ARROW, re.VERBOSE)
_STYLE_SPAN = re.compile(r"\[[^\]]*\]")
_ASYNC_HEADS = {">>", "<<", "//", "\\\\"}
EDGES = {"[", "]", "?"}
_CROSS = ("x", "X")  # a lost end (`o` is a circle, drawn only)

# How an arrow was drawn, one of each shared by every arrow drawn so (immutable).
DRAWN_OTHER, DRAWN_ASYNC, DRAWN_REPLY, DRAWN_CALL = (Drawn(style) for style in (
    Style.OTHER, Style.ASYNC, Style.REPLY, Style.CALL))

# One arrow as drawn: (sender, receiver, label, marked, drawn, dashed, bidirectional, activate, deactivate). The ends
# (a name, or None for the diagram's edge) are already in sending order; ``marked`` is the kind its marks say it is
# between two participants (``**`` create before ``!!`` destroy before a lost ``x`` before a thin head before ``<->``
# before dashes; a plain arrow is a request), ``drawn`` its line and head (solid call, dashed return, thin-headed
# asynchronous send). A plain tuple, not a named one: one is made per message line, and making a named tuple cost
# about as much as reading the arrow.
Arrow: TypeAlias = tuple[str | None, str | None, str, MessageKind, Drawn, bool, bool, bool, bool]


def parse_arrow_line(line: str) -> Arrow | None:
    """The arrow on ``line`` (stripped), or None when the line is not a message."""
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
    # The label starts after the blanks behind the colon (``\s`` is what str.strip takes away) and ends the line,
    # which the importer has stripped: it is already stripped.
    text = label or ""
    if "\\" in text or "<U+" in text or "&#" in text:  # plantuml_text's own test: most labels hold no escape
        text = plantuml_text(text)
    if mods:
        activate, deactivate, create, destroy = "++" in mods, "--" in mods, "**" in mods, "!!" in mods
    else:
        activate = deactivate = create = destroy = False
    asynchronous = head in _ASYNC_HEADS and not bidirectional
    if create:
        marked = Kind.CREATE
    elif destroy:
        marked = Kind.DESTROY
    elif cross in _CROSS and not bidirectional:
        marked = Kind.LOST
    elif asynchronous:
        marked = Kind.ASYNC
    elif dashed and not bidirectional:
        marked = Kind.REPLY
    else:
        marked = Kind.REQUEST
    drawn = DRAWN_ASYNC if asynchronous else DRAWN_REPLY if dashed and not bidirectional else DRAWN_CALL
    # A NAME token has no blank around it, so unquoting is a slice.
    return (None if first in EDGES else first[1:-1] if first[0] == '"' else first,
            None if second in EDGES else second[1:-1] if second[0] == '"' else second,
            text, marked, drawn, dashed, bidirectional, activate, deactivate)
