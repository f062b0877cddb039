"""Diagrams compared for meaning: the same model once source lines (and, on request, colours) are set aside."""

from __future__ import annotations

from dataclasses import replace

from diagram_dsl.model import UNKNOWN_LOCATION, Branch, Diagram, Event, Fragment


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
