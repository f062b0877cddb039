"""The Pillow canvas: a ``Layout`` to PNG bytes at any ``scale``."""

from __future__ import annotations

import functools
import io
import math
from typing import cast

from PIL import Image, ImageDraw

from renderers.native.canvas import dash_segments
from renderers.native.draw import draw
from renderers.native.fonts import pil_font
from renderers.native.scene import Layout, Point, Rect, Stroke
from renderers.native.text import TextStyle

MAX_PIXELS = 400_000_000  # refuse absurd sizes instead of exhausting memory


class PillowCanvas:
    def __init__(self, width: float, height: float, background: str, scale: float) -> None:
        self.scale = scale
        size = (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale)))
        if size[0] * size[1] > MAX_PIXELS:
            raise ValueError(f"image of {size[0]}x{size[1]} px is too large; lower --scale")
        self.image = Image.new("RGB", size, background)
        self.pen = ImageDraw.Draw(self.image)

    def _xy(self, point: Point) -> tuple[float, float]:
        return (point[0] * self.scale, point[1] * self.scale)

    def _width(self, stroke: Stroke) -> int:
        return max(1, round(stroke.width * self.scale))

    def _box(self, rect: Rect) -> tuple[float, float, float, float]:
        s = self.scale
        return (rect.x * s, rect.y * s, rect.right * s, rect.bottom * s)

    def rect(self, rect: Rect, fill: str | None, stroke: Stroke | None, radius: float) -> None:
        if stroke is not None and stroke.dash:
            self.pen.rectangle(self._box(rect), fill=fill)
            corners = ((rect.x, rect.y), (rect.right, rect.y), (rect.right, rect.bottom), (rect.x, rect.bottom),
                       (rect.x, rect.y))
            self.polyline(corners, stroke)
            return
        outline = stroke.color if stroke else None
        width = self._width(stroke) if stroke else 0
        if radius > 0:
            self.pen.rounded_rectangle(self._box(rect), radius * self.scale, fill=fill, outline=outline, width=width)
        else:
            self.pen.rectangle(self._box(rect), fill=fill, outline=outline, width=width)

    def polyline(self, points: tuple[Point, ...], stroke: Stroke) -> None:
        width = self._width(stroke)
        if stroke.dash and len(points) == 2 and self._straight_dash(points, stroke, width):
            return
        if stroke.dash:
            for start, end in dash_segments(points, stroke.dash):
                self.pen.line((self._xy(start), self._xy(end)), fill=stroke.color, width=width)
            return
        self.pen.line([self._xy(p) for p in points], fill=stroke.color, width=width, joint="curve")

    def _straight_dash(self, points: tuple[Point, ...], stroke: Stroke, width: int) -> bool:
        """Dashed vertical or horizontal lines (lifelines, separators) pasted through a cached dash mask.

        Drawing each dash as its own line costs a Python call per dash; a long
        lifeline has hundreds. Returns False for any other line.
        """
        (x0, y0), (x1, y1) = self._xy(points[0]), self._xy(points[1])
        vertical = abs(x0 - x1) < 1e-6
        if not vertical and abs(y0 - y1) > 1e-6:
            return False
        start, stop = (min(y0, y1), max(y0, y1)) if vertical else (min(x0, x1), max(x0, x1))
        length = round(stop) - round(start)
        if length <= 0:
            return True
        across = round(x0 if vertical else y0) - width // 2
        mask = _dash_mask(stroke.dash, self.scale, width, length, vertical)
        box = (across, round(start)) if vertical else (round(start), across)
        self.image.paste(stroke.color, box, mask)
        return True

    def polygon(self, points: tuple[Point, ...], fill: str | None, stroke: Stroke | None) -> None:
        scaled = [self._xy(p) for p in points]
        self.pen.polygon(scaled, fill=fill, outline=stroke.color if stroke else None,
                         width=self._width(stroke) if stroke else 0)

    def ellipse(self, rect: Rect, fill: str | None, stroke: Stroke | None) -> None:
        self.pen.ellipse(self._box(rect), fill=fill, outline=stroke.color if stroke else None,
                         width=self._width(stroke) if stroke else 0)

    def text(self, x: float, baseline: float, text: str, style: TextStyle, width: float) -> None:
        # Glyphs are rasterised once and pasted: FreeType per line costs ~4x more, and with
        # the basic layout (no kerning, whole-pixel advances) the result is the same pixels.
        size = max(1, round(style.size * self.scale))
        pen_x, pen_y = self._xy((x, baseline))
        pen, top = round(pen_x), round(pen_y)
        for char in text:
            mask, left, rise, advance = _glyph(char, size, style.weight)
            if mask is not None:
                self.image.paste(style.color, (pen + left, top + rise), mask)
            pen += advance


@functools.lru_cache(maxsize=8192)
def _glyph(char: str, size: int, weight: int) -> tuple[Image.Image | None, int, int, int]:
    """A glyph's coverage mask, its offset from the pen on the baseline, and its advance."""
    font = pil_font(size, weight)
    advance = round(font.getlength(char))
    left, top, right, bottom = (round(v) for v in font.getbbox(char, anchor="ls"))
    if right <= left or bottom <= top:
        return None, 0, 0, advance
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), char, font=font, fill=255, anchor="ls")
    return mask, left, top, advance


@functools.lru_cache(maxsize=64)
def _dash_strip(dash: tuple[float, ...], scale: float, width: int, length: int) -> Image.Image:
    strip = Image.new("L", (width, length), 0)
    pen = ImageDraw.Draw(strip)
    for (_, a), (_, b) in dash_segments(((0.0, 0.0), (0.0, length / scale)), dash):
        pen.rectangle((0, round(a * scale), width - 1, max(round(a * scale), round(b * scale) - 1)), fill=255)
    return strip


def _dash_mask(dash: tuple[float, ...], scale: float, width: int, length: int, vertical: bool) -> Image.Image:
    cached = 1 << max(10, (length - 1).bit_length())  # one strip per power of two, cropped to size
    strip = _dash_strip(dash, scale, width, cached).crop((0, 0, width, length))
    return strip if vertical else strip.transpose(Image.Transpose.ROTATE_90)


def render_png(layout: Layout, scale: float = 1.0) -> bytes:
    canvas = PillowCanvas(layout.width, layout.height, layout.background, scale)
    draw(layout, canvas)
    out = io.BytesIO()
    _palettised(canvas.image).save(out, format="PNG", compress_level=3)
    return out.getvalue()


def _palettised(image: Image.Image) -> Image.Image:
    """The image with its 256 most frequent colours as an exact palette (others snap to the nearest).

    A diagram is flat fills plus anti-aliased text, so the frequent colours are the
    theme's own and nothing visible changes; one byte per pixel compresses about five
    times faster and smaller than RGB. Ties are broken by colour, so the result is deterministic.
    """
    counted = image.getcolors(_MAX_COUNTED_COLOURS)
    if counted is None:
        return image
    ranked = sorted(counted, key=lambda entry: (-entry[0], entry[1]))[:256]
    flat = [channel for _, colour in ranked for channel in cast(tuple[int, int, int], colour)]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat + [0] * (768 - len(flat)))
    return image.quantize(palette=palette, dither=Image.Dither.NONE)


_MAX_COUNTED_COLOURS = 16384
