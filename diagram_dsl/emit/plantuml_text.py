"""Escaping text for PlantUML so that any label is drawn exactly as written and stays on one line.

PlantUML reads a label as Creole markup: ``**bold**``, ``<b>``, ``[[links]]``, ``&#38;`` entities,
``~`` escapes, and list/heading/table markers at the start of a line. Characters that could start any
of that are written as ``<U+XXXX>`` codes, which PlantUML draws as the plain character. A label never
spans physical lines (line breaks become ``\\n``), so no text can begin a statement such as
``@enduml`` or ``end``, nor a preprocessor directive (``!include``...).

Before any of that, PlantUML's preprocessor evaluates every line: ``%date()``, ``%version()``,
``%getenv("HOME")`` and every other built-in (``%name``), and user functions and variables
(``$name``), wherever they stand in a label. A ``%`` or ``$`` followed by a name character is
therefore coded too: the preprocessor sees no name, and the drawing shows the label as written.
"""

from __future__ import annotations

from diagram_dsl.emit.common import normalize_newlines

# Always coded: entity/tag/escape starters, quotes (labels sit inside "..."), brackets (links, group labels).
_ALWAYS = frozenset('<>&~"[]')
# Creole toggles when doubled: ** // -- __ ^^ == ,, '' ||
_DOUBLED = frozenset("*/-_^=,'|")
# Creole line markers: bullet, numbered list, heading, table, horizontal rule, preprocessor.
_LINE_START = frozenset("*#=|-!+.'")
# The preprocessor's sigils: `%name` is a built-in function, `$name` a user function or variable.
_SIGILS = frozenset("%$")
# Characters Java or Python would treat as a line break, and other invisible controls.
_BREAKING = frozenset("\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029")


def _code(char: str) -> str:
    return f"<U+{ord(char):04X}>"


def _invisible(char: str) -> bool:
    return char in _BREAKING or ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0


def _names_something(segment: str, index: int) -> bool:
    """A ``%`` or ``$`` at ``index`` that the preprocessor would read as the start of a name."""
    following = segment[index + 1:index + 2]
    return segment[index] in _SIGILS and (following.isalnum() or following == "_")


def _segment(segment: str, code_first: bool) -> str:
    out: list[str] = []
    first_visible = len(segment) - len(segment.lstrip())
    for index, char in enumerate(segment):
        doubled = char in _DOUBLED and (
            (index > 0 and segment[index - 1] == char) or (index + 1 < len(segment) and segment[index + 1] == char))
        if char == "\\":
            out.append("\\\\")
        elif char == "\t":
            out.append("\\t")
        elif char in _ALWAYS or doubled or _invisible(char) or _names_something(segment, index) or (
                index == first_visible and (char in _LINE_START or (code_first and not char.isalnum()))):
            out.append(_code(char))
        else:
            out.append(char)
    return "".join(out)


def text(value: str, *, code_first: bool = False) -> str:
    """A label for any PlantUML text slot: message, note, guard, title, divider, quoted name.

    ``code_first`` also codes a leading non-alphanumeric character, for slots where PlantUML reads one as
    syntax (``title {`` opens a block, ``title $`` names a variable...).
    """
    segments = normalize_newlines(value).split("\n")
    return "\\n".join(_segment(segment, code_first and index == 0) for index, segment in enumerate(segments))


def quoted(value: str) -> str:
    """A label inside double quotes (participant names, box titles)."""
    return f'"{text(value)}"'
