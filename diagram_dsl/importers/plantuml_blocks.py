"""Where PlantUML diagrams sit in a file (``@startX … @endX``) and which of them are sequence diagrams."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_START = re.compile(r"^\s*@start(?P<tag>\w+)", re.IGNORECASE)
_STOP = re.compile(r"^\s*@end(?P<tag>\w+)", re.IGNORECASE)
# First words that only other PlantUML diagram types use (class, activity, use case, component, state...).
_OTHER_WORDS = (
    r"(?:abstract\s+)?class|interface|enum|annotation|state|usecase|component|node|package|namespace|"
    r"rectangle|object|artifact|cloud|folder|frame|storage|card|file|agent|stack|start|stop|endif|repeat|"
    r"fork|partition|map|json|diamond|circle|hexagon|person|port|archimate|allowmixing|"
    r"left\s+to\s+right\s+direction|top\s+to\s+bottom\s+direction")
_OTHER_DIAGRAM = re.compile(
    rf"^\s*(?:{_OTHER_WORDS})\b(?![^:]*[-=][->])"
    r"|^\s*(?:if|while|elseif)\s*\("
    r"|^\s*:[^:]*;\s*$"
    r"|^\s*\(\*\)"
    r"|^\s*\([^)]+\)\s*(?:-|$)"
    r"|^\s*\[[^\]<>\-]+\]\s*(?:-|$)"
    r"|^[^:]*-+>\s*\((?!\d+\))"
    r"|^\s*[\w\"]+\s*(?:<\|--|--\|>|\*--|--\*|o--(?!-*>)|--o|\.\.\|>|<\|\.\.)",
    re.IGNORECASE,
)


def _by_first_letter(words: list[str]) -> str:
    """``words`` as alternatives grouped by their first letter (`c(?:lass|loud)|...`): a pattern tries its
    alternatives one by one, and a group whose first letter differs is skipped at once."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


# A blank other than a line break in ASCII text: what `[^\S\n]` matches there, spelled as a set of characters (a
# pattern tests such a set much faster than a negated category; most lines of a body start with blanks).
_BLANK = r"[ \t\x0b\x0c\r\x1c-\x1f]"
# _OTHER_DIAGRAM's first words in lower case (`abstract class` starts with `abstract`), each staying on one line.
_OTHER_WORDS_ON_ONE_LINE = _by_first_letter(
    _OTHER_WORDS.replace(r"(?:abstract\s+)?class", "abstract|class").replace(r"\s", _BLANK).split("|"))
# Where a line of an ASCII body joined by "\n" (one more at the start) and put in lower case could start like
# a line of _OTHER_DIAGRAM: its alternatives that start the line, kept on one line (_BLANK for `\s`), in
# lower case with no ignore-case flag, some looser (`(` for `\(\*\)` and `\([^)]+\)...`).
_MAYBE_OTHER_START = re.compile(
    rf"\n{_BLANK}*+(?:"
    rf"(?:{_OTHER_WORDS_ON_ONE_LINE})\b(?![^:\n]*[-=][->])"
    rf"|(?:if|while|elseif){_BLANK}*\("
    r"|:[^:\n]*;"
    r"|\("
    r"|\[[^\]<>\-\n]+\])"
)
# _OTHER_DIAGRAM's `-+>\s*\(` alternative, looser: it needs no dash, so the pattern starts with a plain character.
_MAYBE_OTHER_ARROW = re.compile(rf">{_BLANK}*\((?!\d+\))")
_RELATION_O = re.compile(r"o--(?!-*>)")  # `o--` that is no dashed arrow (`Repo-->`)

# The first words of _OTHER_DIAGRAM's keyword alternative (`if`/`while`/`elseif` need a `(` as well), none longer
# than 12 characters.
_OTHER_FIRST_WORDS = (
    "abstract", "class", "interface", "enum", "annotation", "state", "usecase", "component", "node", "package",
    "namespace", "rectangle", "object", "artifact", "cloud", "folder", "frame", "storage", "card", "file", "agent",
    "stack", "start", "stop", "endif", "repeat", "fork", "partition", "map", "json", "diamond", "circle",
    "hexagon", "person", "port", "archimate", "allowmixing", "left", "top",
)
# Where a line of such a body starts like one the scan can do anything with outside free text: one that opens free
# text (_TEXT_OPEN: `/` or its first words) or that matches _OTHER_DIAGRAM with no arrow or relation in it (its
# other first words and characters). A line closing free text (`end note`) changes nothing outside it, and the
# scan finds the one closing the text it is in by itself; a block's plain `end` is no candidate.
_MAY_MATTER = re.compile(rf"\n{_BLANK}*+(?:[:(\[/]|" + _by_first_letter(sorted({
    *_OTHER_FIRST_WORDS, "if", "while", "elseif",
    "note", "hnote", "rnote", "ref", "legend", "header", "footer", "title", "caption", "left", "right", "center",
    })) + ")")


