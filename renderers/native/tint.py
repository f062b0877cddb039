"""Per-element colour overrides (``RenderOptions.highlights``): one message's arrow, head and label, or one
participant's heads, drawn in a given colour — or as a ghost: a paler tint with dashed lines.

Used by ``diagram-dsl diff`` (added green, removed red ghosts, relabelled amber); a normal build has none.
"""

from __future__ import annotations

from dataclasses import replace

from diagram_dsl.renderers.base import Highlight
from diagram_dsl.renderers.native.scene import (
    EllipseShape,
    PolygonShape,
    PolylineShape,
    RectShape,
    Shape,
    Stroke,
    TextShape,
)

_GHOST_DASH = (4.0, 3.0)


def _mix(colour: str, white: float) -> str:
    """``colour`` blended toward white by ``white`` (0..1), as #RRGGBB."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(c + (255 - c) * white):02X}" for c in channels)


def tinted(shapes: list[Shape], highlight: Highlight | None) -> list[Shape]:
    if highlight is None:
        return shapes
    ink = _mix(highlight.color, 0.35) if highlight.ghost else highlight.color
    pale = _mix(highlight.color, 0.88)

    def stroke(old: Stroke | None) -> Stroke | None:
        if old is None:
            return None
        return replace(old, color=ink, dash=old.dash or (_GHOST_DASH if highlight.ghost else ()))

    out: list[Shape] = []
    for shape in shapes:
        if isinstance(shape, TextShape):
            out.append(replace(shape, style=replace(shape.style, color=ink)))
        elif isinstance(shape, PolylineShape):
            out.append(replace(shape, stroke=stroke(shape.stroke) or shape.stroke))
        elif isinstance(shape, PolygonShape):
            # an arrowhead is filled with its own stroke colour; a note or a glyph has a pale fill
            solid = shape.fill is not None and shape.stroke is not None and shape.fill == shape.stroke.color
            fill = ink if solid else (pale if shape.fill else None)
            out.append(replace(shape, fill=fill, stroke=stroke(shape.stroke)))
        elif isinstance(shape, RectShape | EllipseShape):
            solid = shape.fill is not None and shape.stroke is None
            fill = ink if solid else (pale if shape.fill else None)
            out.append(replace(shape, fill=fill, stroke=stroke(shape.stroke)))
        else:
            out.append(shape)
    return out
