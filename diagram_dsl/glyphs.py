"""Which characters the pinned fonts can draw: the fonts, their coverage, and the text as it will be drawn.

No drawing here and no heavy import (only the fonts' ``cmap`` tables are read, on first use), so the
validator can ask ``undrawable`` about every label without loading the renderer.

The fonts come from exactly pinned ``fontpkg-*`` wheels (OFL-1.1): Inter 4.1 for text, Heebo for
Hebrew and Noto Sans Arabic for Arabic. Inter covers Latin-1, Latin Extended-A/B, Greek, Cyrillic and
the common symbols (é ü ß € — → ✓ …); a character Inter lacks is drawn from the first fallback that
has it. A character no pinned font has (CJK, emoji, rare scripts) is drawn as ``REPLACEMENT`` and
reported (SEQ171 at the label's line), never replaced silently.
"""

from __future__ import annotations

import functools
import importlib
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PinnedFont:
    family: str  # the family name the SVG uses for the embedded subset
    package: str  # the fontpkg module that ships the file
    file: str
    version: str
    covers: str  # what it is here for


FONTS = (
    PinnedFont("Inter", "fontpkg_inter", "Inter[opsz,wght].ttf", "4.1", "Latin, Greek, Cyrillic, symbols"),
    PinnedFont("Heebo", "fontpkg_heebo", "Heebo[wght].ttf", "3.100", "Hebrew"),
    PinnedFont("Noto Sans Arabic", "fontpkg_noto_sans_arabic", "NotoSansArabic[wdth,wght].ttf", "2.12", "Arabic"),
)
PRIMARY = 0  # index of Inter in FONTS
FONT_NAME = FONTS[PRIMARY].family
FONT_VERSION = FONTS[PRIMARY].version
FONT_FILE = FONTS[PRIMARY].file
REPLACEMENT = "\u25a1"  # WHITE SQUARE, the conventional "no glyph" box, drawn for undrawable characters
OPTICAL_SIZE = 14.0  # Inter's opsz for body text; every weight is drawn at it
DEFAULT_WEIGHT = 400
_DROPPED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})  # controls, format, surrogates, private use, unassigned


def font_path(index: int = PRIMARY) -> Path:
    font = FONTS[index]
    path = Path(importlib.import_module(font.package).ROOT) / "files" / font.file
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; reinstall the project (pip install -e .)")
    return path


@functools.cache
def font_bytes(index: int = PRIMARY) -> bytes:
    return font_path(index).read_bytes()


@functools.cache
def covered_codepoints(index: int = PRIMARY) -> frozenset[int]:
    """Code points a font maps to a glyph, read from its ``cmap`` table (formats 4 and 12)."""
    return _read_cmap(font_bytes(index))


@functools.cache
def _all_covered() -> frozenset[int]:
    return frozenset().union(*(covered_codepoints(index) for index in range(len(FONTS))))


@functools.lru_cache(maxsize=4096)
def font_for(char: str) -> int | None:
    """The index in ``FONTS`` of the first font that draws ``char``; None when none does."""
    code = ord(char)
    for index in range(len(FONTS)):
        if code in covered_codepoints(index):
            return index
    return None


def _dropped(char: str) -> bool:
    return unicodedata.category(char) in _DROPPED or char == "\u00ad"


def undrawable(text: str) -> str:
    """The characters of ``text`` that no pinned font can draw, each once, in order of appearance.

    Controls and invisible format characters are not listed: they are dropped, never drawn. A
    character whose compatibility form (NFKC) is drawable, e.g. a full-width letter, is not listed either.
    """
    if text.isascii():
        return ""
    text = unicodedata.normalize("NFC", text)
    primary = covered_codepoints(PRIMARY)
    if all(ord(char) in primary for char in text):
        return ""
    covered = _all_covered()
    found: dict[str, None] = {}
    for char in text:
        if ord(char) in covered or char in found or char in "\t\n" or _dropped(char):
            continue
        if _folded(char, covered) is None:
            found[char] = None
    return "".join(found)


def _folded(char: str, covered: frozenset[int]) -> str | None:
    folded = unicodedata.normalize("NFKC", char)
    return folded if folded != char and all(ord(c) in covered for c in folded) else None


def displayable(text: str) -> str:
    """``text`` as drawn: NFC, tabs as spaces, controls dropped, characters no pinned font has as ``REPLACEMENT``."""
    if text.isascii() and text.isprintable():
        return text
    text = unicodedata.normalize("NFC", text)
    if text.isprintable() and all(ord(char) in covered_codepoints(PRIMARY) for char in text):
        return text  # Inter has it all: the fallback fonts are not even read
    covered = _all_covered()
    out: list[str] = []
    for char in text:
        if char == "\t":
            out.append(" ")
        elif ord(char) in covered or char == "\n":
            out.append(char)
        elif not _dropped(char):
            out.append(_folded(char, covered) or REPLACEMENT)
    return "".join(out)


def _read_cmap(data: bytes) -> frozenset[int]:
    (num_tables,) = struct.unpack_from(">H", data, 4)
    cmap_offset = 0
    for index in range(num_tables):
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        if tag == b"cmap":
            cmap_offset = offset
    if not cmap_offset:
        raise ValueError("font has no cmap table")
    (_version, subtables) = struct.unpack_from(">HH", data, cmap_offset)
    best: tuple[int, int] | None = None  # (format, absolute offset)
    for index in range(subtables):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap_offset + 4 + 8 * index)
        if platform in (0, 3) and encoding in (1, 3, 4, 10):
            (fmt,) = struct.unpack_from(">H", data, cmap_offset + offset)
            if fmt in (4, 12) and (best is None or fmt > best[0]):
                best = (fmt, cmap_offset + offset)
    if best is None:
        raise ValueError("font has no Unicode cmap subtable")
    fmt, start = best
    return _format12(data, start) if fmt == 12 else _format4(data, start)


def _format12(data: bytes, start: int) -> frozenset[int]:
    (groups,) = struct.unpack_from(">I", data, start + 12)
    points: set[int] = set()
    for index in range(groups):
        first, last, _glyph = struct.unpack_from(">III", data, start + 16 + 12 * index)
        points.update(range(first, last + 1))
    return frozenset(points)


def _format4(data: bytes, start: int) -> frozenset[int]:
    (seg_x2,) = struct.unpack_from(">H", data, start + 6)
    segments = seg_x2 // 2
    ends = struct.unpack_from(f">{segments}H", data, start + 14)
    starts = struct.unpack_from(f">{segments}H", data, start + 16 + seg_x2)
    deltas = struct.unpack_from(f">{segments}h", data, start + 16 + 2 * seg_x2)
    range_base = start + 16 + 3 * seg_x2
    range_offsets = struct.unpack_from(f">{segments}H", data, range_base)
    points: set[int] = set()
    for seg in range(segments):
        for code in range(starts[seg], ends[seg] + 1):
            if code == 0xFFFF:
                continue
            if range_offsets[seg] == 0:
                glyph = (code + deltas[seg]) & 0xFFFF
            else:
                address = range_base + 2 * seg + range_offsets[seg] + 2 * (code - starts[seg])
                (glyph,) = struct.unpack_from(">H", data, address)
                glyph = (glyph + deltas[seg]) & 0xFFFF if glyph else 0
            if glyph:
                points.add(code)
    return frozenset(points)
