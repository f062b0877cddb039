"""Document-order walks over an event tree that know where branches start and fragments end, without recursion."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from diagram_dsl.model import Activation, Destruction, Event, Fragment, Message, Note, Reference


@dataclass(frozen=True)
class Enter:
    """A fragment starts (before its first branch)."""

    fragment: Fragment


@dataclass(frozen=True)
class BranchStart:
    fragment: Fragment
    index: int


@dataclass(frozen=True)
class Leave:
    """A fragment ends (after its last branch)."""

    fragment: Fragment


Step = Event | Enter | BranchStart | Leave


def steps(events: tuple[Event, ...]) -> Iterator[Step]:
    """Every event in document order, with ``Enter``/``BranchStart``/``Leave`` marks around fragment contents.

    An explicit stack instead of recursion: a diagram nested hundreds of levels deep is walked like any other.
    """
    stack: list[Iterator[Step]] = [iter(events)]
    while stack:
        for item in stack[-1]:  # a for loop, not next() per item: this runs for every event of every diagram
            yield item
            if isinstance(item, Fragment):
                stack.append(_fragment_steps(item))
                break  # its contents first; the iterator below resumes after it
        else:
            stack.pop()


def _fragment_steps(fragment: Fragment) -> Iterator[Step]:
    yield Enter(fragment)
    for index, branch in enumerate(fragment.branches):
        yield BranchStart(fragment, index)
        yield from branch.events  # nested fragments are expanded by the caller's stack
    yield Leave(fragment)


def participant_references(event: Event) -> Iterator[str]:
    """The participants an event names (a message's ends, a note's or ref's participants, an activation's)."""
    if isinstance(event, Message):
        yield from (end for end in (event.sender, event.receiver) if end is not None)
    elif isinstance(event, Note | Reference):
        yield from event.participants
    elif isinstance(event, Activation | Destruction):
        yield event.participant
