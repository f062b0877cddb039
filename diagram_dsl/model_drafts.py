"""Mutable drafts of fragments, filled by the DSL while a flow module runs and by the importers while they read a
diagram, then frozen into the immutable model by ``freeze`` — shared scaffolding, so it sits beside the model."""

from __future__ import annotations

from dataclasses import dataclass, field

from diagram_dsl.model import Branch, Event, Fragment, FragmentKind, Location

# How deep fragments may nest (alt in loop in opt ...). The DSL and the importers refuse to go deeper with
# one finding at the line that would, so that nothing downstream — validator, emitters, layout — ever
# walks a model deep enough to exhaust Python's recursion limit. Real diagrams stay under ten.
MAX_NESTING = 100


@dataclass
class BranchDraft:
    guard: str
    location: Location
    events: list[Event | FragmentDraft] = field(default_factory=list)


@dataclass
class FragmentDraft:
    kind: FragmentKind
    location: Location
    branches: list[BranchDraft] = field(default_factory=list)
    leaves: int = 1  # break only: see model.Fragment


def freeze(events: list[Event | FragmentDraft]) -> tuple[Event, ...]:
    return tuple(_freeze_one(event) for event in events)


def _freeze_one(event: Event | FragmentDraft) -> Event:
    if not isinstance(event, FragmentDraft):
        return event
    branches = tuple(
        Branch(guard=branch.guard, events=freeze(branch.events), location=branch.location)
        for branch in event.branches
    )
    return Fragment(kind=event.kind, branches=branches, location=event.location, leaves=event.leaves)
