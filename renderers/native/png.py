"""The Pillow canvas: a ``Layout`` to palette PNG bytes at any ``scale`` (colours exact, see png_palette)."""

from __future__ import annotations

import functools
import math
import os

from PIL import Image, ImageDraw
from PIL import _imaging as pillow_core

from diagram_dsl.renderers.native.canvas import dash_segments
from diagram_dsl.renderers.native.draw import draw
from diagram_dsl.renderers.native.png_encode import encode_png
from diagram_dsl.renderers.native.png_palette import (
    LEVELS,
    RGB,
    Palette,
    blend,
    covered_table,
    line_mask,
    rgb_of,
    step_table,
)
from diagram_dsl.renderers.native.png_smooth import Kind, frame, is_axis_aligned, layers, relative
from diagram_dsl.renderers.native.scene import Layout, Point, Rect, Stroke
from diagram_dsl.renderers.native.text import TextStyle

MAX_PIXELS = 400_000_000  # refuse absurd sizes instead of exhausting memory

# Pillow returns every freed image's memory at once by default, so each picture's canvas and its scanline copy
# come as fresh pages the kernel must map and zero: a fifth of a PNG's time. A few freed blocks (at most 16 MiB
# each) are kept for the next picture instead, unless the user chose a number (Pillow's PILLOW_BLOCKS_MAX).
KEPT_BLOCKS = 4
if "PILLOW_BLOCKS_MAX" not in os.environ and pillow_core.get_blocks_max() < KEPT_BLOCKS:
    pillow_core.set_blocks_max(KEPT_BLOCKS)


