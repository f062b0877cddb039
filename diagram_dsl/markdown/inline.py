"""Images inside Markdown text and HTML, each with the exact byte span of its target.

Scans a region of a :class:`~diagram_dsl.markdown.document.MarkdownDocument` left to right, the way
CommonMark reads inline content: a backslash escapes the next punctuation character, code spans and
HTML comments are skipped whole (nothing in them is a link), autolinks and other HTML tags too. What is
left are ``![alt](target)``, ``![alt][ref]`` / ``![alt][]`` / ``![ref]`` and ``<img src=...>`` (any
quoting, any case, across lines).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>|<[\w.!#$%&'*+/=?^`{|}~\-]+@[\w.\-]+>")
# One attribute of an HTML tag, as CommonMark defines it: a name, then maybe `=` and a value in any quoting.
_ATTRIBUTE = re.compile(r"\s+(?P<name>[A-Za-z_:][\w.:\-]*)"
                        r"(?:\s*=\s*(?:\"(?P<double>[^\"]*)\"|'(?P<single>[^']*)'|(?P<bare>[^\s\"'=<>`]+)))?")
_ANY_ATTRIBUTE = re.sub(r"\?P<\w+>", "", _ATTRIBUTE.pattern)  # the same, without group names
_OPEN_TAG = re.compile(rf"<(?P<tag>[A-Za-z][A-Za-z0-9\-]*)(?P<attributes>(?:{_ANY_ATTRIBUTE})*)\s*/?>")
_CLOSING_TAG = re.compile(r"</[A-Za-z][A-Za-z0-9\-]*\s*>")
# Tags whose content is not HTML: an <img> written inside them is text.
_RAW_TEXT = ("script", "style", "textarea")


@dataclass(frozen=True)
class Found:
    """One image as written: ``kind`` is "inline", "reference" or "html"."""

    kind: str
    offset: int  # where the image starts
    alt: str  # Latin-1 text, as in the document
    target_start: int  # the target's bytes (for "reference": the label's, resolved by the caller)
    target_end: int
    label: str = ""  # the reference label of a reference image


def _code_span_end(text: str, position: int, end: int) -> int:
    """After a backtick run at ``position``: the end of the code span it opens, or of the run if unclosed."""
    run_end = position
    while run_end < end and text[run_end] == "`":
        run_end += 1
    width = run_end - position
    search = run_end
    while True:
        found = text.find("`" * width, search, end)
        if found < 0:
            return run_end  # no closing run: the backticks are text
        after = found + width
        if (after >= end or text[after] != "`") and text[found - 1] != "`":
            return after
        while after < end and text[after] == "`":
            after += 1
        search = after


def _bracket_end(text: str, position: int, end: int) -> int | None:
    """``position`` is at ``[``: the offset just after its matching ``]`` (escapes and code spans honoured)."""
    depth = 0
    index = position
    while index < end:
        char = text[index]
        if char == "\\" and index + 1 < end and text[index + 1] in _PUNCTUATION:
            index += 2
            continue
        if char == "`":
            index = _code_span_end(text, index, end)
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return None


def _skip_space(text: str, position: int, end: int) -> int | None:
    """Spaces, tabs and at most one line break; None if a blank line comes first."""
    breaks = 0
    while position < end and text[position] in " \t\r\n":
        if text[position] == "\n" or (text[position] == "\r" and text[position + 1:position + 2] != "\n"):
            breaks += 1
            if breaks > 1:
                return None
        position += 1
    return position


def _destination(text: str, position: int, end: int) -> tuple[int, int, int] | None:
    """An inline link's ``(target start, target end, position after the closing parenthesis)``."""
    start = _skip_space(text, position, end)
    if start is None or start >= end:
        return None
    if text[start] == "<":
        index = start + 1
        while index < end and text[index] not in "<>\r\n":
            index += 2 if text[index] == "\\" and index + 1 < end else 1
        if index >= end or text[index] != ">":
            return None
        target = (start + 1, index)
        index += 1
    else:
        index, depth = start, 0
        while index < end:
            char = text[index]
            if char == "\\" and index + 1 < end and text[index + 1] in _PUNCTUATION:
                index += 2
                continue
            if char <= " " or char == "\x7f":
                break
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            index += 1
        if depth != 0:
            return None
        target = (start, index)
    after = _skip_space(text, index, end)
    if after is None or after >= end:
        return None
    if text[after] in "\"'(" and after > index:
        closing = ")" if text[after] == "(" else text[after]
        index = after + 1
        while index < end and text[index] != closing:
            index += 2 if text[index] == "\\" else 1
        if index >= end:
            return None
        after = _skip_space(text, index + 1, end)
        if after is None or after >= end:
            return None
    if text[after] != ")":
        return None
    return target[0], target[1], after + 1


