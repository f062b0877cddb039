"""SEQ170: text that no renderer can draw and no file can hold — control characters, NUL, lone surrogates.

Every label, title, guard, note and catalog field ends up in SVG (XML 1.0), PlantUML and Mermaid text
and a PNG. XML cannot hold NUL or most C0 controls at all, a lone surrogate cannot even be encoded as
UTF-8, and the other controls draw as nothing or as boxes. A line break is fine (labels may span lines),
and so is a tab; everything else in Unicode's control (Cc) and surrogate (Cs) categories, and the
non-characters U+FFFE/U+FFFF, is reported once per element, at the element's line, naming the character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from diagram_dsl.model import (
    Delay,
    Diagram,
    Divider,
    Event,
    Fragment,
    Location,
    Message,
    Metadata,
    Note,
    Reference,
    walk_events,
)
from diagram_dsl.validate.findings import Finding, make_finding
from diagram_dsl.validate.survey import Survey

# Unicode's control (Cc) and surrogate (Cs) characters and the two non-characters, except line break and tab.
_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def bad_character(text: str) -> str | None:
    """The first character of ``text`` that cannot be drawn or written, or None."""
    found = _BAD.search(text)
    return found.group(0) if found else None


# The characters of _BAD below U+0080, mapped to NUL (one of them), every other byte to itself: an ASCII text is
# searched by translating it with this table and looking for a NUL, which runs at memory speed, where the regular
# expression tests its character class at every position (7% of the instructions of validating the real-world
# corpus). (A table without deletions: bytes.translate's fastest loop.)
_BAD_ASCII_TO_NUL = bytes(0 if code in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F) else code for code in range(256))


def _holds_bad_character(text: str) -> bool:
    if text.isascii():  # most texts, and a flag the string already holds
        return 0 in text.encode("ascii").translate(_BAD_ASCII_TO_NUL)
    return _BAD.search(text) is not None


def texts_of(diagram: Diagram, events: tuple[Event, ...]) -> Iterator[tuple[str, str, Location]]:
    """Every drawn text of a diagram: (what it is, the text, where it was written)."""
    if diagram.title:
        yield "title", diagram.title, diagram.location
    for participant in diagram.participants:
        yield "participant label", participant.label, participant.location
    for box in diagram.boxes:
        yield "box title", box.title, box.location
    for event in events:
        if isinstance(event, Message):
            yield "message label", event.label, event.location
        elif isinstance(event, Note):
            yield "note", event.text, event.location
        elif isinstance(event, Reference):
            yield "ref", event.text, event.location
        elif isinstance(event, Divider | Delay):
            yield type(event).__name__.lower(), event.text, event.location
        elif isinstance(event, Fragment):
            for branch in event.branches:
                yield f"{event.kind.value} guard", branch.guard, branch.location


def _metadata_texts(metadata: Metadata) -> Iterator[tuple[str, str, Location]]:
    for what, text in (("title", metadata.title), ("description", metadata.description)):
        yield what, text, metadata.location
    for what, values in (("when_to_use", metadata.when_to_use), ("important_points", metadata.important_points)):
        for value in values:
            yield what, value, metadata.location


def check_text(diagram: Diagram, surveyed: Survey, metadata: Metadata | None = None) -> list[Finding]:
    # The common case first: one search over every text (joined by line breaks, which are fine) finds nothing.
    # The same texts as ``texts_of`` walks, in another order (which a search for one character cannot tell),
    # gathered without its per-event tests.
    # (Each kind only when present: a comprehension costs as much to start as a small diagram's labels to join.)
    texts = [message.label for message in surveyed.messages]
    if surveyed.annotations:
        texts += [annotation.text for annotation in surveyed.annotations]
    if surveyed.fragments:
        texts += [branch.guard for fragment in surveyed.fragments for branch in fragment.branches]
    texts += [participant.label for participant in diagram.participants]
    if diagram.boxes:
        texts += [box.title for box in diagram.boxes]
    if diagram.title:
        texts.append(diagram.title)
    if metadata is not None:
        texts += [text for _, text, _ in _metadata_texts(metadata)]
    if not _holds_bad_character("".join(texts)):
        return []
    drawn = texts_of(diagram, walk_events(diagram.events))
    sources = drawn if metadata is None else (*drawn, *_metadata_texts(metadata))
    findings: list[Finding] = []
    seen: set[tuple[str, Location]] = set()
    for what, text, location in sources:
        char = bad_character(text)
        if char is None or (what, location) in seen:
            continue
        seen.add((what, location))
        findings.append(make_finding("SEQ170", location,
                                     f"{what} holds U+{ord(char):04X} ({_kind(char)}), which cannot be drawn or "
                                     "written: remove it (a line break is fine)"))
    return findings


def _kind(char: str) -> str:
    if char == "\0":
        return "NUL"
    if unicodedata.category(char) == "Cs":
        return "a lone surrogate"
    if unicodedata.category(char) == "Cc":
        return "a control character"
    return "a non-character"