# Free text a sequence diagram may hold on its own lines (it could mention "class" or "state" as plain words).
_TEXT_OPEN = re.compile(r"^(?:/\s*)?(?:[hr]?note\b|ref\s+over\b|legend\b|header\s*$|footer\s*$|title\s*$|"
                        r"caption\s*$|(?:left|right|center)\s+(?:header|footer)\s*$)", re.IGNORECASE)
_TEXT_OPEN_FIRST = frozenset("/hrnlftc")  # the first letters _TEXT_OPEN can match
_TEXT_CLOSE = re.compile(r"^end\s*(?:[hr]?note|ref|legend|header|footer|title|caption)\b", re.IGNORECASE)
# A line of an ASCII body joined by "\n" and put in lower case (as _MAY_MATTER reads it) that _TEXT_CLOSE matches.
_TEXT_CLOSE_LINE = re.compile(rf"\n{_BLANK}*+end{_BLANK}*(?:[hr]?note|ref|legend|header|footer|title|caption)\b")


@dataclass
class Block:
    """Lines ``start`` (the ``@start`` line) to the ``@end`` line; ``body`` indexes the lines between."""

    start: int
    tag: str
    body: list[int] = field(default_factory=list)
    closed: bool = False


def uncomment(lines: list[str]) -> list[str]:
    """Blank out ``/' … '/`` block comments, keeping every line in place so line numbers stay true."""
    if "/'" not in "\n".join(lines):  # most texts: no block comment at all
        return list(lines)
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
    handled = -1  # the last line looked at
    # Only a line holding "@" can start or end a block: the lines between two of them go into the open block whole.
    for index in [index for index, line in enumerate(lines) if "@" in line]:
        if current is not None:
            current.body.extend(range(handled + 1, index))
        handled = index
        start, stop = _START.match(lines[index]), _STOP.match(lines[index])
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
        current.body.extend(range(handled + 1, len(lines)))
        blocks.append(current)
    if not blocks and any(line.strip() for line in lines):
        return [Block(0, "uml", list(range(len(lines))), closed=True)]
    return blocks


def looks_like_other_diagram(body: list[str]) -> bool:
    """True for a class, activity, use-case, component or state diagram: skipped, not an error."""
    joined = "\n".join(body)
    # In lower case with its lines joined by "\n" (one more at the start), an ASCII body is searched in C for
    # what _OTHER_DIAGRAM's alternatives need (each test below is one of them or a looser form of it), instead
    # of a Python step per line.
    lowered = "\n" + joined.lower() if joined.isascii() else None
    if _may_open_style_block(joined, lowered) and _opens_style_block(joined, lowered):
        # Style sheets name other diagrams' elements (`<style> component { ... }`, `skinparam state { ... }`): not
        # lines of the diagram, so a sequence diagram styled that way is still checked, never silently skipped.
        styled = _without_style_blocks(body)
        if styled is not body:
            body, joined = styled, "\n".join(styled)
            lowered = "\n" + joined.lower() if joined.isascii() else None
    if lowered is None:
        return _scan(body)
    if _MAYBE_OTHER_ARROW.search(lowered) or _has_relation_piece(lowered):
        return _scan(body)  # rare in a sequence diagram
    if not _MAYBE_OTHER_START.search(lowered):
        return False  # most bodies: no line can match
    return _other_outside_text(lowered)


def _may_open_style_block(joined: str, lowered: str | None) -> bool:
    """False when no line of ``joined`` (``lowered``: it in lower case, None when it is not ASCII) can match
    _STYLE_START: substring tests in C, much cheaper than that pattern, which has no literal to search for."""
    if lowered is None:
        return "{" in joined or "<" in joined  # an ignore-case pattern also matches letters like U+017F or U+212A
    return "<style>" in lowered or ("{" in joined and ("style" in lowered or "sprite" in lowered
                                                       or "skinparam" in lowered))


_STYLE_START = re.compile(r"^[^\S\n]*(?:<style>|(?:skinparam|sprite|style)\b[^{\n]*\{[^\S\n]*$)",
                          re.IGNORECASE | re.MULTILINE)  # a line opening either kind of block (searched in C)
