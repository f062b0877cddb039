"""One walk over a flow's event tree, collecting what several rules need, so that no rule walks the tree again.

The rules on participants (SEQ100, SEQ102), text (SEQ170, SEQ171), fragment shape (SEQ130-SEQ132),
reachability (SEQ103) and pairing each used to flatten the tree and test every event's type for
themselves; on a 100,000-event flow those walks cost as much as the dataflow pass. The survey
walks it once, in document order, and hands each rule only the events it reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from diagram_dsl.model import (
    Activation,
    Delay,
    Destruction,
    Diagram,
    Divider,
    Event,
    Fragment,
    Message,
    Note,
    Reference,
    Space,
    walk_events,
)


@dataclass(frozen=True, slots=True)
class Survey:
    """``events``: every event in document order, a fragment before its contents (``walk_events``);
    ``messages``, ``fragments`` and ``annotations`` (notes, refs, dividers, delays: the other events that
    hold text) the same, of those kinds; ``first_reference``: each participant some event names, with the
    first event that names it, in document order."""

    events: tuple[Event, ...]
    messages: tuple[Message, ...]
    fragments: tuple[Fragment, ...]
    annotations: tuple[Note | Reference | Divider | Delay, ...]
    first_reference: dict[str, Event]


def survey(diagram: Diagram) -> Survey:
    events = walk_events(diagram.events)
    messages: list[Message] = []
    fragments: list[Fragment] = []
    annotations: list[Note | Reference | Divider | Delay] = []
    first: dict[str, Event] = {}
    for event in events:
        match event:
            case Message(sender=sender, receiver=receiver):
                messages.append(event)
                if sender is not None and sender not in first:
                    first[sender] = event
                if receiver is not None and receiver not in first:
                    first[receiver] = event
            case Fragment():
                fragments.append(event)
            case Activation(participant=participant) | Destruction(participant=participant):
                if participant not in first:
                    first[participant] = event
            case Note(participants=participants) | Reference(participants=participants):
                annotations.append(event)
                for participant in participants:
                    if participant not in first:
                        first[participant] = event
            case Divider() | Delay():
                annotations.append(event)
            case Space():
                pass
            case _:
                assert_never(event)
    return Survey(events, tuple(messages), tuple(fragments), tuple(annotations), first)


def participant_references(event: Event) -> tuple[str, ...]:
    """The participants one event names, in the order it names them."""
    match event:
        case Message(sender=sender, receiver=receiver):
            return tuple(end for end in (sender, receiver) if end is not None)
        case Note(participants=participants) | Reference(participants=participants):
            return participants
        case Activation(participant=participant) | Destruction(participant=participant):
            return (participant,)
        case Fragment() | Divider() | Delay() | Space():
            return ()
        case _:
            assert_never(event)
