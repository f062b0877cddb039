"""A Markdown file located to the byte: its block structure, headings and reference definitions.

The file is read as bytes and decoded as Latin-1, so every character is exactly one byte: an offset in
``text`` is an offset in the file. Whatever the file's encoding, line endings (LF, CRLF, lone CR) or
byte-order mark, a fix can then splice new bytes in and leave every other byte as it was.

Block structure comes from markdown-it-py (CommonMark): fenced and indented code inside lists and
blockquotes, HTML blocks, ATX and setext headings, reference definitions. Markdown syntax is ASCII,
so reading UTF-8 (or any ASCII-compatible encoding) as Latin-1 leaves the structure intact; texts a
person reads (headings, alt texts, targets) are decoded from their bytes as UTF-8.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference

BOM = b"\xef\xbb\xbf"
_LINE_BREAK = re.compile(r"\r\n?|\n")


class Region(Enum):
    INLINE = "inline"  # paragraph or heading text: Markdown images, code spans, inline HTML
    HTML = "html"  # an HTML block: <img> tags, comments
    CODE = "code"  # fenced or indented code: nothing in it is a link


@dataclass(frozen=True)
class Block:
    region: Region
    start: int  # byte offsets, end exclusive
    end: int


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str
    offset: int


@dataclass(frozen=True)
class Definition:
    """``[label]: target "title"``: where the target's bytes are, for a reference image to use."""

    line: int
    start: int
    end: int


@functools.cache
def _parser() -> MarkdownIt:
    # Blocks only: inline content is scanned here with byte offsets, so markdown-it's own inline pass is skipped.
    return MarkdownIt("commonmark").disable(["inline", "text_join"])


def readable(raw: bytes) -> str:
    """Bytes a person reads, as UTF-8; bytes that are not UTF-8 show as U+FFFD (never a lone surrogate)."""
    return raw.decode("utf-8", "replace")


class MarkdownDocument:
    """One Markdown file's bytes and what is where in them."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.text = raw.decode("latin-1")
        self.body_start = len(BOM) if raw.startswith(BOM) else 0
        self.line_starts = [0] + [match.end() for match in _LINE_BREAK.finditer(self.text)]
        env: dict[str, Any] = {}
        tokens = _parser().parse(self.text[self.body_start:], env)
        self.blocks: list[Block] = []
        self.headings: list[Heading] = []
        self._read_tokens(tokens)
        self.definitions = self._read_definitions(env.get("references", {}))

    # -- positions ------------------------------------------------------------------------------
    def line_of(self, offset: int) -> int:
        """1-based line number of a byte offset."""
        return bisect.bisect_right(self.line_starts, offset)

    def line_span(self, first: int, last: int) -> tuple[int, int]:
        """Byte offsets from the start of 0-based line ``first`` to the start of line ``last`` (exclusive)."""
        start = self.line_starts[first] if first < len(self.line_starts) else len(self.text)
        end = self.line_starts[last] if last < len(self.line_starts) else len(self.text)
        return max(start, self.body_start), end

    def readable(self, start: int, end: int) -> str:
        return readable(self.raw[start:end])

    # -- structure ------------------------------------------------------------------------------
    def _read_tokens(self, tokens: list[Any]) -> None:
        for index, token in enumerate(tokens):
            if token.map is None:
                continue
            first, last = token.map
            if token.type in ("fence", "code_block"):
                self.blocks.append(Block(Region.CODE, *self.line_span(first, last)))
            elif token.type == "html_block":
                self.blocks.append(Block(Region.HTML, *self.line_span(first, last)))
            elif token.type == "inline":
                opener = tokens[index - 1]
                if opener.type == "heading_open" and opener.markup in ("=", "-"):
                    last = opener.map[1] - 1  # a setext heading: its text, not the underline
                start, end = self.line_span(first, last)
                self.blocks.append(Block(Region.INLINE, start, end))
                if opener.type == "heading_open":
                    level = int(opener.tag[1:])
                    text = readable(token.content.encode("latin-1"))
                    self.headings.append(Heading(first + 1, level, " ".join(text.split()), start))

    def _read_definitions(self, references: dict[str, Any]) -> dict[str, Definition]:
        """The target span of every reference definition markdown-it accepted, by normalized label."""
        found: dict[str, Definition] = {}
        for label, reference in references.items():
            line_map = reference.get("map") if isinstance(reference, dict) else None
            if not line_map:
                continue
            start, end = self.line_span(line_map[0], line_map[1])
            span = _definition_target(self.text, start, end, label)
            if span is not None:
                found[label] = Definition(line_map[0] + 1, *span)
        return found


# `[label]:` after any blockquote markers and indentation, then the destination (maybe on the next line).
_DEFINITION = re.compile(r"(?:[ \t]*>)*[ \t]*\[(?P<label>(?:[^\\\[\]]|\\.)+)\]:[ \t]*(?:\r\n?|\n)?(?:[ \t]*>)*[ \t]*"
                         r"(?:<(?P<angle>(?:[^\\<>\r\n]|\\.)*)>|(?P<raw>[^\s<][^\s]*))", re.DOTALL)


def _definition_target(text: str, start: int, end: int, label: str) -> tuple[int, int] | None:
    """The target bytes of the definition of ``label`` among the lines ``start:end``."""
    position = start
    while position < end:
        match = _DEFINITION.match(text, position, end)
        if match is None:
            return None
        if normalizeReference(match.group("label")) == label:
            group = "angle" if match.group("angle") is not None else "raw"
            return match.start(group), match.end(group)
        # Several definitions share one run of lines: the next one starts on a later line.
        following = _LINE_BREAK.search(text, match.end(), end)
        if following is None:
            return None
        position = following.end()
    return None
