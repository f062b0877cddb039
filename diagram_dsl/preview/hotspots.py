"""Where each source element is drawn: hotspots from the native layout's facts, and the SVG layer that carries them.

The layout keeps geometry facts for its tests (arrows by message id, heads by participant, fragment
frames, text blocks by role); this module ties them back to the model's locations. Committed
outputs never change: the hotspot layer is added to the preview's copy of the SVG only, as a
transparent ``<g>`` painted last, one shape per element, each with ``data-file`` and ``data-line``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from diagram_dsl.model import Diagram, Fragment, FragmentKind, Location, Message, Note, walk_events
from diagram_dsl.preview.snapshot import Hotspot
from diagram_dsl.renderers.native.scene import Layout, Rect
from diagram_dsl.validate.findings import Finding, Severity

_ARROW_SLACK = 5.0  # how far above and below an arrow's shaft the pointer still counts as on it
_HEADER = 22.0  # the fragment header strip (tab and guard) that stands for the fragment


def _union(rects: Iterable[Rect]) -> Rect | None:
    result: Rect | None = None
    for rect in rects:
        result = rect if result is None else result.union(rect)
    return result


def _spot(kind: str, rect: Rect, location: Location, label: str) -> Hotspot:
    return Hotspot(kind, round(rect.x, 2), round(rect.y, 2), round(rect.w, 2), round(rect.h, 2), location,
                   " ".join(label.split())[:80])


def _postorder_fragments(events: Sequence[object]) -> list[Fragment]:
    """Fragments in the order their frames close: children before their parent, in document order."""
    ordered: list[Fragment] = []
    stack: list[tuple[Fragment, bool]] = [(e, False) for e in reversed(events) if isinstance(e, Fragment)]
    while stack:
        fragment, expanded = stack.pop()
        if expanded:
            ordered.append(fragment)
            continue
        stack.append((fragment, True))
        children = [e for branch in fragment.branches for e in branch.events if isinstance(e, Fragment)]
        stack.extend((child, False) for child in reversed(children))
    return ordered


def hotspots(layout: Layout, diagram: Diagram, title_location: Location) -> tuple[Hotspot, ...]:
    """Every element of ``diagram`` that ``layout`` lets us place, painted in this order (messages on top)."""
    events = walk_events(diagram.events)
    spots: list[Hotspot] = []
    fragments = _postorder_fragments(diagram.events)
    if [f.kind.value for f in fragments] == [fact.kind for fact in layout.fragments]:
        for fragment, fact in zip(fragments, layout.fragments, strict=True):
            header = Rect(fact.rect.x, fact.rect.y, fact.rect.w, min(_HEADER, fact.rect.h))
            name = fragment.kind.value if fragment.kind is FragmentKind.GROUP else f"{fragment.kind.value} "
            spots.append(_spot("fragment", header, fragment.location, f"{name}{fragment.label}".strip()))
    participants = {p.id: p for p in diagram.participants}
    for participant_id, rect in layout.heads:
        participant = participants.get(participant_id)
        if participant is not None:
            spots.append(_spot("participant", rect, participant.location, participant.label))
    notes = [e for e in events if isinstance(e, Note)]
    note_texts = [t for t in layout.texts if t.role in ("note", "note over")]
    if len(notes) == len(note_texts):
        for note, text in zip(notes, note_texts, strict=True):
            box = text.box
            spots.append(_spot("note", Rect(box.x - 6, box.y - 6, box.w + 12, box.h + 12), note.location, note.text))
    title = next((t for t in layout.texts if t.role == "title"), None)
    if title is not None:
        spots.append(_spot("title", title.box, title_location, diagram.title or ""))
    labels: dict[int, list[Rect]] = {}
    for text in layout.texts:
        if text.owner is not None:
            labels.setdefault(text.owner, []).append(text.box)
    messages = {m.id: m for m in events if isinstance(m, Message)}
    for arrow in layout.arrows:
        message = messages.get(arrow.message_id)
        if message is None:
            continue
        (x1, y1), (x2, y2) = arrow.start, arrow.end
        shaft = Rect(min(x1, x2), min(y1, y2) - _ARROW_SLACK, abs(x2 - x1), abs(y2 - y1) + 2 * _ARROW_SLACK)
        area = _union([shaft, *labels.get(message.id, [])])
        if area is not None:
            spots.append(_spot("message", area, message.location, message.label))
    return tuple(spots)


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def hotspot_layer(spots: Sequence[Hotspot], findings: Sequence[Finding]) -> str:
    """The SVG ``<g>`` of hotspots; a spot whose line has findings is marked with their worst severity."""
    by_line: dict[tuple[str, int], list[Finding]] = {}
    for finding in findings:
        by_line.setdefault((finding.location.file, finding.location.line), []).append(finding)
    parts = ['<g class="dsl-spots" fill="#000000" fill-opacity="0" stroke="none">']
    for spot in spots:
        where = spot.location
        here = by_line.get((where.file, where.line), [])
        classes = ["dsl-spot", f"dsl-{spot.kind}"]
        if here:
            worst = min(here, key=lambda f: list(Severity).index(f.severity)).severity
            classes += ["dsl-finding", f"dsl-{worst.value}"]
        tooltip = f"{where}" + "".join(f"\n{f.severity.value} {f.code} {f.text}" for f in here)
        attributes = (f'class="{" ".join(classes)}" data-kind="{spot.kind}" data-file={quoteattr(where.file)} '
                      f'data-line="{where.line}"')
        if here:
            attributes += f' data-codes="{" ".join(sorted({f.code for f in here}))}"'
        parts.append(f'<rect {attributes} x="{_number(spot.x)}" y="{_number(spot.y)}" width="{_number(spot.w)}" '
                     f'height="{_number(max(spot.h, 1.0))}" rx="3"><title>{escape(tooltip)}</title></rect>')
    parts.append("</g>")
    return "".join(parts)


def with_hotspots(svg: str, spots: Sequence[Hotspot], findings: Sequence[Finding]) -> str:
    """``svg`` with the hotspot layer painted last (so it is on top); the drawing itself is untouched."""
    closing = svg.rfind("</svg>")
    if closing < 0:
        return svg
    return svg[:closing] + hotspot_layer(spots, findings) + "\n" + svg[closing:]
