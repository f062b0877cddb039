"""The pinned font: Inter 4.1, shipped by the ``fontpkg-inter`` wheel (OFL-1.1).

Output must be byte-identical on every machine, so the renderer never looks at
system fonts. Inter covers Latin-1, Latin Extended-A/B, Greek, Cyrillic and the
common symbols (é ü ß € — → ✓ …). Characters the font lacks (emoji, rare
scripts) are replaced before measuring, so no missing-glyph box is ever drawn.
"""

from __future__ import annotations

import functools
import struct
import unicodedata
from pathlib import Path

import fontpkg_inter  # type: ignore[import-untyped]
from PIL import ImageFont

FONT_NAME = "Inter"
FONT_VERSION = "4.1"
REPLACEMENT = "?"
FONT_FILE = "Inter[opsz,wght].ttf"


def font_path() -> Path:
    path = Path(fontpkg_inter.ROOT) / "files" / FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; reinstall the project (pip install -e .)")
    return path


@functools.cache
def covered_codepoints() -> frozenset[int]:
    """Code points the font maps to a glyph, read from its ``cmap`` table (formats 4 and 12)."""
    return _read_cmap(font_path().read_bytes())


def displayable(text: str) -> str:
    """``text`` with tabs as spaces, control characters dropped and unsupported characters replaced."""
    covered = covered_codepoints()
    out: list[str] = []
    for char in text:
        if char == "\t":
            out.append(" ")
        elif ord(char) in covered or char == "\n":
            out.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") or char == "\u00ad":
            continue
        else:
            folded = unicodedata.normalize("NFKC", char)
            out.append(folded if folded != char and all(ord(c) in covered for c in folded) else REPLACEMENT)
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


@functools.cache
def pil_font(size: int, weight: int) -> ImageFont.FreeTypeFont:
    """Inter at ``size`` px and ``weight`` (100-900), laid out without raqm so every machine shapes alike."""
    font = ImageFont.truetype(str(font_path()), size, layout_engine=ImageFont.Layout.BASIC)
    if weight != _DEFAULT_WEIGHT:
        font.set_variation_by_axes([_OPTICAL_SIZE, weight])
    return font


_DEFAULT_WEIGHT = 400
_OPTICAL_SIZE = 14