# The same line in an ASCII body joined by "\n" (one more at the start) and put in lower case: a pattern that
# starts with a literal "\n" skips from line to line, where _STYLE_START tries every character.
_STYLE_START_LOWERED = re.compile(
    rf"\n{_BLANK}*+(?:<style>|(?:skinparam|sprite|style)\b[^{{\n]*\{{{_BLANK}*+(?![^\n]))")


def _opens_style_block(joined: str, lowered: str | None) -> bool:
    """A line of ``joined`` (``lowered``: as in _may_open_style_block) matches _STYLE_START."""
    if lowered is None:
        return _STYLE_START.search(joined) is not None
    return _STYLE_START_LOWERED.search(lowered) is not None


_STYLE_OPEN = re.compile(r"^\s*<style>", re.IGNORECASE)
_STYLE_CLOSE = re.compile(r"</style>", re.IGNORECASE)
_BRACED_STYLE = re.compile(r"^\s*(?:skinparam|sprite|style)\b[^{]*\{\s*$", re.IGNORECASE)


def _without_style_blocks(body: list[str]) -> list[str]:
    """``body`` with the lines of `<style>` sheets and `skinparam`/`sprite`/`style` `{ }` blocks blanked (the same
    list when it has none), as the parser skips them."""
    kept: list[str] | None = None
    depth, in_sheet = 0, False
    for index, line in enumerate(body):
        inside = in_sheet or depth > 0
        if in_sheet:
            in_sheet = _STYLE_CLOSE.search(line) is None
        elif depth > 0:
            depth += line.count("{") - line.count("}")
        elif _STYLE_OPEN.match(line):
            inside, in_sheet = True, _STYLE_CLOSE.search(line) is None
        elif _BRACED_STYLE.match(line):
            inside, depth = True, 1
        if inside:
            if kept is None:
                kept = list(body)
            kept[index] = ""
    return body if kept is None else kept


def _has_relation_piece(lowered: str) -> bool:
    """A piece of one of _OTHER_DIAGRAM's class or component relations (`<|--`, `--|>`, `*--`, `--*`, `o--`,
    `--o`, `..|>`, `<|..`) somewhere in ``lowered``."""
    # A one-character test first: it is much faster than a longer one, and `|`, `*` are rare in a sequence diagram.
    return ("|" in lowered and ("<|" in lowered or "|>" in lowered)) \
        or ("*" in lowered and ("*-" in lowered or "-*" in lowered)) \
        or "--o" in lowered or ("o--" in lowered and _RELATION_O.search(lowered) is not None)


def _other_outside_text(lowered: str) -> bool:
    """looks_like_other_diagram for an ASCII body (``lowered``: as there) with no arrow or relation piece that
    _OTHER_DIAGRAM matches, so only the lines _MAY_MATTER finds can matter: the same answer as _scan on them, but
    free text (a note, a legend...) is skipped from its opening line to its closing one by one search in C, not
    line by line (a big JSON note holds dozens of lines that may look like other diagrams' words)."""
    position = 0
    while (candidate := _MAY_MATTER.search(lowered, position)) is not None:
        start = candidate.start() + 1  # the match starts at the "\n" before its line
        end = lowered.find("\n", start)
        stripped = (lowered[start:] if end < 0 else lowered[start:end]).strip()
        head = stripped[:12]  # already in lower case
        if head[0] in _TEXT_OPEN_FIRST and _TEXT_OPEN.match(stripped) and ":" not in stripped:
            position = _text_closed(lowered, start)
            if position < 0:
                return False  # free text to the end
            continue
        if head.startswith("end") and _TEXT_CLOSE.match(stripped):
            pass  # a closing line outside free text changes nothing
        elif _may_be_other(stripped, head) and _OTHER_DIAGRAM.match(stripped):
            return True
        if end < 0:
            return False
        position = end
    return False


def _text_closed(lowered: str, start: int) -> int:
    """Where the first line after the one at ``start`` in ``lowered`` that _TEXT_CLOSE matches ends (-1: none).
    Every such line starts with "end" after its blanks: a substring search finds each "end" much faster than a
    pattern that steps over every line's leading blanks."""
    at = lowered.find("\n", start)
    while at >= 0 and (at := lowered.find("end", at)) >= 0:
        line_start = lowered.rfind("\n", 0, at)
        closing = _TEXT_CLOSE_LINE.match(lowered, line_start)
        if closing is not None:
            return closing.end()
        at = lowered.find("\n", at)  # this line closes nothing
    return -1


def _scan(body: Iterable[str]) -> bool:
    """looks_like_other_diagram line by line: a line that only other diagram types use, outside free text."""
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
