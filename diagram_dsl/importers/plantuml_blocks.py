"""Where PlantUML diagrams sit in a file (``@startX … @endX``) and which of them are sequence diagrams."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_START = re.compile(r"^\s*@start(?P<tag>\w+)", re.IGNORECASE)
_STOP = re.compile(r"^\s*@end(?P<tag>\w+)", re.IGNORECASE)
# First words that only other PlantUML diagram types use (class, activity, use case, component, state...).
_OTHER_DIAGRAM = re.compile(
    r"^\s*(?:(?:abstract\s+)?class|interface|enum|annotation|state|usecase|component|node|package|namespace|"
    r"rectangle|object|artifact|cloud|folder|frame|storage|card|file|agent|stack|start|stop|endif|repeat|"
    r"fork|partition|map|json|diamond|circle|hexagon|person|port|archimate|allowmixing|"
    r"left\s+to\s+right\s+direction|top\s+to\s+bottom\s+direction)\b(?![^:]*[-=][->])"
    r"|^\s*(?:if|while|elseif)\s*\("
    r"|^\s*:[^:]*;\s*$"
    r"|^\s*\(\*\)"
    r"|^\s*\([^)]+\)\s*(?:-|$)"
    r"|^\s*\[[^\]<>\-]+\]\s*(?:-|$)"
    r"|^[^:]*-+>\s*\((?!\d+\))"
    r"|^\s*[\w\"]+\s*(?:<\|--|--\|>|\*--|--\*|o--(?!-*>)|--o|\.\.\|>|<\|\.\.)",
    re.IGNORECASE,
)

# The first words of _OTHER_DIAGRAM's keyword alternative (`if`/`while`/`elseif` need a `(` as well), none longer
# than 12 characters.
_OTHER_FIRST_WORDS = (
    "abstract", "class", "interface", "enum", "annotation", "state", "usecase", "component", "node", "package",
    "namespace", "rectangle", "object", "artifact", "cloud", "folder", "frame", "storage", "card", "file", "agent",
    "stack", "start", "stop", "endif", "repeat", "fork", "partition", "map", "json", "diamond", "circle",
    "hexagon", "person", "port", "archimate", "allowmixing", "left", "top",
)


# Free text a sequence diagram may hold on its own lines (it could mention "class" or "state" as plain words).
_TEXT_OPEN = re.compile(r"^(?:/\s*)?(?:[hr]?note\b|ref\s+over\b|legend\b|header\s*$|footer\s*$|title\s*$|"
                        r"caption\s*$|(?:left|right|center)\s+(?:header|footer)\s*$)", re.IGNORECASE)
_TEXT_OPEN_FIRST = frozenset("/hrnlftc")  # the first letters _TEXT_OPEN can match
_TEXT_CLOSE = re.compile(r"^end\s*(?:[hr]?note|ref|legend|header|footer|title|caption)\b", re.IGNORECASE)


@dataclass
class Block:
    """Lines ``start`` (the ``@start`` line) to the ``@end`` line; ``body`` indexes the lines between."""

    start: int
    tag: str
    body: list[int] = field(default_factory=list)
    closed: bool = False


def uncomment(lines: list[str]) -> list[str]:
    """Blank out ``/' … '/`` block comments, keeping every line in place so line numbers stay true."""
    out: list[str] = []
    in_comment = False
    for line in lines:
        if not in_comment and "/'" not in line:
            out.append(line)  # most lines: no comment starts or goes on here
            continue
        kept, rest = "", line
        while rest:
            if in_comment:
                end = rest.find("'/")
                if end < 0:
                    rest = ""
                    break
                rest, in_comment = rest[end + 2:], False
            else:
                start = rest.find("/'")
                if start < 0:
                    kept += rest
                    break
                kept, rest, in_comment = kept + rest[:start], rest[start + 2:], True
        out.append(kept)
    return out


def find_blocks(lines: list[str]) -> list[Block]:
    """Each ``@startX … @endX`` block; text with no ``@start`` line at all is one implicit ``uml`` block."""
    blocks: list[Block] = []
    current: Block | None = None
    for index, line in enumerate(lines):
        if "@" in line:
            start, stop = _START.match(line), _STOP.match(line)
        else:
            start = stop = None  # most lines: no pattern to run
        if current is None:
            if start:
                current = Block(index, start.group("tag").lower())
            continue
        if stop:
            current.closed = True
            blocks.append(current)
            current = None
        elif not (start and start.group("tag").lower() == current.tag):  # a repeated @startuml is harmless
            current.body.append(index)
    if current is not None:
        blocks.append(current)
    if not blocks and any(line.strip() for line in lines):
        return [Block(0, "uml", list(range(len(lines))), closed=True)]
    return blocks


def looks_like_other_diagram(body: list[str]) -> bool:
    """True for a class, activity, use-case, component or state diagram: skipped, not an error."""
    in_text = False
    for line in body:
        stripped = line.strip()
        if not stripped:
            continue  # no pattern matches an empty line
        # An ASCII line is only tried against the text patterns its first letters allow (most lines are arrows);
        # other text always is: an ignore-case pattern also matches letters like U+0131 or U+017F.
        head = stripped[:12].lower() if stripped.isascii() else None
        if (head is None or head[0] in _TEXT_OPEN_FIRST) and _TEXT_OPEN.match(stripped) and ":" not in stripped:
            in_text = True
        elif (head is None or head.startswith("end")) and _TEXT_CLOSE.match(stripped):
            in_text = False
        elif not in_text and _may_be_other(stripped, head) and _OTHER_DIAGRAM.match(stripped):
            return True
    return False


def _may_be_other(stripped: str, head: str | None) -> bool:
    """False for an ASCII line _OTHER_DIAGRAM cannot match (most lines: a few cheap tests instead of its many
    alternatives): it needs `:`, `(` or `[` first, a `(` somewhere, a class or component relation (`<|--`, `*--`,
    `o--`, `..|>`...), or to start with one of its first words. ``head``: the line's first 12 characters in lower
    case, None when it is not ASCII."""
    return head is None or stripped[0] in ":([" or "(" in stripped or head.startswith(_OTHER_FIRST_WORDS) \
        or (("--" in stripped or ".." in stripped) and _has_relation(stripped.lower()))


def _has_relation(lowered: str) -> bool:
    """The relation arrows of _OTHER_DIAGRAM's last alternative (a dashed message arrow `-->` is none of them)."""
    return "<|--" in lowered or "--|>" in lowered or "*--" in lowered or "--*" in lowered or "o--" in lowered \
        or "--o" in lowered or "..|>" in lowered or "<|.." in lowered
