"""Geometry invariants of a native ``Layout``; each returns a list of human-readable violations.

``problems`` is everything a laid-out diagram must satisfy: the collision oracle
(``geometry_oracle``) plus text on the canvas, arrows on their lifelines and fragments
around their messages.
"""

from __future__ import annotations

import geometry_oracle

from diagram_dsl.model import Diagram
from diagram_dsl.renderers.native.scene import BarFact, Layout, Rect, TextShape
from diagram_dsl.renderers.native.theme import DEFAULT_METRICS

EPS = 0.01


def problems(layout: Layout, diagram: Diagram) -> list[str]:
    return [
        *geometry_oracle.violations(layout),
        *texts_inside_canvas(layout),
        *arrows_on_lifelines(layout, diagram),
        *fragments_contain_messages(layout),
    ]


def texts_do_not_overlap(layout: Layout) -> list[str]:
    texts = sorted((t for t in layout.texts if t.box.w > 0), key=lambda t: (t.box.y, t.box.x))
    found = []
    for index, text in enumerate(texts):
        for other in texts[index + 1:]:
            if other.box.y >= text.box.bottom:
                break
            if text.box.overlaps(other.box):
                found.append(f"text {_show(text)} overlaps {_show(other)}")
    return found


def texts_inside_canvas(layout: Layout) -> list[str]:
    canvas = Rect(0, 0, layout.width, layout.height)
    return [f"text {_show(t)} leaves the {layout.width}x{layout.height} canvas" for t in layout.texts
            if not canvas.contains(t.box, tolerance=0.01)]


def _bars_at(layout: Layout, participant: str, y: float) -> list[BarFact]:
    return [b for b in _bars_by_participant(layout).get(participant, ())
            if b.rect.y - EPS <= y <= b.rect.bottom + EPS]


def _bars_by_participant(layout: Layout) -> dict[str, list[BarFact]]:
    cached = _BAR_INDEX.get(id(layout))
    if cached is None or cached[0] is not layout:
        index: dict[str, list[BarFact]] = {}
        for bar in layout.bars:
            index.setdefault(bar.participant, []).append(bar)
        cached = (layout, index)
        _BAR_INDEX.clear()
        _BAR_INDEX[id(layout)] = cached
    return cached[1]


_BAR_INDEX: dict[int, tuple[Layout, dict[str, list[BarFact]]]] = {}


def _expected_x(layout: Layout, participant: str, y: float, toward_right: bool) -> float | None:
    """Where an arrow leaving (or entering) ``participant`` on the given side must touch it at ``y``."""
    lifeline = next((line for line in layout.lifelines if line.participant == participant), None)
    if lifeline is None:
        return None
    bars = _bars_at(layout, participant, y)
    if not bars:
        return lifeline.x
    innermost = max(bars, key=lambda b: b.rect.x)
    return innermost.rect.right if toward_right else innermost.rect.x


def arrows_on_lifelines(layout: Layout, diagram: Diagram) -> list[str]:
    found = []
    created = {m.receiver for m in diagram.messages() if m.kind.value == "create"}
    for arrow in layout.arrows:
        (x0, y0), (x1, y1) = arrow.start, arrow.end
        is_self = arrow.sender is not None and arrow.sender == arrow.receiver
        rightward = x1 >= x0
        if arrow.sender is not None:
            expected = _expected_x(layout, arrow.sender, y0, True if is_self else rightward)
            if expected is None or abs(expected - x0) > EPS:
                found.append(f"message {arrow.message_id} starts at x={x0:.2f}, not on {arrow.sender} ({expected})")
            found.extend(_within_lifeline(layout, arrow.sender, y0, arrow.message_id))
        if arrow.receiver is None or arrow.kind == "lost":
            continue
        if arrow.kind == "create" and arrow.receiver in created:
            head = next((rect for pid, rect in layout.heads if pid == arrow.receiver and rect.y <= y1 <= rect.bottom),
                        None)
            edge = None if head is None else (head.x if rightward else head.right)
            if edge is None or abs(edge - x1) > EPS:
                found.append(f"create message {arrow.message_id} does not end on the new head of {arrow.receiver}")
            continue
        expected = _expected_x(layout, arrow.receiver, y1, True if is_self else not rightward)
        if expected is not None and arrow.kind == "destroy" and not _bars_at(layout, arrow.receiver, y1):
            stop = DEFAULT_METRICS.cross_size / 2 + DEFAULT_METRICS.cross_stop  # a destroying arrow stops at the cross
            expected -= (1 if rightward else -1) * stop
        if expected is None or abs(expected - x1) > EPS:
            found.append(f"message {arrow.message_id} ends at x={x1:.2f}, not on {arrow.receiver} ({expected})")
        found.extend(_within_lifeline(layout, arrow.receiver, y1, arrow.message_id))
    return found


def _within_lifeline(layout: Layout, participant: str, y: float, message_id: int) -> list[str]:
    line = next((line for line in layout.lifelines if line.participant == participant), None)
    if line is None or not line.top - EPS <= y <= line.bottom + EPS:
        return [f"message {message_id} touches {participant} at y={y:.2f}, outside its lifeline"]
    return []


def fragments_contain_messages(layout: Layout) -> list[str]:
    found = []
    arrows = {a.message_id: a for a in layout.arrows}
    labels: dict[int, list[TextShape]] = {}
    for text in layout.texts:
        if text.owner is not None:
            labels.setdefault(text.owner, []).append(text)
    for fragment in layout.fragments:
        rect = fragment.rect
        for message_id in fragment.message_ids:
            arrow = arrows[message_id]
            for x, y in (arrow.start, arrow.end):
                if not (rect.x - EPS <= x <= rect.right + EPS and rect.y - EPS <= y <= rect.bottom + EPS):
                    found.append(f"{fragment.kind} fragment at {rect} does not contain message {message_id}")
            found.extend(f"{fragment.kind} fragment at {rect} does not contain the label of message {message_id}"
                         for label in labels.get(message_id, []) if not rect.contains(label.box))
        for other in layout.fragments:
            nested = other.depth > fragment.depth and set(other.message_ids) <= set(fragment.message_ids)
            if nested and other.message_ids and not rect.contains(other.rect):
                found.append(f"{fragment.kind} fragment at {rect} does not contain nested {other.kind}")
    return found


def _show(text: TextShape) -> str:
    words = " / ".join(line.text for line in text.lines)
    box = text.box
    return f"{text.role} {words!r} at ({box.x:.1f}, {box.y:.1f}, {box.w:.1f}x{box.h:.1f})"
