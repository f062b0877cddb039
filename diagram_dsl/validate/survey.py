"""One walk over a flow's event tree, collecting what several rules need, so that no rule walks the tree again.

The rules on participants (SEQ100, SEQ102), text (SEQ170, SEQ171), fragment shape (SEQ130-SEQ132),
reachability (SEQ103) and pairing each used to flatten the tree and test every event's type for
themselves; on a 100,000-event flow those walks cost as much as the dataflow pass. The survey
walks it once, in document order, and hands each rule only the events it reads.
"""

from __future__ import annotations

from typing import NamedTuple, assert_never

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
)


class Survey(NamedTuple):
    """``messages``, ``fragments`` and ``annotations`` (notes, refs, dividers, delays: the other events that hold
    text): the flow's events of those kinds in document order, a fragment before its contents (``walk_events``);
    ``first_reference``: each participant some event names, with the first event that names it, in document
    order. A named tuple made with ``tuple.__new__``: one is made per validated diagram, and a frozen dataclass
    costs as much to make as surveying a small diagram's events. (The rare rules that read every event, SEQ170's
    report and SEQ171, walk them with ``walk_events``.)"""

    messages: tuple[Message, ...]
    fragments: tuple[Fragment, ...]
    annotations: tuple[Note | Reference | Divider | Delay, ...]
    first_reference: dict[str, Event]


def survey(diagram: Diagram) -> Survey:
    messages: list[Message] = []
    fragments: list[Fragment] = []
    annotations: list[Note | Reference | Divider | Delay] = []
    first: dict[str, Event] = {}
    _survey(diagram.events, messages, fragments, annotations, first)
    return tuple.__new__(Survey, (tuple(messages), tuple(fragments), tuple(annotations), first))


def _survey(events: tuple[Event, ...], messages: list[Message], fragments: list[Fragment],
            annotations: list[Note | Reference | Divider | Delay], first: dict[str, Event]) -> None:
    # Sorts the events by kind in the order ``walk_events`` flattens them, recursing into each branch: every event
    # of every validated diagram passes here, and a for loop over a tuple costs a fraction of popping an explicit
    # stack (most diagrams nest a few fragments at most; the 100,000-event benchmark nests none).
    for event in events:
        if isinstance(event, Message):  # the tests in the order of how common each kind is
            messages.append(event)
            sender, receiver = event.sender, event.receiver
            if sender is not None and sender not in first:
                first[sender] = event
            if receiver is not None and receiver not in first:
                first[receiver] = event
        elif isinstance(event, (Activation, Destruction)):
            if event.participant not in first:
                first[event.participant] = event
        elif isinstance(event, (Note, Reference)):
            annotations.append(event)
            for participant in event.participants:
                if participant not in first:
                    first[participant] = event
        elif isinstance(event, Fragment):
            fragments.append(event)
            for branch in event.branches:
                _survey(branch.events, messages, fragments, annotations, first)
        elif isinstance(event, (Divider, Delay)):
            annotations.append(event)
        elif not isinstance(event, Space):
            assert_never(event)


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
