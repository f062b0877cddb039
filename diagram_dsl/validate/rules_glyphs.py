"""SEQ171: text that no pinned font can draw (CJK, emoji, rare scripts), reported at its own line.

The native renderer draws such characters as a box; this makes sure nobody learns that from the picture.
The texts are walked as SEQ170 walks them (``rules_text``); ``glyphs.undrawable`` says what is missing.
"""

from __future__ import annotations

from diagram_dsl.glyphs import REPLACEMENT, undrawable
from diagram_dsl.model import Diagram, Event
from diagram_dsl.validate.findings import Finding, make_finding
from diagram_dsl.validate.rules_text import texts_of

_SHOWN = 8  # characters named in one finding


def check_glyphs(diagram: Diagram, events: tuple[Event, ...]) -> list[Finding]:
    """``events``: every event in document order (``walk_events``)."""
    findings = []
    for what, text, location in texts_of(diagram, events):
        missing = undrawable(text)
        if missing:
            named = ", ".join(f"{char} (U+{ord(char):04X})" for char in missing[:_SHOWN])
            more = f" and {len(missing) - _SHOWN} more" if len(missing) > _SHOWN else ""
            findings.append(make_finding("SEQ171", location, f"{what} has characters no pinned font can draw: "
                                         f"{named}{more}; the native renderer draws them as {REPLACEMENT}"))
    return findings
