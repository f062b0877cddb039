"""Escaping text for Mermaid so that any label is drawn exactly as written and stays on one line.

Mermaid reads ``;`` and a line break as the end of a statement, ``#`` as the start of an entity code
and labels as HTML. Those characters are written as Mermaid entity codes (``#59;``, ``#35;``,
``#lt;``...), which Mermaid turns back into the plain character when it draws; a line break inside a
label becomes ``<br/>``.
"""

from __future__ import annotations

from diagram_dsl.emit.common import normalize_newlines

_NAMED = {"#": "#35;", ";": "#59;", "<": "#lt;", ">": "#gt;", "&": "#amp;", '"': "#quot;", "%": "#37;",
          "{": "#123;", "}": "#125;"}
# Characters a parser could take for a line break, and invisible controls: written as numeric codes.
_BREAKING = frozenset("\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029")


def _char(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    if char in _BREAKING or (ord(char) < 0x20 and char != "\t") or 0x7F <= ord(char) < 0xA0:
        return f"#{ord(char)};"
    return char


def text(value: str) -> str:
    """A label for any Mermaid text slot: message, note, guard, alias, title, box title."""
    return "<br/>".join("".join(_char(char) for char in line) for line in normalize_newlines(value).split("\n"))


def single_line(value: str) -> str:
    """The lines of ``value`` joined by one space, for slots Mermaid draws as plain one-line text."""
    return " ".join(line.strip() for line in normalize_newlines(value).split("\n")).strip()
