"""Image links in a Markdown file, each with its section's headings and the exact bytes of its target."""

from __future__ import annotations

import os
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from markdown_it.common.utils import normalizeReference

from diagram_dsl.markdown.document import Heading, MarkdownDocument, Region, readable
from diagram_dsl.markdown.inline import Found, html_images, markdown_images

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass(frozen=True)
class ImageLink:
    line: int  # where the image is written (1-based)
    alt: str
    target: str  # as a reader means it: UTF-8, backslash escapes resolved
    start: int  # the target's bytes in the file: for ``![alt][ref]`` those of the ``[ref]: target`` definition
    end: int
    headings: tuple[Heading, ...]  # the open heading path, outermost first
    reference: str | None = None  # the label of a reference-style image
    column: int = 0  # characters before the target as written (its `<` if bracketed) on its own line

    @property
    def absolute(self) -> bool:
        """A URL (``https:``, ``data:``, ``//host``): checked by file name only, never rewritten."""
        return bool(_SCHEME.match(self.target)) or self.target.startswith("//")

    @property
    def path(self) -> str:
        """The target as a file path: no query or fragment, percent-escapes decoded."""
        return urllib.parse.unquote(self.target.split("#", 1)[0].split("?", 1)[0])


def _target(document: MarkdownDocument, start: int, end: int, html: bool) -> str:
    text = document.readable(start, end)
    return text if html else _ESCAPED.sub(r"\1", text)


def image_links(source: MarkdownDocument | str) -> list[ImageLink]:
    """Every image of the document in order: Markdown inline and reference images, and ``<img>`` tags.

    A ``str`` is read as the UTF-8 text of a document.
    """
    document = source if isinstance(source, MarkdownDocument) else MarkdownDocument(source.encode("utf-8"))
    definitions = document.definitions

    def is_label(label: str) -> bool:
        return normalizeReference(label) in definitions

    found: list[Found] = []
    for block in document.blocks:
        if block.region is Region.INLINE:
            found.extend(markdown_images(document.text, block.start, block.end, is_label))
        elif block.region is Region.HTML:
            found.extend(html_images(document.text, block.start, block.end))
    links: list[ImageLink] = []
    headings = sorted(document.headings, key=lambda heading: heading.offset)
    path: tuple[Heading, ...] = ()
    passed = 0
    for image in sorted(found, key=lambda item: item.offset):
        while passed < len(headings) and headings[passed].offset < image.offset:
            level = headings[passed].level
            path = (*(h for h in path if h.level < level), headings[passed])
            passed += 1
        alt = readable(image.alt.encode("latin-1"))
        if image.kind == "reference":
            definition = definitions[normalizeReference(image.label)]
            start, end = definition.start, definition.end
            label: str | None = readable(image.label.encode("latin-1"))
        else:
            start, end, label = image.target_start, image.target_end, None
        # The column of the target as written: at its `<` when it is bracketed (`![alt](<a b.png>)`).
        written = start - 1 if image.kind != "html" and document.text[start - 1:start] == "<" else start
        line_start = document.line_starts[document.line_of(written) - 1]
        column = len(document.readable(line_start, written))
        links.append(ImageLink(document.line_of(image.offset), alt, _target(document, start, end, image.kind == "html"),
                               start, end, path, label, column))
    return links


_SKIPPED = frozenset({".venv", "venv", "node_modules", ".git", "tools", "build", ".tox", ".mypy_cache",
                      ".pytest_cache"})


def markdown_files(root: Path, paths: list[Path]) -> list[Path]:
    """The given .md files and the .md files under given folders; default: the whole project.

    Tool and hidden folders are never entered (``tools/node_modules`` alone holds thousands of files). A
    file reached through a symlink out of that folder and the project is skipped: only a file named on the
    command line is read wherever it is.
    """
    found: list[Path] = []
    for base in paths or [root]:
        if base.is_file():
            found.append(base)
            continue
        inside = (root.resolve(), base.resolve())
        for folder, subfolders, files in os.walk(base):
            subfolders[:] = sorted(name for name in subfolders if name not in _SKIPPED and not name.startswith("."))
            for name in files:
                candidate = Path(folder) / name
                if name.endswith(".md") and candidate.is_file() and \
                        any(candidate.resolve().is_relative_to(place) for place in inside):
                    found.append(candidate)
    return sorted(set(found))
