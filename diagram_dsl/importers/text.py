"""Label text as each language writes it, turned back into the plain text the model holds."""

from __future__ import annotations

import html
import re

_PLANTUML_ESCAPE = re.compile(r"\\(.)|<U\+([0-9A-Fa-f]{4,6})>|&#(\d+);|&#[xX]([0-9A-Fa-f]+);")
_PLANTUML_SIMPLE = {"n": "\n", "t": "\t", "\\": "\\"}


def plantuml_text(raw: str) -> str:
    r"""``\n`` is a line break, ``\\`` a backslash; ``<U+hhhh>`` and ``&#nnn;`` are characters."""
    text = raw.strip()
    if "\\" not in text and "<U+" not in text and "&#" not in text:
        return text  # most labels hold no escape at all: no pattern to run

    def one(match: re.Match[str]) -> str:
        escaped, codepoint, decimal, hexadecimal = match.groups()
        if escaped is not None:
            return _PLANTUML_SIMPLE.get(escaped, match.group(0))
        number = int(codepoint, 16) if codepoint else int(decimal) if decimal else int(hexadecimal, 16)
        return chr(number) if 0 < number <= 0x10FFFF else match.group(0)

    return _PLANTUML_ESCAPE.sub(one, text)


def unquote(token: str) -> str:
    """A PlantUML name or label, with surrounding double quotes removed."""
    token = token.strip()
    if len(token) >= 2 and token[0] == token[-1] == '"':
        return token[1:-1]
    return token


_MERMAID_ENTITY = re.compile(r"#(\d+|[A-Za-z][A-Za-z0-9]*);")
_MERMAID_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ENTITY_END = re.compile(r"#(\d+|[A-Za-z][A-Za-z0-9]*);$")


def mermaid_entity(match: re.Match[str]) -> str:
    code = match.group(1)
    if code.isdigit():
        number = int(code)
        return chr(number) if 0 < number <= 0x10FFFF else match.group(0)
    decoded = html.unescape(f"&{code};")
    return match.group(0) if decoded == f"&{code};" else decoded


def mermaid_text(raw: str) -> str:
    """``#9829;``/``#infin;`` entity codes are characters and ``<br>``/``<br/>`` a line break."""
    text = raw.strip()
    if "<" not in text and "#" not in text:
        return text  # most labels hold neither a break nor an entity code: no pattern to run
    # Breaks first: an entity-coded ``#lt;br/#gt;`` is the literal text "<br/>", not a break.
    lines = _MERMAID_BREAK.split(text)
    return "\n".join(_MERMAID_ENTITY.sub(mermaid_entity, line) for line in lines)


def split_mermaid_statements(line: str) -> list[str]:
    """Mermaid ends a statement at ``;`` too, except the ``;`` that closes an entity code like ``#59;``."""
    if ";" not in line:
        return [line]
    parts: list[str] = []
    start = 0
    for match in re.finditer(r";", line):
        before = line[start:match.start() + 1]
        if _ENTITY_END.search(before):
            continue
        parts.append(line[start:match.start()])
        start = match.end()
    parts.append(line[start:])
    return parts


# CSS named colours: Mermaid takes a box's first word as its colour only when it is one of these.
_CSS_COLOR_WORDS = """
aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood
cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray
darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue
firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew
hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray
lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue
mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise mediumvioletred
midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid
palegoldenrod palegreen paleturquoise palevioletred papayawhip peru pink plum powderblue purple rebeccapurple red
rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray
slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow
yellowgreen transparent
"""
CSS_COLORS = frozenset(_CSS_COLOR_WORDS.split())


def css_rgb_to_hex(color: str) -> str:
    """``rgb(232, 240, 254)`` -> ``#E8F0FE`` (the model's spelling); other colours unchanged."""
    match = re.fullmatch(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*(1(?:\.0*)?)\s*)?\)", color.strip())
    if match is None or any(int(channel) > 255 for channel in match.groups()[:3]):
        return color
    return "#{:02X}{:02X}{:02X}".format(*(int(channel) for channel in match.groups()[:3]))


def plantuml_color(token: str) -> str:
    """``#E8F0FE`` stays as written; a named colour loses its ``#`` (``#LightBlue`` -> ``LightBlue``)."""
    bare = token.lstrip("#")
    return f"#{bare}" if re.fullmatch(r"[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8}", bare) else bare
