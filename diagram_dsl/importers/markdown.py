"""Fenced ```` ```mermaid ````, ```` ```plantuml ```` and ```` ```puml ```` blocks in Markdown, with their lines.

Fences follow CommonMark: three or more backticks or tildes, closed by the same character at
least as many times; a fence inside another fenced block is content; an unclosed fence runs to the
end of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^\s`{]*)?(?P<rest>.*)$")
LANGUAGES = {"mermaid": "mermaid", "plantuml": "plantuml", "puml": "plantuml"}


@dataclass(frozen=True)
class CodeBlock:
    language: str  # "mermaid" or "plantuml"
    text: str
    first_line: int  # line of the block's first content line in the Markdown file (1-based)


def code_blocks(markdown: str) -> list[CodeBlock]:
    """Every Mermaid or PlantUML block, in document order."""
    lines = markdown.splitlines()
    blocks: list[CodeBlock] = []
    index = 0
    while index < len(lines):
        opening = _OPEN.match(lines[index])
        index += 1
        if opening is None:
            continue
        fence, indent = opening.group("fence"), len(opening.group("indent"))
        if fence[0] == "`" and "`" in opening.group("rest"):
            continue  # not a fence: a backtick fence's info string cannot hold backticks
        info = (opening.group("info") or "").strip().lower()
        info = re.sub(r"^\{?\.?", "", info).rstrip("}")
        start = index
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        while index < len(lines) and not closing.match(lines[index]):
            index += 1
        body = [_dedent(line, indent) for line in lines[start:index]]
        index += 1
        if info in LANGUAGES:
            blocks.append(CodeBlock(LANGUAGES[info], "\n".join(body), start + 1))
    return blocks


def _dedent(line: str, indent: int) -> str:
    """CommonMark removes up to the fence's own indentation from each content line."""
    removable = len(line) - len(line.lstrip(" "))
    return line[min(indent, removable):]