def _image(text: str, position: int, end: int, is_label: Callable[[str], bool]) -> tuple[Found, int] | None:
    """``position`` is at ``![``: the image found there and the offset after it, if it is one."""
    alt_end = _bracket_end(text, position + 1, end)
    if alt_end is None:
        return None
    alt = text[position + 2:alt_end - 1]
    if alt_end < end and text[alt_end] == "(":
        destination = _destination(text, alt_end + 1, end)
        if destination is not None:
            target_start, target_end, after = destination
            return Found("inline", position, alt, target_start, target_end), after
    if alt_end < end and text[alt_end] == "[":
        label_end = _bracket_end(text, alt_end, end)
        if label_end is not None:
            label = text[alt_end + 1:label_end - 1] or alt  # `![alt][]` uses the alt text as the label
            if is_label(label):
                return Found("reference", position, alt, alt_end + 1, label_end - 1, label), label_end
            return None
    if is_label(alt):  # the shortcut form: `![label]`
        return Found("reference", position, alt, position + 2, alt_end - 1, alt), alt_end
    return None


def _html_image(text: str, match: re.Match[str]) -> Found | None:
    if match.group("tag").lower() != "img":
        return None
    values: dict[str, tuple[str, int, int]] = {}
    position, end = match.start("attributes"), match.end("attributes")
    while (attribute := _ATTRIBUTE.match(text, position, end)) is not None:
        position = attribute.end()
        group = next((name for name in ("double", "single", "bare") if attribute.group(name) is not None), None)
        if group is not None:  # the first of a repeated attribute counts, as in browsers
            values.setdefault(attribute.group("name").lower(),
                              (attribute.group(group), attribute.start(group), attribute.end(group)))
    if "src" not in values:
        return None
    _, start, end = values["src"]
    return Found("html", match.start(), values.get("alt", ("", 0, 0))[0], start, end)


def _html_at(text: str, position: int, end: int) -> tuple[Found | None, int] | None:
    """``position`` is at ``<``: a comment, autolink or tag to skip whole (an <img> is also returned)."""
    if text.startswith("<!--", position):
        comment_end = text.find("-->", position + 4, end)
        return (None, comment_end + 3) if comment_end >= 0 else None
    for pattern in (_AUTOLINK, _CLOSING_TAG):
        match = pattern.match(text, position, end)
        if match:
            return None, match.end()
    tag = _OPEN_TAG.match(text, position, end)
    if tag is None:
        return None
    name = tag.group("tag").lower()
    if name in _RAW_TEXT:
        closing = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, tag.end(), end)
        return None, closing.end() if closing else end
    return _html_image(text, tag), tag.end()


def markdown_images(text: str, start: int, end: int, is_label: Callable[[str], bool]) -> Iterator[Found]:
    """Images in paragraph or heading text between ``start`` and ``end``."""
    index = start
    while index < end:
        char = text[index]
        if char == "\\" and index + 1 < end and text[index + 1] in _PUNCTUATION:
            index += 2
        elif char == "`":
            index = _code_span_end(text, index, end)
        elif char == "<":
            html = _html_at(text, index, end)
            if html is None:
                index += 1
                continue
            found, index = html
            if found is not None:
                yield found
        elif char == "!" and text.startswith("[", index + 1):
            image = _image(text, index, end, is_label)
            if image is None:
                index += 2
                continue
            found, index = image
            yield found
        else:
            index += 1


def html_images(text: str, start: int, end: int) -> Iterator[Found]:
    """``<img>`` tags in an HTML block between ``start`` and ``end`` (comments and script/style skipped)."""
    index = text.find("<", start, end)
    while 0 <= index < end:
        html = _html_at(text, index, end)
        if html is None:
            index = text.find("<", index + 1, end)
            continue
        found, after = html
        if found is not None:
            yield found
        index = text.find("<", after, end)