class PillowCanvas:
    def __init__(self, width: float, height: float, background: str, scale: float) -> None:
        self.scale = scale
        size = (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale)))
        if size[0] * size[1] > MAX_PIXELS:
            raise ValueError(f"image of {size[0]}x{size[1]} px is too large; lower --scale")
        self.palette = Palette(background)
        self.image = Image.new("P", size, 0)
        self.core = self.image.im  # Pillow's core image: pasted into directly, past Image's per-call checks
        self.pen = ImageDraw.Draw(self.image)
        self._levels: dict[tuple[str, RGB], tuple[int, ...]] = {}

    def _ink(self, colour: str | None) -> int | None:
        return None if colour is None else self.palette.index(colour)

    def _xy(self, point: Point) -> tuple[float, float]:
        return (point[0] * self.scale, point[1] * self.scale)

    def _width(self, stroke: Stroke) -> int:
        return max(1, round(stroke.width * self.scale))

    def _box(self, rect: Rect) -> tuple[float, float, float, float]:
        s = self.scale
        return (rect.x * s, rect.y * s, rect.right * s, rect.bottom * s)

    def rect(self, rect: Rect, fill: str | None, stroke: Stroke | None, radius: float) -> None:
        if stroke is not None and stroke.dash:
            self.pen.rectangle(self._box(rect), fill=self._ink(fill))
            corners = ((rect.x, rect.y), (rect.right, rect.y), (rect.right, rect.bottom), (rect.x, rect.bottom),
                       (rect.x, rect.y))
            self.polyline(corners, stroke)
            return
        outline = self._ink(stroke.color) if stroke else None
        width = self._width(stroke) if stroke else 0
        if radius > 0:
            self.pen.rounded_rectangle(self._box(rect), radius * self.scale, fill=self._ink(fill), outline=outline,
                                       width=width)
        else:
            self.pen.rectangle(self._box(rect), fill=self._ink(fill), outline=outline, width=width)

    def polyline(self, points: tuple[Point, ...], stroke: Stroke) -> None:
        width = self._width(stroke)
        if stroke.dash and len(points) == 2 and self._straight_dash(points, stroke, width):
            return
        if stroke.dash:
            for start, end in dash_segments(points, stroke.dash):
                self.pen.line((self._xy(start), self._xy(end)), fill=self._ink(stroke.color), width=width)
            return
        scaled = tuple(self._xy(p) for p in points)
        if not is_axis_aligned(scaled) and self._smooth("polyline", scaled, None, stroke):
            return
        self.pen.line(list(scaled), fill=self._ink(stroke.color), width=width, joint="curve")

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
        left, top = (across, round(start)) if vertical else (round(start), across)
        width, height = mask.size
        self.core.paste(self.palette.index(stroke.color), (left, top, left + width, top + height), mask.im)
        return True

    def polygon(self, points: tuple[Point, ...], fill: str | None, stroke: Stroke | None) -> None:
        scaled = tuple(self._xy(p) for p in points)
        if not is_axis_aligned(scaled) and self._smooth("polygon", scaled, fill, stroke):
            return
        self.pen.polygon(scaled, fill=self._ink(fill), outline=self._ink(stroke.color) if stroke else None,
                         width=self._width(stroke) if stroke else 0)

    def ellipse(self, rect: Rect, fill: str | None, stroke: Stroke | None) -> None:
        corners = (self._xy((rect.x, rect.y)), self._xy((rect.right, rect.bottom)))
        if self._smooth("ellipse", corners, fill, stroke):
            return
        self.pen.ellipse(self._box(rect), fill=self._ink(fill), outline=self._ink(stroke.color) if stroke else None,
                         width=self._width(stroke) if stroke else 0)

    def _smooth(self, kind: Kind, points: tuple[Point, ...], fill: str | None, stroke: Stroke | None) -> bool:
        """Paint a small slanted or round shape anti-aliased; False when it is too big (draw it directly)."""
        stroke_width = stroke.width * self.scale if stroke else 0.0
        box = frame(points, stroke_width + 1)
        if box is None:
            return False
        left, top, width, height = box
        shape = relative(points, left, top)
        background = self._background_under((left, top, left + width, top + height))
        colour = stroke.color if stroke else fill
        same = fill is not None and stroke is not None and rgb_of(fill) == rgb_of(stroke.color)
        for cover, role in layers(kind, shape, (width, height), stroke_width, fill is not None, stroke is not None,
                                  same):
            if role == "fill" and fill is not None:
                self._paint(cover, (left, top), fill, background)
            elif role == "stroke on fill" and fill is not None and colour is not None:
                self._paint(cover, (left, top), colour, rgb_of(fill))
            elif colour is not None:
                self._paint(cover, (left, top), colour, background)
        return True

    def _background_under(self, box: tuple[int, int, int, int]) -> RGB:
        """The most common colour in ``box`` (ties: the lower palette index): what a shape is drawn on."""
        # The core crop and histogram skip Pillow's per-call wrappers; list.index(max) keeps the lowest index on ties.
        # Most shapes land on one flat colour: the extrema say so without building a 256-entry histogram.
        under = self.core.crop(box)
        low, high = under.getextrema()
        if low == high and isinstance(low, int):
            return self.palette.colours[low]
        histogram: list[int] = under.histogram()
        return self.palette.colours[histogram.index(max(histogram))]

    def _paint(self, cover: Image.Image, origin: tuple[int, int], colour: str, background: RGB) -> None:
        # one lookup turns coverage into palette indices of the blended colours (an "L" image pasted
        # into a "P" image keeps its values as indices); a second masks out the uncovered pixels.
        # Shapes repeat within and across diagrams (arrowheads), so both results are cached.
        per_level = self._per_level(colour, background)
        key = (id(cover), per_level)
        painted = _PAINTED.get(key)
        if painted is None or painted[0] is not cover:
            if len(_PAINTED) > _PAINTED_LIMIT:
                _PAINTED.clear()
            painted = (cover, remap(cover, _lookup(per_level)).im, _covered_mask(cover).im, *cover.size)
            _PAINTED[key] = painted
        # Core paste: an "L" image lands in the "P" image as indices, without Image.paste converting it first.
        _, inked, mask, width, height = painted
        self.core.paste(inked, (*origin, origin[0] + width, origin[1] + height), mask)

    def text(self, x: float, baseline: float, text: str, style: TextStyle, width: float) -> None:
        size = max(1, round(style.size * self.scale))
        pen_x, pen_y = self._xy((x, baseline))
        whole_x = math.floor(pen_x)
        drawn = line_mask(text, size, style.weight, pen_x - whole_x)
        if drawn is None:
            return
        cover, left, top = drawn
        origin = (whole_x + left, round(pen_y) + top)
        width, height = cover.size
        background = self._background_under((origin[0], origin[1], origin[0] + width, origin[1] + height))
        # Only the inked pixels are painted, as in the SVG: a knockout behind a label is the layout's own
        # shape (drawn alike by both canvases), never a box this canvas adds.
        self._paint(cover, origin, style.color, background)

    def _per_level(self, colour: str, background: RGB) -> tuple[int, ...]:
        """Palette indices of ``colour`` over ``background`` at each anti-aliasing step."""
        key = (colour, background)
        levels = self._levels.get(key)
        if levels is None:
            index = self.palette.index
            levels = tuple([index(rgb) for rgb in _blends(colour, background)])
            self._levels[key] = levels
        return levels


