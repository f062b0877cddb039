"""What the author of a hand-written diagram drew, beyond the model: arrow styles, declarations, first uses.

The model says what a message *is* (a request, a reply...). Deciding that for a hand-written
diagram needs to know how it was *drawn* — dashed or solid, which arrowhead, whether it ends the
activation its call started — and how the participants came to exist (declared, or created by
their first use). The importers record those facts here; ``importers.conventions`` reads them to
infer the diagram's own conventions, and ``checks.diagrams`` turns breaks of those conventions
into findings.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from diagram_dsl.frozen import quick


class ArrowStyle(enum.Enum):
    """An arrow's documented meaning as drawn, before any convention is applied."""

    CALL = "call"  # PlantUML `->` (solid), Mermaid `->>`
    REPLY = "reply"  # PlantUML `-->` (dashed) and `return`, Mermaid `-->>` (dotted)
    ASYNC = "async"  # PlantUML `->>`, `-->>`, `-\`; Mermaid `-)`, `--)`
    PLAIN = "plain"  # Mermaid `->`, `-->`: a line with no arrowhead
    OTHER = "other"  # lost, found, destroy: never paired (self-messages and creations keep their line's style)


@dataclass(frozen=True, slots=True)
class Drawn:
    """How one message was drawn. Slots, not a named tuple: the conventions walk reads these fields for every arrow,
    and on Python 3.11 a slot is read by a specialised instruction, a named tuple's field through its descriptor.
    (The importers share one instance per arrow shape: few are made.)"""

    style: ArrowStyle
    returns: bool = False  # `return`, or an arrow back to the caller that ends the activation its call started
    handoff: bool = False  # PlantUML `--++`: ends the sender's activation and starts the receiver's
    answered_in_place: bool = False  # the reply half of `A <-> B` / `A<<->>B`


@quick  # one per declaration read: see diagram_dsl.frozen
@dataclass(frozen=True)
class Declaration:
    """An explicit declaration (`participant X`, `actor "Label" as X`, `create participant X`)."""

    participant: str  # the model id
    line: int
    label: str | None  # the label this line gives, None when it only names the participant


@dataclass(frozen=True)
class Use:
    """Where a participant that was never declared before it was used first appears, and in what statement."""

    participant: str
    line: int
    statement: str  # "message", "note", "activate", "deactivate", "destroy", "ref", "create"


@dataclass(frozen=True)
class Redeclaration:
    """The same alias declared again with a different label (`participant "Billing" as O` after `"Orders" as O`)."""

    participant: str
    line: int
    first_line: int
    first_label: str
    label: str


@dataclass(frozen=True)
class SkippedLine:
    """A line the importer could not read: skipped, so the rest of the diagram is still checked."""

    line: int
    text: str
    message: str  # what is wrong, e.g. "cannot read `A=>B` as a Mermaid sequence statement"
    hint: str = ""


@dataclass(frozen=True)
class DrawnFacts:
    arrows: dict[int, Drawn] = field(default_factory=dict)  # message id -> how it was drawn
    declarations: tuple[Declaration, ...] = ()
    implicit: tuple[Use, ...] = ()  # participants used before (or without) a declaration, at their first use
    redeclarations: tuple[Redeclaration, ...] = ()
    skipped: tuple[SkippedLine, ...] = ()
    preprocessor_line: int | None = None  # first preprocessor directive the importer did not expand
