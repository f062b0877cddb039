"""PlantUML message lines: ``A -> B : label`` in all its arrow forms, read into kind, ends and flags.

Semantics follow PlantUML's documented meaning: a solid ``->`` is a synchronous call, a dashed
``-->`` a return, a thin head ``->>`` an asynchronous send, a trailing ``x`` a lost message,
``[``/``]``/``?`` the diagram's edge, ``<->`` a call answered in the same arrow.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from diagram_dsl.importers.text import plantuml_text, unquote

NAME = r'"[^"]*"|[\w.@$]+'
_LINE = re.compile(
    rf"""^(?P<left>\[|\?|{NAME})?\s*
    # the arrow: its ends (`x`, `o`), heads and shaft, each in a group of its own
    (?:(?<![\w.@$])(?P<lx>[xoXO]))?(?P<lh><<|<|//|\\\\|/|\\)?(?P<shaft>-+(?:\[(?P<style>[^\]]*)\]-*)?)
    (?P<rh>>>|>|//|\\\\|/|\\)?(?:(?P<rx>[xoXO])(?![\w.@$]))?
    (?:\(\d+\))?  # teoz: a slanted arrow, `->(10)`
    \s*(?P<right>\]|\?|{NAME})?
    (?P<mods>(?:\s*(?:\+\+|--|\*\*|!!))*)
    \s*(?:\#[\w#]+)?
    \s*(?::(?P<label>.*))?$""",
    re.VERBOSE,
)
_STYLE_SPAN = re.compile(r"\[[^\]]*\]")
_ASYNC_HEADS = {">>", "<<", "//", "\\\\"}
EDGES = {"[", "]", "?"}


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
    if match is None:
        return None
    left, right, mods, label, left_head, right_head, left_end, right_end, shaft, style = match.group(
        "left", "right", "mods", "label", "lh", "rh", "lx", "rx", "shaft", "style")
    if right is None:
        return None
    left = left or "["
    left_head, right_head = left_head or "", right_head or ""
    left_end, right_end = (left_end or "").lower(), (right_end or "").lower()
    points_left = left_head != "" or (left_end == "x" and right_head == "")
    points_right = right_head != "" or (right_end == "x" and left_head == "") or not points_left
    bidirectional = points_left and points_right
    forward = points_right
    head = right_head if forward else left_head
    cross = right_end if forward else left_end
    style = (style or "").lower()
    dashes = (_STYLE_SPAN.sub("", shaft) if "[" in shaft else shaft).count("-")
    mods = mods or ""
    first, second = (left, right) if forward else (right, left)
    return Arrow(
        sender=None if first in EDGES else unquote(first),
        receiver=None if second in EDGES else unquote(second),
        label=plantuml_text(label or ""),
        dashed=dashes >= 2 or "dashed" in style or "dotted" in style,
        asynchronous=head in _ASYNC_HEADS and not bidirectional,
        lost=cross == "x" and not bidirectional,
        bidirectional=bidirectional,
        activate="++" in mods,
        deactivate="--" in mods,
        create="**" in mods,
        destroy="!!" in mods,
    )
