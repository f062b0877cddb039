"""A minimal WOFF2 encoder: every table stored untransformed ("null transform"), one brotli stream.

The SVG canvas embeds a font subset per drawing. fontTools' encoder spends most of its time rebuilding
the ``glyf`` table in Python for the optional glyf transform, which saves little on a subset of a few
dozen glyphs; storing tables as they are keeps a subset to a millisecond or two and the bytes
deterministic for a pinned brotli. Layout: WOFF File Format 2.0 (W3C Recommendation), sections 3-5.
"""

from __future__ import annotations

import struct

import brotli

SIGNATURE = 0x774F4632  # "wOF2"
QUALITY = 5  # brotli effort: 11 makes subsets ~7% smaller and costs ~100x the time

# Table tags with a one-byte code (WOFF2 section 5.1, "known table tags"), index = code.
KNOWN_TAGS = (
    "cmap", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post", "cvt ", "fpgm", "glyf", "loca", "prep", "CFF ",
    "VORG", "EBDT", "EBLC", "gasp", "hdmx", "kern", "LTSH", "PCLT", "VDMX", "vhea", "vmtx", "BASE", "GDEF", "GPOS",
    "GSUB", "EBSC", "JSTF", "MATH", "CBDT", "CBLC", "COLR", "CPAL", "SVG ", "sbix", "acnt", "avar", "bdat", "bloc",
    "bsln", "cvar", "fdsc", "feat", "fmtx", "fvar", "gvar", "hsty", "just", "lcar", "mort", "morx", "opbd", "prop",
    "trak", "Zapf", "Silf", "Glat", "Gloc", "Feat", "Sill",
)
_NULL_TRANSFORM = {"glyf": 3 << 6, "loca": 3 << 6}  # for these two, version 0 would mean "transformed"


def base128(value: int) -> bytes:
    """UIntBase128: big-endian groups of seven bits, the high bit set on all but the last byte."""
    if value < 0 or value >= 1 << 32:
        raise ValueError(f"{value} does not fit a UIntBase128")
    groups = [value & 0x7F]
    value >>= 7
    while value:
        groups.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(groups))


def sfnt_tables(sfnt: bytes) -> tuple[int, list[tuple[str, bytes]]]:
    """The sfnt version and its tables as (tag, data), sorted by tag."""
    flavor, count = struct.unpack_from(">IH", sfnt, 0)
    tables = []
    for index in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", sfnt, 12 + 16 * index)
        tables.append((tag.decode("latin-1"), sfnt[offset:offset + length]))
    return flavor, sorted(tables)


def encode_woff2(sfnt: bytes) -> bytes:
    """A TrueType/OpenType font (bytes of an sfnt) as a WOFF2 file."""
    flavor, tables = sfnt_tables(sfnt)
    directory = bytearray()
    for tag, data in tables:
        code = KNOWN_TAGS.index(tag) if tag in KNOWN_TAGS else 63
        directory.append(code | _NULL_TRANSFORM.get(tag, 0))
        if code == 63:
            directory += tag.encode("latin-1")
        directory += base128(len(data))
    stream = brotli.compress(b"".join(data for _, data in tables), mode=brotli.MODE_FONT, quality=QUALITY)
    sfnt_size = 12 + 16 * len(tables) + sum((len(data) + 3) & ~3 for _, data in tables)
    body = bytes(directory) + stream
    length = 48 + len(body)
    padding = -length % 4
    header = struct.pack(">IIIHHIIHHIIIII", SIGNATURE, flavor, length + padding, len(tables), 0, sfnt_size,
                         len(stream), 1, 0, 0, 0, 0, 0, 0)
    return bytes(header + body + b"\0" * padding)
