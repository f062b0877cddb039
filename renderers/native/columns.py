"""Column placement: the narrowest x positions that satisfy every spacing constraint.

Positions are indexed 0 = the left edge (where found messages start), 1..n = the
participants in column order, n + 1 = the right edge (where lost messages end).
A constraint says two positions must be at least some distance apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Constraint:
    left: int
    right: int
    distance: float


def solve(gaps: list[float], constraints: list[Constraint]) -> list[float]:
    """Grow ``gaps`` (one per neighbouring pair of positions) until every constraint holds; return positions.

    Narrow constraints go first so that a wide one spreads its extra space over
    gaps that are already as wide as their own content needs.
    """
    widened = list(gaps)
    for constraint in sorted(constraints, key=lambda c: (c.right - c.left, c.left, c.right, c.distance)):
        if constraint.right <= constraint.left:
            continue
        span = range(constraint.left, constraint.right)
        deficit = constraint.distance - sum(widened[index] for index in span)
        if deficit > 1e-9:
            share = deficit / len(span)
            for index in span:
                widened[index] += share
    # whole-pixel gaps keep lifelines, bars and arrowheads on the pixel grid (crisp lines, reusable
    # anti-aliased shapes); rounding each gap up never breaks a constraint
    positions = [0.0]
    for gap in widened:
        positions.append(positions[-1] + math.ceil(gap - 1e-6))
    return positions
