"""What a page asks for when it embeds a flow, read from a ```` ```diagram-dsl ```` block or directive options.

A block is ``key: value`` lines::

    flow: 4                      # a number, slug, <n>-<slug> stem, source file name or path
    theme: dark                  # light | dark (default: every theme the project draws)
    format: png                  # svg | png (default: the site's setting, svg)
    width: 640                   # pixels, or a percentage like 80%
    alt: Checkout with 3-D Secure  # default: the flow's description
    caption: The happy path      # optional

Every problem is an ``EmbedError`` naming the line it is on and what is allowed instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from diagram_dsl.errors import DiagramDslError
from diagram_dsl.project import PICTURE_FORMATS, THEMES

KEYS = ("flow", "theme", "format", "width", "alt", "caption")
_WIDTH = re.compile(r"^(?P<number>\d{1,5})(?P<unit>px|%)?$")
_LINE = re.compile(r"^(?P<key>[A-Za-z_-]+)\s*:\s*(?P<value>.*)$")


class EmbedError(DiagramDslError):
    """A page's request for a flow cannot be honoured; ``line_offset`` is the line inside the block (0 = first)."""

    def __init__(self, message: str, line_offset: int = 0, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.line_offset = line_offset


@dataclass(frozen=True)
class Embed:
    flow: str
    theme: str | None = None  # None: the project's themes (light and dark together when it draws both)
    format: str | None = None  # None: the site's default format
    width: str | None = None  # "640" (pixels) or "80%"
    alt: str | None = None
    caption: str | None = None
    flow_line: int = field(default=0, compare=False)  # offset of the ``flow:`` line inside a block

    def width_attributes(self) -> dict[str, str]:
        """HTML attributes for the width: ``width="640"`` or ``style="width: 80%"``; none when unset."""
        if self.width is None:
            return {}
        if self.width.endswith("%"):
            return {"style": f"width: {self.width}"}
        return {"width": self.width.removesuffix("px")}


def parse_block(text: str) -> Embed:
    """The ``key: value`` lines of a fenced block; blank lines and ``#`` comments are ignored."""
    values: dict[str, tuple[str, int]] = {}
    for offset, raw in enumerate(text.splitlines()):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            if not values and not line.startswith(("-", "{", "[")):
                values["flow"] = (line, offset)  # a bare first line names the flow: ```diagram-dsl\n4\n```
                continue
            raise EmbedError(f"cannot read {line!r}", offset, hint="write one `key: value` per line, e.g. `flow: 4`")
        key, value = match.group("key").lower().replace("_", "-"), match.group("value").strip()
        if key not in KEYS:
            raise EmbedError(f"unknown option {key!r}", offset, hint=f"known options: {', '.join(KEYS)}")
        if key in values:
            raise EmbedError(f"option {key!r} is given twice", offset)
        values[key] = (_unquoted(value), offset)
    if "flow" not in values:
        raise EmbedError("no flow named", 0, hint="add a line `flow: 4` (a number, slug or source file)")
    embed = make_embed({key: value for key, (value, _) in values.items()},
                       {key: offset for key, (_, offset) in values.items()})
    return replace(embed, flow_line=values["flow"][1])


def make_embed(values: dict[str, str], offsets: dict[str, int] | None = None) -> Embed:
    """An ``Embed`` from option values (a block's or a directive's), each checked."""
    offsets = offsets or {}

    def fail(key: str, message: str, hint: str = "") -> EmbedError:
        return EmbedError(f"{key}: {message}", offsets.get(key, 0), hint=hint)

    flow = values.get("flow", "").strip()
    if not flow:
        raise fail("flow", "is empty", hint="name the flow by number, slug or source file")
    theme = values.get("theme") or None
    if theme is not None and theme not in THEMES:
        raise fail("theme", f"{theme!r} is not a theme", hint=f"choose {' or '.join(THEMES)}")
    fmt = (values.get("format") or "").lower() or None
    if fmt is not None and fmt not in PICTURE_FORMATS:
        raise fail("format", f"{fmt!r} is not a picture format", hint=f"choose {' or '.join(PICTURE_FORMATS)}")
    width = (values.get("width") or "").replace(" ", "") or None
    if width is not None:
        match = _WIDTH.match(width)
        if match is None or int(match.group("number")) == 0 or (
                match.group("unit") == "%" and int(match.group("number")) > 100):
            raise fail("width", f"{width!r} is not a width", hint="write pixels (640) or a percentage (80%)")
    alt = values.get("alt")
    caption = values.get("caption")
    return Embed(flow, theme, fmt, width, alt if alt else None, caption if caption else None)


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
