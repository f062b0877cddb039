"""Notes and comments that stand for model elements Mermaid cannot draw.

Mermaid has no divider, delay, ``ref``, found message, group or spacer. People (and our own
emitter, see docs/emit-mapping.md) draw them as notes: ``== Phase 2 ==`` across the diagram,
``... 5 minutes later ...``, ``ref: Payment flow``, ``→ incoming`` beside the receiver, a grey
``rect`` opened by a note naming the group, ``%% space 30px``. Reading them back keeps a
model → Mermaid → model round trip exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diagram_dsl.model import NotePosition

GROUP_SHADE = re.compile(r"^rgba\(\s*128\s*,\s*128\s*,\s*128\s*,\s*0?\.12\s*\)$")
SPACE_COMMENT = re.compile(r"^%%\s*space(?:\s+(?P<pixels>\d+)px)?\s*:\s*Mermaid has no vertical spacer\s*$", re.I)
_DIVIDER = re.compile(r"^== (?P<text>.*) ==$", re.DOTALL)
_DELAY = re.compile(r"^\.\.\. (?P<text>.*) \.\.\.$", re.DOTALL)
_REF = re.compile(r"^ref: (?P<text>.*)$", re.DOTALL)
_FOUND = re.compile(r"^\u2192 (?P<text>.*)$", re.DOTALL)


@dataclass(frozen=True)
class NoteMeaning:
    kind: str  # "divider", "delay", "ref", "found" or "note"
    text: str


def note_meaning(position: NotePosition, text: str) -> NoteMeaning:
    """What a note's (decoded) text stands for; ``kind == "note"`` for an ordinary note."""
    if position is NotePosition.LEFT:
        found = _FOUND.match(text)
        return NoteMeaning("found", found.group("text")) if found else NoteMeaning("note", text)
    if position is not NotePosition.OVER:
        return NoteMeaning("note", text)
    for kind, pattern in (("divider", _DIVIDER), ("delay", _DELAY), ("ref", _REF)):
        match = pattern.match(text)
        if match:
            return NoteMeaning(kind, match.group("text"))
    if text in ("==  ==", "== =="):
        return NoteMeaning("divider", "")
    if text in ("...  ...", "... ..."):
        return NoteMeaning("delay", "")
    return NoteMeaning("note", text)
