"""The collision oracle: what a laid-out sequence diagram must never do, checked on a ``Layout``'s facts.

Each check returns human-readable violations (empty when clean):

- ``overlaps``: no two of text boxes, activation bars, plates (notes, ``ref`` boxes, fragment tabs) and
  participant heads overlap, except a text on its own plate or head, a tab on its own ``ref`` box and the
  nested bars of one participant;
- ``texts_cross_edges``: no text crosses a fragment frame, a branch separator, a ``ref`` box or a note edge;
- ``frame_clearance``: frame edges keep ``CLEARANCE`` px from every lifeline and bar they pass;
- ``footer_gap``: ``FOOTER_GAP`` px between the last element and the heads repeated at the bottom;
- ``knockouts``: a text over a lifeline hides it under a knockout in the colour beneath (box tint included);
- ``nesting``: a nested frame sits ``INSET`` px inside its parent on both sides;
- ``edge_arrows``: found and lost messages are short arrows that cross no other lifeline;
- ``bars_start_at_causes``: a bar starts at a message (or an explicit ``activate``), never by itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from diagram_dsl.renderers.native.scene import FillFact, Layout, Rect, TextShape

EPS = 0.01
CLEARANCE = 8.0
FOOTER_GAP = 24.0
INSET = 10.0
_ON_PLATE = {"note": ("note", "note over"), "ref": ("ref", "keyword"), "tab": ("keyword",)}
_OVER_LIFELINES = ("message", "number", "guard", "delay")


@dataclass(frozen=True)
class _Item:
    kind: str  # "text", "bar", "plate", "head"
    name: str
    rect: Rect
    owner: str = ""  # participant of a bar or head, kind of a plate, role of a text


def violations(layout: Layout) -> list[str]:
    return [
        *overlaps(layout),
        *texts_cross_edges(layout),
        *frame_clearance(layout),
        *footer_gap(layout),
        *knockouts(layout),
        *nesting(layout),
        *edge_arrows(layout),
        *bars_start_at_causes(layout),
    ]


def _items(layout: Layout) -> list[_Item]:
    items = [_Item("text", _show(t), t.box, t.role) for t in layout.texts if t.box.w > 0 and t.box.h > 0]
    items += [_Item("bar", f"bar of {b.participant} at {_r(b.rect)}", b.rect, b.participant) for b in layout.bars]
    items += [_Item("plate", f"{p.kind} at {_r(p.rect)}", p.rect, p.kind) for p in layout.plates]
    items += [_Item("head", f"head of {pid} at {_r(rect)}", rect, pid) for pid, rect in layout.heads]
    return items


def _allowed(a: _Item, b: _Item) -> bool:
    for first, second in ((a, b), (b, a)):
        if first.kind == "text" and second.kind == "plate" and first.owner in _ON_PLATE[second.owner]:
            return second.rect.contains(first.rect, tolerance=EPS)
        if first.kind == "text" and second.kind == "head" and first.owner == "head":
            return second.rect.contains(first.rect, tolerance=EPS)
        if first.kind == "plate" and second.kind == "plate" and first.owner == "tab" and second.owner == "ref":
            return second.rect.contains(first.rect, tolerance=EPS)
    return a.kind == "bar" and b.kind == "bar" and a.owner == b.owner


def overlaps(layout: Layout) -> list[str]:
    items = sorted(_items(layout), key=lambda item: (item.rect.y, item.rect.x))
    found = []
    for index, item in enumerate(items):
        for other in items[index + 1:]:
            if other.rect.y >= item.rect.bottom:
                break
            if item.rect.overlaps(other.rect) and not _allowed(item, other):
                found.append(f"{item.name} overlaps {other.name}")
    return found


def _crosses(text: Rect, box: Rect) -> bool:
    return text.overlaps(box, tolerance=EPS) and not box.contains(text, tolerance=EPS)


def texts_cross_edges(layout: Layout) -> list[str]:
    found = []
    frames = [(f"{f.kind} frame at {_r(f.rect)}", f.rect, f.separators) for f in layout.fragments]
    frames += [(f"{p.kind} at {_r(p.rect)}", p.rect, ()) for p in layout.plates if p.kind in ("note", "ref")]
    for text in layout.texts:
        box = text.box
        if box.w <= 0:
            continue
        for name, rect, separators in frames:
            if _crosses(box, rect):
                found.append(f"text {_show(text)} crosses the edge of the {name}")
            for y in separators:
                if box.y < y - EPS and box.bottom > y + EPS and box.x < rect.right and box.right > rect.x:
                    found.append(f"text {_show(text)} crosses the branch separator at y={y:.1f} of the {name}")
    return found


def _gap(low: float, high: float, x: float) -> float:
    """Distance from ``x`` to the interval [low, high] (0 inside)."""
    return max(low - x, x - high, 0.0)


def frame_clearance(layout: Layout) -> list[str]:
    found = []
    frames = [(f"{f.kind} frame", f.rect) for f in layout.fragments]
    frames += [("ref box", p.rect) for p in layout.plates if p.kind == "ref"]
    for name, rect in frames:
        for edge in (rect.x, rect.right):
            for line in layout.lifelines:
                if line.top < rect.bottom - EPS and line.bottom > rect.y + EPS and abs(line.x - edge) < CLEARANCE - EPS:
                    found.append(f"{name} at {_r(rect)}: edge x={edge:.1f} is {abs(line.x - edge):.1f} px from the "
                                 f"lifeline of {line.participant}")
            for bar in layout.bars:
                near = _gap(bar.rect.x, bar.rect.right, edge)
                if bar.rect.y < rect.bottom - EPS and bar.rect.bottom > rect.y + EPS and near < CLEARANCE - EPS:
                    found.append(f"{name} at {_r(rect)}: edge x={edge:.1f} is {near:.1f} px from the bar of "
                                 f"{bar.participant} at {_r(bar.rect)}")
        for edge in (rect.y, rect.bottom):
            for bar in layout.bars:
                if bar.rect.x >= rect.right or bar.rect.right <= rect.x:
                    continue
                for end in (bar.rect.y, bar.rect.bottom):
                    if abs(end - edge) < CLEARANCE - EPS:
                        found.append(f"{name} at {_r(rect)}: edge y={edge:.1f} is {abs(end - edge):.1f} px from "
                                     f"the end of the bar of {bar.participant} at {_r(bar.rect)}")
    return found


def _body_rects(layout: Layout, footer: float) -> Iterable[tuple[str, float]]:
    for text in layout.texts:
        if text.box.y < footer - EPS and text.role not in ("title", "box"):
            yield _show(text), text.box.bottom
    for bar in layout.bars:
        yield f"bar of {bar.participant}", bar.rect.bottom
    for plate in layout.plates:
        yield plate.kind, plate.rect.bottom
    for fragment in layout.fragments:
        yield f"{fragment.kind} frame", fragment.rect.bottom
    for arrow in layout.arrows:
        yield f"arrow {arrow.message_id}", max(arrow.start[1], arrow.end[1]) + 4.5
    for pid, rect in layout.heads:
        if rect.y < footer - EPS:
            yield f"head of {pid}", rect.bottom


def footer_gap(layout: Layout) -> list[str]:
    footer = layout.footer_top
    if footer is None:
        return []
    last = max(_body_rects(layout, footer), key=lambda item: item[1], default=None)
    if last is None or footer - last[1] >= FOOTER_GAP - EPS:
        return []
    return [f"only {footer - last[1]:.1f} px between {last[0]} (bottom {last[1]:.1f}) and the footer heads at "
            f"{footer:.1f}"]


def _beneath(tints: tuple[FillFact, ...], x: float, y: float, background: str) -> str:
    colour = background
    for tint in tints:  # later boxes paint over earlier ones
        if tint.rect.x <= x <= tint.rect.right and tint.rect.y <= y <= tint.rect.bottom:
            colour = tint.fill
    return colour


def knockouts(layout: Layout) -> list[str]:
    found = []
    for text in layout.texts:
        if text.role not in _OVER_LIFELINES or text.box.w <= 0:
            continue
        box = text.box
        for line in layout.lifelines:
            top, bottom = max(box.y, line.top), min(box.bottom, line.bottom)
            if not box.x + EPS < line.x < box.right - EPS or bottom <= top + EPS:
                continue
            want = _beneath(layout.tints, line.x, (top + bottom) / 2, layout.background)
            covered = any(k.rect.x <= line.x - 1 and k.rect.right >= line.x + 1 and k.rect.y <= top + EPS
                          and k.rect.bottom >= bottom - EPS and k.fill == want for k in layout.knockouts)
            if not covered:
                found.append(f"text {_show(text)} crosses the lifeline of {line.participant} without a {want} "
                             f"knockout")
    return found


def nesting(layout: Layout) -> list[str]:
    found = []
    for outer in layout.fragments:
        for inner in layout.fragments:
            if inner is outer or inner.depth != outer.depth + 1 or not outer.rect.contains(inner.rect):
                continue
            left, right = inner.rect.x - outer.rect.x, outer.rect.right - inner.rect.right
            if min(left, right) < INSET - EPS:
                found.append(f"{inner.kind} frame at {_r(inner.rect)} is only {min(left, right):.1f} px inside "
                             f"the {outer.kind} frame at {_r(outer.rect)}")
    return found


def edge_arrows(layout: Layout) -> list[str]:
    found = []
    for arrow in layout.arrows:
        edge = (arrow.kind == "found" and arrow.sender is None) or (arrow.kind == "lost" and arrow.receiver is None)
        if not edge:
            continue
        own = arrow.receiver if arrow.sender is None else arrow.sender
        low, high = sorted((arrow.start[0], arrow.end[0]))
        y = arrow.start[1]
        for line in layout.lifelines:
            if line.participant != own and low + EPS < line.x < high - EPS and line.top <= y <= line.bottom:
                found.append(f"{arrow.kind} message {arrow.message_id} crosses the lifeline of {line.participant}")
    return found


def bars_start_at_causes(layout: Layout) -> list[str]:
    found = []
    starts: dict[str, set[float]] = {}
    for arrow in layout.arrows:
        for participant, y in ((arrow.receiver, arrow.end[1]), (arrow.sender, arrow.start[1])):
            if participant is not None:
                starts.setdefault(participant, set()).add(round(y, 2))
    for pid, rect in layout.heads:
        starts.setdefault(pid, set()).add(round(rect.bottom, 2))
    for bar in layout.bars:
        if bar.explicit:
            continue
        if not any(abs(bar.rect.y - y) <= EPS for y in starts.get(bar.participant, ())):
            found.append(f"bar of {bar.participant} at {_r(bar.rect)} starts where no message arrives")
    return found


def _r(rect: Rect) -> str:
    return f"({rect.x:.1f}, {rect.y:.1f}, {rect.w:.1f}x{rect.h:.1f})"


def _show(text: TextShape) -> str:
    words = " / ".join(line.text for line in text.lines)
    return f"{text.role} {words!r} at {_r(text.box)}"
