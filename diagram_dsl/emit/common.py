"""What both emitters share: target-safe participant ids, column spans and colour parsing."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import assert_never

from diagram_dsl.model import (
    Activation,
    Delay,
    Destruction,
    Diagram,
    Divider,
    Event,
    Fragment,
    Message,
    Note,
    Reference,
    Space,
    walk_events,
)

# Words that start a statement in PlantUML or Mermaid sequence diagrams: an id equal to one of them
# (in any case) could be read as the keyword, so such ids get a trailing underscore.
RESERVED_IDS = frozenset([
    "actor", "activate", "alt", "and", "as", "autonumber", "box", "boundary", "break", "collections", "control",
    "create", "critical", "database", "deactivate", "destroy", "details", "else", "end", "entity", "group", "hide",
    "left", "link", "links", "loop", "note", "o", "of", "opt", "option", "over", "par", "participant", "properties",
    "queue", "rect", "ref", "return", "right", "show", "skinparam", "title", "x",
])

_ID_CHARS = re.compile(r"[^A-Za-z0-9_]")


def _ascii_id(raw: str) -> str:
    folded = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    ident = _ID_CHARS.sub("_", folded) or "p"
    return f"p_{ident}" if ident[0].isdigit() else ident


def target_ids(diagram: Diagram) -> dict[str, str]:
    """Model participant id -> an id both languages accept; unchanged unless it clashes with a keyword.

    Deterministic: depends only on the ids and their column order.
    """
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    for participant in diagram.participants:
        candidate = _ascii_id(participant.id)
        while candidate.lower() in RESERVED_IDS or candidate.lower() in taken:
            candidate += "_"
        taken.add(candidate.lower())
        mapping[participant.id] = candidate
    return mapping


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``: every label line break is one ``\\n`` from here on."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def column_span(diagram: Diagram, participant_ids: Iterable[str]) -> tuple[str, str] | None:
    """The leftmost and rightmost of the given participants, by column order; None if none is known."""
    order = {participant.id: index for index, participant in enumerate(diagram.participants)}
    known = sorted((order[pid], pid) for pid in set(participant_ids) if pid in order)
    if not known:
        return None
    return known[0][1], known[-1][1]


def involved(events: Iterable[Event]) -> list[str]:
    """Every participant an event (fragments included) sends to, receives from or annotates."""
    found: list[str] = []
    for event in walk_events(tuple(events)):
        match event:
            case Message():
                found.extend(pid for pid in (event.sender, event.receiver) if pid is not None)
            case Note() | Reference():
                found.extend(event.participants)
            case Activation() | Destruction():
                found.append(event.participant)
            case Fragment() | Divider() | Delay() | Space():
                continue  # a fragment's own events are walked too; the rest span every column
            case _:
                assert_never(event)
    return found


_HEX = re.compile(r"#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})")
_NAME = re.compile(r"[A-Za-z]{3,30}")


def hex_rgb(color: str) -> tuple[int, int, int, float] | None:
    """``#E8F0FE`` / ``E8F0FE`` / ``#abc`` / ``#RRGGBBAA`` as (r, g, b, alpha); None if not hex."""
    match = _HEX.fullmatch(color.strip())
    if match is None:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = [int(digits[index:index + 2], 16) for index in range(0, len(digits), 2)]
    alpha = round(channels[3] / 255, 3) if len(channels) == 4 else 1.0
    return channels[0], channels[1], channels[2], alpha


def color_name(color: str) -> str | None:
    """A plain colour word such as ``LightBlue``; None for anything else."""
    stripped = color.strip().lstrip("#")
    return stripped if _NAME.fullmatch(stripped) and hex_rgb(color) is None else None
