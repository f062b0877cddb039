"""The intermediate representation every stage consumes.

Frozen dataclasses and enums only: no I/O, no behaviour beyond small derived
views. The DSL and the importers build it; the validator, emitters and
renderers read it and never change it. The classes made once per line read or
per event are ``@quick`` (``diagram_dsl.frozen``): the same frozen dataclasses,
built at a fraction of the cost.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TypeAlias

from diagram_dsl.frozen import quick


@quick
@dataclass(frozen=True, order=True)
class Location:
    """Where an element was declared: a file (as given to the loader) and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


UNKNOWN_LOCATION = Location("<unknown>", 0)


class ParticipantKind(enum.Enum):
    ACTOR = "actor"
    PARTICIPANT = "participant"
    BOUNDARY = "boundary"
    CONTROL = "control"
    ENTITY = "entity"
    DATABASE = "database"
    QUEUE = "queue"
    COLLECTIONS = "collections"


@quick
@dataclass(frozen=True)
class Participant:
    """A lifeline. ``id`` is a stable identifier derived from the label; ``label`` may hold newlines."""

    id: str
    label: str
    kind: ParticipantKind
    location: Location = UNKNOWN_LOCATION
    box: str | None = None  # id of the Box this participant belongs to


@quick
@dataclass(frozen=True)
class Box:
    """A titled, optionally coloured group of participants (PlantUML ``box``, Mermaid ``box``)."""

    id: str
    title: str
    color: str | None = None
    location: Location = UNKNOWN_LOCATION


class MessageKind(enum.Enum):
    REQUEST = "request"  # synchronous call: expects a REPLY from the receiver
    REPLY = "reply"  # answer to the innermost open request of the receiver
    ASYNC = "async"  # fire-and-forget send: no reply expected
    SELF = "self"  # sender == receiver, internal step
    CREATE = "create"  # sender creates receiver; receiver's head appears here
    DESTROY = "destroy"  # sender destroys receiver; receiver's lifeline ends here
    LOST = "lost"  # never arrives; receiver may be None (to nowhere)
    FOUND = "found"  # comes from outside the diagram; sender is None


@quick
@dataclass(frozen=True)
class Message:
    """One arrow.

    ``id`` is unique within the diagram and follows declaration order.
    ``reply_to`` names the request a REPLY answers when the author said so
    explicitly (the DSL always does; importers leave it None and the validator
    pairs by nesting). ``activate`` starts an activation on the receiver;
    ``deactivate`` ends the sender's innermost activation after the arrow.
    """

    id: int
    kind: MessageKind
    sender: str | None
    receiver: str | None
    label: str
    location: Location = UNKNOWN_LOCATION
    reply_to: int | None = None
    activate: bool = False
    deactivate: bool = False


class NotePosition(enum.Enum):
    LEFT = "left"
    RIGHT = "right"
    OVER = "over"


@quick
@dataclass(frozen=True)
class Note:
    position: NotePosition
    participants: tuple[str, ...]
    text: str
    location: Location = UNKNOWN_LOCATION


@quick
@dataclass(frozen=True)
class Activation:
    """Explicit ``activate X`` (active=True) or ``deactivate X`` (active=False)."""

    participant: str
    active: bool
    location: Location = UNKNOWN_LOCATION


@quick
@dataclass(frozen=True)
class Destruction:
    """A participant's lifeline ends here without a destroying message."""

    participant: str
    location: Location = UNKNOWN_LOCATION


class FragmentKind(enum.Enum):
    ALT = "alt"  # branches: alt / else ...
    OPT = "opt"
    LOOP = "loop"
    PAR = "par"  # branches: par / and ...
    CRITICAL = "critical"  # branches: critical / option ...
    BREAK = "break"
    GROUP = "group"  # a labelled box with no control-flow meaning

    @property
    def allows_branches(self) -> bool:
        return self in (FragmentKind.ALT, FragmentKind.PAR, FragmentKind.CRITICAL)

    @property
    def branch_keyword(self) -> str | None:
        """The keyword of the second and later branches: else, and, option."""
        return {FragmentKind.ALT: "else", FragmentKind.PAR: "and", FragmentKind.CRITICAL: "option"}.get(self)


