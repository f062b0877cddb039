"""What layout produces and canvases consume: positioned primitives in logical units.

Shapes are listed in paint order. Besides the shapes, a ``Layout`` keeps the
geometry facts tests check (where each arrow starts and ends, where activation
bars and fragments are), so tests never have to recover them from pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

from diagram_dsl.frozen import quick
from diagram_dsl.renderers.native.text import TextStyle

Point = tuple[float, float]


@quick
@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Rect, tolerance: float = 0.5) -> bool:
        """True when the interiors intersect by more than ``tolerance`` on both axes."""
        return (min(self.right, other.right) - max(self.x, other.x) > tolerance
                and min(self.bottom, other.bottom) - max(self.y, other.y) > tolerance)

    def contains(self, other: Rect, tolerance: float = 0.5) -> bool:
        return (other.x >= self.x - tolerance and other.y >= self.y - tolerance
                and other.right <= self.right + tolerance and other.bottom <= self.bottom + tolerance)

    def union(self, other: Rect) -> Rect:
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Rect(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)


@quick
@dataclass(frozen=True)
class Stroke:
    color: str
    width: float = 1.0
    dash: tuple[float, ...] = ()  # on/off lengths; empty means solid


@quick
@dataclass(frozen=True)
class RectShape:
    rect: Rect
    fill: str | None
    stroke: Stroke | None
    radius: float = 0.0


@quick
@dataclass(frozen=True)
class PolylineShape:
    points: tuple[Point, ...]
    stroke: Stroke


@quick
@dataclass(frozen=True)
class PolygonShape:
    points: tuple[Point, ...]
    fill: str | None
    stroke: Stroke | None


@quick
@dataclass(frozen=True)
class EllipseShape:
    rect: Rect
    fill: str | None
    stroke: Stroke | None


@quick
@dataclass(frozen=True)
class TextLine:
    x: float  # left edge
    baseline: float
    text: str
    width: float = 0.0  # measured advance width with the pinned font


@quick
@dataclass(frozen=True)
class TextShape:
    """A block of lines; ``box`` is the area the lines occupy (for overlap checks)."""

    box: Rect
    lines: tuple[TextLine, ...]
    style: TextStyle
    role: str  # "message", "note", "head", "guard", ... (for tests and debugging)
    owner: int | None = None  # id of the message this text labels


Shape = RectShape | PolylineShape | PolygonShape | EllipseShape | TextShape


@quick
@dataclass(frozen=True)
class ArrowFact:
    message_id: int
    kind: str
    sender: str | None
    receiver: str | None
    start: Point
    end: Point


@quick
@dataclass(frozen=True)
class BarFact:
    participant: str
    rect: Rect
    explicit: bool = False  # opened by ``activate``, not by a message


@quick
@dataclass(frozen=True)
class PlateFact:
    """An opaque box text sits on: a note (``kind`` "note"), a ``ref`` box ("ref") or a fragment tab ("tab")."""

    kind: str
    rect: Rect


@quick
@dataclass(frozen=True)
class FillFact:
    """A filled area: a participant box's tint, or a knockout that hides a lifeline under a text."""

    rect: Rect
    fill: str


@quick
@dataclass(frozen=True)
class LifelineFact:
    participant: str
    x: float
    top: float
    bottom: float


@quick
@dataclass(frozen=True)
class FragmentFact:
    kind: str
    rect: Rect
    message_ids: tuple[int, ...]
    depth: int
    separators: tuple[float, ...] = ()  # y of the dashed lines between branches


@quick
@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    background: str
    shapes: tuple[Shape, ...]
    arrows: tuple[ArrowFact, ...]
    bars: tuple[BarFact, ...]
    lifelines: tuple[LifelineFact, ...]
    fragments: tuple[FragmentFact, ...]
    heads: tuple[tuple[str, Rect], ...]  # participant id and head outline, top and bottom
    plates: tuple[PlateFact, ...] = ()
    knockouts: tuple[FillFact, ...] = ()
    tints: tuple[FillFact, ...] = ()  # participant boxes, in paint order
    footer_top: float | None = None  # top of the heads repeated below the last row

    @property
    def texts(self) -> tuple[TextShape, ...]:
        return tuple(shape for shape in self.shapes if isinstance(shape, TextShape))


def shape_bounds(shape: Shape) -> Rect:
    if isinstance(shape, RectShape | EllipseShape):
        return shape.rect
    if isinstance(shape, TextShape):
        return shape.box
    xs = [point[0] for point in shape.points]
    ys = [point[1] for point in shape.points]
    return Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def shift_rect(rect: Rect, dx: float, dy: float) -> Rect:
    return Rect(round(rect.x + dx, 3), round(rect.y + dy, 3), rect.w, rect.h)


def shift_points(points: tuple[Point, ...], dx: float, dy: float) -> tuple[Point, ...]:
    return tuple([(round(x + dx, 3), round(y + dy, 3)) for x, y in points])


def shift_shape(shape: Shape, dx: float, dy: float) -> Shape:
    # the commonest kinds first: every shape of every diagram passes here once
    if isinstance(shape, PolylineShape):
        return PolylineShape(shift_points(shape.points, dx, dy), shape.stroke)
    if isinstance(shape, TextShape):
        lines = tuple([TextLine(round(line.x + dx, 3), round(line.baseline + dy, 3), line.text, line.width)
                       for line in shape.lines])
        return TextShape(shift_rect(shape.box, dx, dy), lines, shape.style, shape.role, shape.owner)
    if isinstance(shape, RectShape):
        return RectShape(shift_rect(shape.rect, dx, dy), shape.fill, shape.stroke, shape.radius)
    if isinstance(shape, PolygonShape):
        return PolygonShape(shift_points(shape.points, dx, dy), shape.fill, shape.stroke)
    return EllipseShape(shift_rect(shape.rect, dx, dy), shape.fill, shape.stroke)
