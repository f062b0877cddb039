"""Fenced ```` ```diagram-dsl ```` blocks in a page's Markdown, with the lines they span.

Only top-level fences count: a ```` ```diagram-dsl ```` shown inside a longer ```` ```` ```` fence (a page that
documents the syntax) is left alone, as Markdown itself would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGUAGE = "diagram-dsl"
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*\{?\s*\.?(?P<info>[^`\s}]*)")


@dataclass(frozen=True)
class Fence:
    start: int  # 0-based index of the opening fence line
    end: int  # 0-based index of the closing fence line (the last line when the fence is never closed)
    indent: str
    body: str


def diagram_fences(lines: list[str]) -> list[Fence]:
    found: list[Fence] = []
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match is None:
            index += 1
            continue
        fence = match.group("fence")
        start = index
        index += 1
        while index < len(lines) and not _closes(lines[index], fence):
            index += 1
        end = min(index, len(lines) - 1)
        if match.group("info").lower() == LANGUAGE:
            found.append(Fence(start, end, match.group("indent"), "\n".join(lines[start + 1:index])))
        index += 1
    return found


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence) and not stripped.strip(fence[0]) and len(stripped) >= len(fence)
