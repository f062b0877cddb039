"""The PNG writer: what it writes decodes to exactly the canvas's pixels and palette, in the same bytes everywhere."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest
from PIL import Image, ImageDraw

from diagram_dsl.renderers.native.png_encode import encode_png


def _sample(size: tuple[int, int], colours: int) -> tuple[Image.Image, list[int]]:
    image = Image.new("P", size, 0)
    pen = ImageDraw.Draw(image)
    for index in range(1, colours):
        pen.line(((index * 7) % size[0], 0, (index * 13) % size[0], size[1] - 1), fill=index)
    pen.rectangle((0, 0, size[0] // 3, size[1] // 4), fill=colours - 1)
    palette = [channel for index in range(colours) for channel in ((index * 37) % 256, (index * 91) % 256, index)]
    return image, palette


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks.append((kind, body))
        at += 12 + length
    return chunks


@pytest.mark.parametrize(("size", "colours"), [((1, 1), 1), ((1, 40), 2), ((333, 7), 100), ((640, 480), 256)])
def test_png_decodes_to_the_same_pixels_and_palette(size: tuple[int, int], colours: int) -> None:
    image, palette = _sample(size, colours)
    with Image.open(io.BytesIO(encode_png(image, palette))) as decoded:
        assert decoded.mode == "P"
        assert decoded.size == size
        assert decoded.tobytes() == image.tobytes()
        assert decoded.getpalette()[:len(palette)] == palette


def test_png_holds_one_palette_image_with_unfiltered_scanlines() -> None:
    image, palette = _sample((50, 20), 9)
    chunks = _chunks(encode_png(image, palette))
    assert [kind for kind, _ in chunks] == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]
    assert struct.unpack(">IIBBBBB", chunks[0][1]) == (50, 20, 8, 3, 0, 0, 0)
    assert chunks[1][1] == bytes(palette)
    raw = zlib.decompress(chunks[2][1])
    rows = [raw[row * 51:(row + 1) * 51] for row in range(20)]
    assert all(row[0] == 0 for row in rows)  # filter "none": the compressor alone decides the size
    assert b"".join(row[1:] for row in rows) == image.tobytes()


def test_png_bytes_are_the_same_on_every_machine() -> None:
    """A digest recorded with the pinned zlib-ng: a machine or a drifted pin that compresses differently fails here
    instead of silently changing every committed PNG."""
    image, palette = _sample((640, 480), 256)
    digest = hashlib.sha256(encode_png(image, palette)).hexdigest()
    assert digest == "41067babf0353f07fbde0aac772c6b7affba4d589d18f1d5b5fc47c2c4375550"
