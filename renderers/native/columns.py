"""Horizontal placement as a system of difference constraints, solved once (as in PlantUML's teoz).

Variables are x coordinates: the left edge (0), the lifelines (1..n), the right edge
(n + 1) and the left and right edges of every fragment frame. A constraint says one
variable lies at least ``distance`` right of another; any two lifelines may be linked,
so a long label widens only the span between its own two lifelines.

The least solution (every variable as far left as the constraints allow) is the
longest path through the constraint graph, which is acyclic when every constraint
points left to right. Frame left edges are then pulled right as far as their
contents allow, so frames hug what they contain instead of their left neighbour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from diagram_dsl.frozen import quick


@quick
@dataclass(frozen=True)
class Anchor:
    """A point ``offset`` right of variable ``var``."""

    var: int
    offset: float


@quick
@dataclass(frozen=True)
class Span:
    """A horizontal interval between two anchors."""

    left: Anchor
    right: Anchor


@quick
@dataclass(frozen=True)
class Constraint:
    """``value[right] - value[left] >= distance``."""

    left: int
    right: int
    distance: float


def at_least(span: Span, width: float) -> Constraint:
    """The constraint that makes ``span`` at least ``width`` wide."""
    return Constraint(span.left.var, span.right.var, width + span.left.offset - span.right.offset)


def solve(count: int, constraints: list[Constraint], pulled: frozenset[int] = frozenset()) -> list[float]:
    """Whole-pixel values of ``count`` variables satisfying every constraint, each as small as possible,
    except the ``pulled`` variables, which are then made as large as the constraints leaving them allow.

    Distances are rounded up to whole pixels, so lifelines, bars and frames stay on the pixel grid
    (crisp lines, reusable anti-aliased shapes) and rounding never breaks a constraint.
    """
    outgoing: list[list[tuple[int, float]]] = [[] for _ in range(count)]
    incoming = [0] * count
    for constraint in constraints:
        if constraint.left == constraint.right:
            continue
        outgoing[constraint.left].append((constraint.right, math.ceil(constraint.distance - 1e-6)))
        incoming[constraint.right] += 1
    order = _topological(count, outgoing, incoming)
    values = [0.0] * count
    if order is None:  # a cycle: relax until stable (cannot happen for left-to-right constraints)
        order = list(range(count))
        for _ in range(count):
            if not _relax(order, outgoing, values):
                break
    else:
        _relax(order, outgoing, values)
    for var in reversed(order):
        if var in pulled and outgoing[var]:
            values[var] = max(values[var], min(values[target] - distance for target, distance in outgoing[var]))
    return values


def _relax(order: list[int], outgoing: list[list[tuple[int, float]]], values: list[float]) -> bool:
    changed = False
    for var in order:
        base = values[var]
        for target, distance in outgoing[var]:
            if base + distance > values[target]:
                values[target] = base + distance
                changed = True
    return changed


def _topological(count: int, outgoing: list[list[tuple[int, float]]], incoming: list[int]) -> list[int] | None:
    remaining = list(incoming)
    ready = [var for var in range(count) if remaining[var] == 0]
    ready.reverse()
    order: list[int] = []
    while ready:
        var = ready.pop()
        order.append(var)
        for target, _ in outgoing[var]:
            remaining[target] -= 1
            if remaining[target] == 0:
                ready.append(target)
    return order if len(order) == count else None
