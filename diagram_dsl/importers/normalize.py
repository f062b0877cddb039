"""Diagrams compared for meaning: the same model once source lines (and, on request, colours) are set aside."""

from __future__ import annotations

from dataclasses import replace

from diagram_dsl.model import UNKNOWN_LOCATION, Branch, Diagram, Event, Fragment, Message, Note, NotePosition, Reference


def without_locations(diagram: Diagram, *, keep_colors: bool = True) -> Diagram:
    """``diagram`` with every location blanked (and box colours dropped unless ``keep_colors``)."""
    return replace(
        diagram,
        participants=tuple(replace(p, location=UNKNOWN_LOCATION) for p in diagram.participants),
        boxes=tuple(replace(b, location=UNKNOWN_LOCATION, color=b.color if keep_colors else None)
                    for b in diagram.boxes),
        events=_events(diagram.events),
        location=UNKNOWN_LOCATION,
    )


def _events(events: tuple[Event, ...]) -> tuple[Event, ...]:
    return tuple(_event(event) for event in events)


def _event(event: Event) -> Event:
    if isinstance(event, Fragment):
        branches = tuple(Branch(b.guard, _events(b.events), UNKNOWN_LOCATION) for b in event.branches)
        return Fragment(event.kind, branches, UNKNOWN_LOCATION)
    return replace(event, location=UNKNOWN_LOCATION)


def as_drawn_spans(diagram: Diagram) -> Diagram:
    """Notes and refs over several participants as the leftmost/rightmost pair, the way both languages draw them.

    ``note over A, B`` (PlantUML) and ``Note over A,B`` (Mermaid) name the two ends of a span, so a
    model note over three participants, or over two given right-to-left, comes back as its span.
    """
    column = {participant.id: index for index, participant in enumerate(diagram.participants)}

    def span(participants: tuple[str, ...]) -> tuple[str, ...]:
        ordered = sorted(set(participants), key=lambda pid: column.get(pid, len(column)))
        return tuple(ordered) if len(ordered) <= 1 else (ordered[0], ordered[-1])

    def one(event: Event) -> Event:
        if isinstance(event, Fragment):
            return replace(event, branches=tuple(replace(b, events=tuple(one(e) for e in b.events))
                                                 for b in event.branches))
        if isinstance(event, Note) and event.position is NotePosition.OVER:
            return replace(event, participants=span(event.participants))
        if isinstance(event, Reference):
            return replace(event, participants=span(event.participants))
        return event

    return replace(diagram, events=tuple(one(event) for event in diagram.events))


def without_reply_links(diagram: Diagram) -> Diagram:
    """Every ``reply_to`` cleared: text never says which request a reply answers, the validator pairs them."""

    def one(event: Event) -> Event:
        if isinstance(event, Fragment):
            return replace(event, branches=tuple(replace(b, events=tuple(one(e) for e in b.events))
                                                 for b in event.branches))
        if isinstance(event, Message) and event.reply_to is not None:
            return replace(event, reply_to=None)
        return event

    return replace(diagram, events=tuple(one(event) for event in diagram.events))


def round_trip_view(diagram: Diagram) -> Diagram:
    """What survives model → PlantUML/Mermaid text → model: no locations, reply links or multi-column spans."""
    return without_locations(as_drawn_spans(without_reply_links(diagram)))
