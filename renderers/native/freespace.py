"""Bar-free stretches of a row: where a guard, a divider plate or a delay text may sit without covering a bar."""

from __future__ import annotations

from diagram_dsl.renderers.native.context import Context


def bar_intervals(context: Context, depths: tuple[int, ...]) -> list[tuple[float, float]]:
    """The x extent of each lifeline's bars at a row with these ``depths``, left to right."""
    return [(context.column_x(column) - context.bar_left(depth), context.column_x(column) + context.bar_right(depth))
            for column, depth in enumerate(depths) if depth > 0]


def free_spans(blocked: list[tuple[float, float]], low: float, high: float, gap: float) -> list[tuple[float, float]]:
    """Stretches of [low, high] at least ``gap`` away from every blocked interval."""
    spans: list[tuple[float, float]] = []
    cursor = low
    for start, end in sorted(blocked):
        if end + gap <= cursor:
            continue
        if start - gap > cursor:
            spans.append((cursor, min(start - gap, high)))
        cursor = max(cursor, end + gap)
        if cursor >= high:
            break
    if cursor < high:
        spans.append((cursor, high))
    return [(a, b) for a, b in spans if b > a]


def first_fit(spans: list[tuple[float, float]], width: float) -> float | None:
    """Left edge of the leftmost span ``width`` fits in."""
    return next((a for a, b in spans if b - a >= width - 1e-6), None)


def nearest_fit(spans: list[tuple[float, float]], width: float, centre: float) -> float | None:
    """Left edge of a ``width`` box as close to being centred on ``centre`` as the spans allow."""
    best: tuple[float, float] | None = None
    for a, b in spans:
        if b - a < width - 1e-6:
            continue
        left = min(max(centre - width / 2, a), b - width)
        distance = abs(left + width / 2 - centre)
        if best is None or distance < best[0]:
            best = (distance, left)
    return None if best is None else best[1]


def widest(spans: list[tuple[float, float]]) -> tuple[float, float] | None:
    return max(spans, key=lambda span: (span[1] - span[0], -span[0]), default=None)
