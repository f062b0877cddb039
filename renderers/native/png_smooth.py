"""Anti-aliased coverage for small slanted or round shapes (arrowheads, glyphs, cylinders, crosses).

A palette canvas cannot blend while drawing, so such shapes are drawn four times
larger into a grey mask, averaged down to coverage and painted like text. Shapes
repeat (every arrowhead of a kind has the same geometry), so coverage is cached.
Axis-aligned boxes and lines stay on the direct path: they are crisp already.
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Literal

from PIL import Image, ImageChops, ImageDraw

from diagram_dsl.renderers.native.scene import Point

SUPERSAMPLE = 4
MAX_SIDE = 256  # px; bigger shapes are drawn directly
Kind = Literal["polygon", "polyline", "ellipse"]
Role = Literal["fill", "stroke", "stroke on fill"]  # what a coverage layer is painted with, and over what


def is_axis_aligned(points: tuple[Point, ...]) -> bool:
    if len(points) == 2:  # most lines are one segment: tested without building a generator
        (x0, y0), (x1, y1) = points
        return abs(x0 - x1) < 1e-6 or abs(y0 - y1) < 1e-6
    return all(abs(x0 - x1) < 1e-6 or abs(y0 - y1) < 1e-6
               for (x0, y0), (x1, y1) in itertools.pairwise(points))


def frame(points: tuple[Point, ...], pad: float) -> tuple[int, int, int, int] | None:
    """Whole-pixel box (left, top, width, height) around ``points`` plus ``pad``; None when too big."""
    xs, ys = zip(*points, strict=True)  # the x and y columns, split in C
    left = math.floor(min(xs) - pad)
    top = math.floor(min(ys) - pad)
    width = math.ceil(max(xs) + pad) - left
    height = math.ceil(max(ys) + pad) - top
    if width > MAX_SIDE or height > MAX_SIDE:
        return None
    return left, top, width, height


def relative(points: tuple[Point, ...], left: int, top: int) -> tuple[Point, ...]:
    """Points relative to the frame, snapped to 1/4 px so repeated shapes share one cache entry."""
    return tuple((round((x - left) * 4) / 4, round((y - top) * 4) / 4) for x, y in points)


@functools.lru_cache(maxsize=4096)
def coverage(kind: Kind, points: tuple[Point, ...], size: tuple[int, int], stroke_width: float,
             filled: bool) -> Image.Image:
    """Coverage 0-255 of the shape's interior (``filled``) or of its outline ``stroke_width`` px wide."""
    big = Image.new("L", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE), 0)
    pen = ImageDraw.Draw(big)
    scaled = [(x * SUPERSAMPLE, y * SUPERSAMPLE) for x, y in points]
    line_width = max(1, round(stroke_width * SUPERSAMPLE))
    if kind == "ellipse":
        (x0, y0), (x1, y1) = scaled
        if filled:
            pen.ellipse((x0, y0, x1, y1), fill=255)
        else:
            pen.ellipse((x0 - line_width / 2, y0 - line_width / 2, x1 + line_width / 2, y1 + line_width / 2),
                        outline=255, width=line_width)
    elif filled:
        pen.polygon(scaled, fill=255)
    else:
        path = [*scaled, scaled[0]] if kind == "polygon" else scaled
        pen.line(path, fill=255, width=line_width, joint="curve")
    return big.reduce(SUPERSAMPLE)


@functools.lru_cache(maxsize=4096)
def layers(kind: Kind, points: tuple[Point, ...], size: tuple[int, int], stroke_width: float, filled: bool,
           stroked: bool, one_colour: bool) -> tuple[tuple[Image.Image, Role], ...]:
    """Coverage layers to paint in order.

    Painting replaces pixels rather than compositing them, so an outline must not be
    painted over its own fill's edge with a background blend: one colour is painted as
    one merged coverage, and a differently coloured outline is split into the part
    over the fill (blended with the fill colour) and the part outside (blended with the background).
    """
    fill = coverage(kind, points, size, 0.0, True) if filled else None
    ring = coverage(kind, points, size, stroke_width, False) if stroked else None
    if fill is None:
        return ((ring, "stroke"),) if ring is not None else ()
    if ring is None:
        return ((fill, "fill"),)
    if one_colour:
        return ((ImageChops.lighter(fill, ring), "fill"),)
    inside = fill.point([255 if value == 255 else 0 for value in range(256)])
    ring_inside = ImageChops.multiply(ring, inside)
    return ((fill, "fill"), (ring_inside, "stroke on fill"), (ImageChops.subtract(ring, ring_inside), "stroke"))
