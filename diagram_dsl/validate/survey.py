"""What several rules need from a flow's events, collected in one walk so that no rule walks the tree again.

The rules on participants (SEQ100, SEQ102), text (SEQ170, SEQ171), fragment shape (SEQ130-SEQ132),
reachability (SEQ103) and pairing each used to flatten the tree and test every event's type for
themselves; on a 100,000-event flow those walks cost as much as the dataflow pass. The control-flow graph's
builder (``cfg.build_cfg``), which walks every event anyway, collects the ``Survey`` as it goes, in document
order, and each rule reads only the events it needs.
"""

from __future__ import annotations

from typing import NamedTuple, assert_never

from diagram_dsl.model import (
    Activation,
    Delay,
    Destruction,
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