@functools.lru_cache(maxsize=1024)
def _blends(colour: str, background: RGB) -> tuple[RGB, ...]:
    """``colour`` over ``background`` at each anti-aliasing step (the same in every picture: cached once)."""
    return tuple(blend(colour, background, level) for level in range(LEVELS + 1))


# (coverage, its palette-index image, its paste mask (both Pillow core images), width, height)
_PAINTED: dict[tuple[int, tuple[int, ...]], tuple[Image.Image, object, object, int, int]] = {}
_PAINTED_LIMIT = 4096


def remap(cover: Image.Image, table: list[int]) -> Image.Image:
    """``cover.point(table)`` for an "L" image and an all-integer table, without Pillow re-rounding
    the 256 entries on every call (a third of the text cost on a typical diagram)."""
    return cover._new(cover.im.point(table, "L"))


@functools.lru_cache(maxsize=1024)
def _lookup(per_level: tuple[int, ...]) -> list[int]:
    """Coverage 0-255 -> palette index, from the index of each anti-aliasing step."""
    return [per_level[step] for step in step_table()]


def _covered_mask(cover: Image.Image) -> Image.Image:
    """Opaque where ``cover`` has ink; kept per coverage image (images are not hashable, so keyed by id)."""
    known = _MASKS.get(id(cover))
    if known is None or known[0] is not cover:
        if len(_MASKS) > _PAINTED_LIMIT:
            _MASKS.clear()
        known = (cover, remap(cover, covered_table()))
        _MASKS[id(cover)] = known
    return known[1]


_MASKS: dict[int, tuple[Image.Image, Image.Image]] = {}


@functools.lru_cache(maxsize=64)
def _dash_strip(dash: tuple[float, ...], scale: float, width: int, length: int) -> Image.Image:
    strip = Image.new("L", (width, length), 0)
    pen = ImageDraw.Draw(strip)
    for (_, a), (_, b) in dash_segments(((0.0, 0.0), (0.0, length / scale)), dash):
        pen.rectangle((0, round(a * scale), width - 1, max(round(a * scale), round(b * scale) - 1)), fill=255)
    return strip


@functools.lru_cache(maxsize=256)
def _dash_mask(dash: tuple[float, ...], scale: float, width: int, length: int, vertical: bool) -> Image.Image:
    """Cached too: a diagram's lifelines mostly share one length (heads to footer), and so do its two themes."""
    cached = 1 << max(10, (length - 1).bit_length())  # one strip per power of two, cropped to size
    strip = _dash_strip(dash, scale, width, cached).crop((0, 0, width, length))
    return strip if vertical else strip.transpose(Image.Transpose.ROTATE_90)


def render_png(layout: Layout, scale: float = 1.0) -> bytes:
    canvas = PillowCanvas(layout.width, layout.height, layout.background, scale)
    draw(layout, canvas)
    return encode_png(canvas.image, canvas.palette.flat())
