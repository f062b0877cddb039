"""Notes and comments that stand for model elements Mermaid cannot draw.

Mermaid has no divider, delay, ``ref``, found message, group or spacer. People (and our own
emitter, see docs/emit-mapping.md) draw them as notes: ``== Phase 2 ==`` across the diagram,
``... 5 minutes later ...``, ``ref: Payment flow``, ``→ incoming`` beside the receiver, a grey
``rect`` opened by a note naming the group, ``%% space 30px``. Reading them back keeps a
model → Mermaid → model round trip exact.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from diagram_dsl.model import NotePosition

GROUP_SHADE = re.compile(r"^rgba\(\s*128\s*,\s*128\s*,\s*128\s*,\s*0?\.12\s*\)$")
SPACE_COMMENT = re.compile(r"^%%\s*space(?:\s+(?P<pixels>\d+)px)?\s*:\s*Mermaid has no vertical spacer\s*$", re.I)
_DIVIDER = re.compile(r"^== (?P<text>.*) ==$", re.DOTALL)
_DELAY = re.compile(r"^\.\.\. (?P<text>.*) \.\.\.$", re.DOTALL)
_REF = re.compile(r"^ref: (?P<text>.*)$", re.DOTALL)
_FOUND = re.compile(r"^\u2192 (?P<text>.*)$", re.DOTALL)


class NoteMeaning(NamedTuple):
    """What a note stands for (a named tuple: one is made per note)."""

    kind: str  # "divider", "delay", "ref", "found" or "note"
    text: str


_LEFT, _OVER = NotePosition.LEFT, NotePosition.OVER  # read once: an enum member read from its class is slow
# The first characters of every text the patterns below (and the empty divider/delay) can read.
_SPECIAL_STARTS = ("=", ".", "r")


def note_meaning(position: NotePosition, text: str) -> NoteMeaning:
    """What a note's (decoded) text stands for; ``kind == "note"`` for an ordinary note."""
    if position is _LEFT:
        found = _FOUND.match(text) if text.startswith("\u2192") else None
        return NoteMeaning("found", found.group("text")) if found else NoteMeaning("note", text)
    if position is not _OVER or not text.startswith(_SPECIAL_STARTS):
        return NoteMeaning("note", text)  # most notes are plain text
    for kind, pattern in (("divider", _DIVIDER), ("delay", _DELAY), ("ref", _REF)):
        match = pattern.match(text)
        if match:
            return NoteMeaning(kind, match.group("text"))
    if text in ("==  ==", "== =="):
        return NoteMeaning("divider", "")
    if text in ("...  ...", "... ..."):
        return NoteMeaning("delay", "")
    return NoteMeaning("note", text)