@quick
@dataclass(frozen=True)
class Branch:
    """One operand of a fragment: its guard text and the events inside it."""

    guard: str
    events: tuple[Event, ...]
    location: Location = UNKNOWN_LOCATION


@quick
@dataclass(frozen=True)
class Fragment:
    """An interaction fragment. ``leaves`` (break only): how many enclosing fragments a taken break leaves, groups
    not counted; 1, the innermost, is what PlantUML and Mermaid mean by ``break``."""

    kind: FragmentKind
    branches: tuple[Branch, ...]
    location: Location = UNKNOWN_LOCATION
    leaves: int = 1

    @property
    def label(self) -> str:
        return self.branches[0].guard if self.branches else ""


@quick
@dataclass(frozen=True)
class Reference:
    """``ref over A, B : text`` — a pointer to another interaction."""

    participants: tuple[str, ...]
    text: str
    location: Location = UNKNOWN_LOCATION


@quick
@dataclass(frozen=True)
class Divider:
    text: str
    location: Location = UNKNOWN_LOCATION


@quick
@dataclass(frozen=True)
class Delay:
    text: str = ""
    location: Location = UNKNOWN_LOCATION


@quick
@dataclass(frozen=True)
class Space:
    """Extra vertical space (PlantUML ``|||`` / ``||45||``); ``pixels`` None means the default gap."""

    pixels: int | None = None
    location: Location = UNKNOWN_LOCATION


Event: TypeAlias = (
    Message | Note | Activation | Destruction | Fragment | Reference | Divider | Delay | Space
)


@quick
@dataclass(frozen=True)
class Autonumber:
    start: int = 1
    step: int = 1


@quick
@dataclass(frozen=True)
class Diagram:
    """A sequence diagram: participants in column order, boxes, and the ordered event tree."""

    participants: tuple[Participant, ...]
    events: tuple[Event, ...]
    boxes: tuple[Box, ...] = ()
    title: str | None = None
    autonumber: Autonumber | None = None
    location: Location = UNKNOWN_LOCATION

    def participant(self, participant_id: str) -> Participant | None:
        for candidate in self.participants:
            if candidate.id == participant_id:
                return candidate
        return None

    def messages(self) -> tuple[Message, ...]:
        """Every message in document order, fragments flattened."""
        return tuple(event for event in walk_events(self.events) if isinstance(event, Message))


def walk_events(events: tuple[Event, ...]) -> tuple[Event, ...]:
    """All events in document order, depth first; a fragment precedes its contents."""
    flat: list[Event] = []
    stack: list[Event] = list(reversed(events))
    while stack:
        event = stack.pop()
        flat.append(event)
        if isinstance(event, Fragment):
            for branch in reversed(event.branches):
                stack.extend(reversed(branch.events))
    return tuple(flat)


@dataclass(frozen=True)
class Scores:
    """The seed document's three scores: quality and difficulty out of 10, a performance level."""

    solution_quality: int
    implementation_difficulty: int
    performance_level: str


PERFORMANCE_LEVELS = ("Low", "Medium", "High", "Very High")


@dataclass(frozen=True)
class GuideEntry:
    """Where a flow appears in one of the catalog's selection guides, with its one-line blurb."""

    guide: str  # e.g. "Selection Guide by Use Case"
    section: str  # e.g. "Authentication & Authorization"
    blurb: str  # e.g. "Basic authentication"


@dataclass(frozen=True)
class Metadata:
    number: int
    title: str
    slug: str
    description: str  # "" when the author gave none (a quick sketch; SEQ161 says so)
    scores: Scores | None  # None when the author gave none (a quick sketch; SEQ161 says so)
    when_to_use: tuple[str, ...] = ()
    important_points: tuple[str, ...] = ()
    guides: tuple[GuideEntry, ...] = ()
    allow: tuple[str, ...] = ()  # warning codes this flow waives for itself
    location: Location = UNKNOWN_LOCATION


@dataclass(frozen=True)
class FlowModel:
    """A catalog flow: its metadata and its diagram. This is what ``Flow.build()`` returns."""

    metadata: Metadata
    diagram: Diagram = field(repr=False)
