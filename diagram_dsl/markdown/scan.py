"""Just enough Markdown structure for linting: headings, image links and fenced blocks, with line numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target><[^>]+>|[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)")
_IMG_TAG = re.compile(r"<img\b[^>]*?\bsrc=(?P<q>[\"'])(?P<target>[^\"']+)(?P=q)[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str


@dataclass(frozen=True)
class ImageLink:
    line: int
    column: int  # 0-based offset of the target inside the line
    alt: str
    target: str
    headings: tuple[Heading, ...]  # the open heading path, outermost first


@dataclass(frozen=True)
class FencedBlock:
    line: int  # line of the first content line
    language: str
    text: str


def _lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """(line number, line, inside a fenced block) for every line."""
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(2)
            yield number, line, True
        elif fence is not None and line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            fence = None
            yield number, line, True
        else:
            yield number, line, fence is not None


def image_links(text: str) -> list[ImageLink]:
    links: list[ImageLink] = []
    path: list[Heading] = []
    for number, line, in_code in _lines(text):
        if in_code:
            continue
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            path = [h for h in path if h.level < level] + [Heading(number, level, heading.group(2))]
            continue
        for pattern in (_IMAGE, _IMG_TAG):
            for match in pattern.finditer(line):
                target = match.group("target").strip("<>")
                alt = match.groupdict().get("alt") or ""
                links.append(ImageLink(number, match.start("target"), alt, target, tuple(path)))
    return links


def fenced_blocks(text: str) -> list[FencedBlock]:
    blocks: list[FencedBlock] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        fence, language = match.group(2), match.group(3).lower()
        body: list[str] = []
        index += 1
        start = index + 1
        while index < len(lines) and not (lines[index].strip().startswith(fence) and
                                           lines[index].strip().strip(fence[0]) == ""):
            body.append(lines[index])
            index += 1
        blocks.append(FencedBlock(start, language, "\n".join(body) + "\n"))
        index += 1
    return blocks


def markdown_files(root: Path, paths: list[Path]) -> list[Path]:
    """The given .md files and the .md files under given folders; default: the whole project."""
    skip = {".venv", "venv", "node_modules", ".git", "tools", "build", ".tox", ".mypy_cache", ".pytest_cache"}
    found: list[Path] = []
    for base in paths or [root]:
        if base.is_file():
            found.append(base)
            continue
        for candidate in sorted(base.rglob("*.md")):
            relative = candidate.relative_to(base).parts
            if not any(part in skip or part.startswith(".") for part in relative[:-1]):
                found.append(candidate)
    return sorted(set(found))
