"""The Python DSL: ``Flow`` records a sequence as you write it and ``build()`` freezes it.

Nothing here validates semantics or draws: misuse of the DSL itself raises
``DslError`` at the offending line; everything else is the validator's job.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from diagram_dsl.dsl.lifeline import Call, Lifeline
from diagram_dsl.dsl.location import caller_location
from diagram_dsl.errors import DslError
from diagram_dsl.model import (
    Activation,
    Autonumber,
    Box,
    Delay,
    Destruction,
    Diagram,
    Divider,
    Event,
    FlowModel,
    FragmentKind,
    GuideEntry,
    Location,
    Message,
    MessageKind,
    Metadata,
    Note,
    NotePosition,
    Participant,
    ParticipantKind,
    Reference,
    Scores,
    Space,
)
from diagram_dsl.model_drafts import BranchDraft, FragmentDraft, freeze
from diagram_dsl.naming import identifier, slugify

__all__ = ["Call", "Flow", "Lifeline"]


def _text(value: Any, what: str, location: Location) -> str:
    if not isinstance(value, str):
        raise DslError(f"{what} must be a string, got {type(value).__name__}", location,
                       hint=f"write the {what} in quotes")
    return value


def _texts(values: Iterable[Any], what: str, location: Location) -> tuple[str, ...]:
    if isinstance(values, str):
        raise DslError(f"{what} must be a list of strings, not one string", location,
                       hint="wrap it in [...]")
    return tuple(_text(value, f"each {what} entry", location) for value in values)


class Flow:
    """One sequence-diagram flow with its catalog metadata.

    >>> flow = Flow(number=1, title="Ping", description="A ping.", scores=Scores(5, 1, "High"))
    >>> a, b = flow.actor("A"), flow.participant("B")
    >>> with a.call(b, "ping") as ping:
    ...     ping.reply("pong")
    """

    def __init__(
        self,
        *,
        number: int,
        title: str,
        description: str,
        scores: Scores,
        when_to_use: Sequence[str] = (),
        important_points: Sequence[str] = (),
        guides: Sequence[GuideEntry] = (),
        allow: Sequence[str] = (),
        slug: str | None = None,
        diagram_title: str | None = None,
    ) -> None:
        location = caller_location()
        if not isinstance(number, int) or isinstance(number, bool):
            raise DslError(f"number must be an integer, got {number!r}", location)
        if not isinstance(scores, Scores):
            raise DslError("scores must be Scores(quality, difficulty, performance)", location)
        if any(not isinstance(entry, GuideEntry) for entry in guides):
            raise DslError("guides must be a list of GuideEntry(guide, section, blurb)", location)
        title = _text(title, "title", location)
        self._metadata = Metadata(
            number=number,
            title=title,
            slug=slugify(title) if slug is None else _text(slug, "slug", location),
            description=_text(description, "description", location),
            scores=scores,
            when_to_use=_texts(when_to_use, "when_to_use", location),
            important_points=_texts(important_points, "important_points", location),
            guides=tuple(guides),
            allow=_texts(allow, "allow", location),
            location=location,
        )
        self._diagram_title = title if diagram_title is None else _text(diagram_title, "diagram_title", location)
        self._location = location
        self._participants: list[Participant] = []
        self._boxes: list[Box] = []
        self._open_box: str | None = None
        self._root: list[Event | FragmentDraft] = []
        self._containers: list[list[Event | FragmentDraft]] = [self._root]
        self._open_fragments: list[FragmentDraft] = []
        self._autonumber: Autonumber | None = None
        self._next_message_id = 1

    # -- participants -------------------------------------------------------------------------
    def _declare(self, label: str, kind: ParticipantKind, participant_id: str | None) -> Lifeline:
        location = caller_location()
        label = _text(label, "participant label", location)
        pid = identifier(label) if participant_id is None else _text(participant_id, "participant id", location)
        if not pid.isidentifier():
            raise DslError(f"participant id {pid!r} is not an identifier", location,
                           hint="use letters, digits and underscores")
        if any(existing.id == pid for existing in self._participants):
            raise DslError(f"participant id {pid!r} is already declared in this flow", location,
                           hint="give one of them another label or an explicit id=")
        self._participants.append(Participant(pid, label, kind, location, self._open_box))
        return Lifeline(self, pid, label)

    def actor(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002 - reads as the DSL intends
        return self._declare(label, ParticipantKind.ACTOR, id)

    def participant(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002
        return self._declare(label, ParticipantKind.PARTICIPANT, id)

    service = participant

    def boundary(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002
        return self._declare(label, ParticipantKind.BOUNDARY, id)

    def control(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002
        return self._declare(label, ParticipantKind.CONTROL, id)

    def entity(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002
        return self._declare(label, ParticipantKind.ENTITY, id)

    def database(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002
        return self._declare(label, ParticipantKind.DATABASE, id)

    def queue(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002
        return self._declare(label, ParticipantKind.QUEUE, id)

    def collections(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002
        return self._declare(label, ParticipantKind.COLLECTIONS, id)

    @contextlib.contextmanager
    def box(self, title: str, *, color: str | None = None) -> Iterator[None]:
        """Participants declared inside the block are drawn inside one titled box."""
        location = caller_location()
        title = _text(title, "box title", location)
        if self._open_box is not None:
            raise DslError("boxes cannot be nested", location, hint="close the outer box first")
        box_id = f"box{len(self._boxes) + 1}"
        self._boxes.append(Box(box_id, title, None if color is None else _text(color, "box color", location),
                               location))
        self._open_box = box_id
        try:
            yield
        finally:
            self._open_box = None

    # -- events (called by Lifeline and Call too) ---------------------------------------------
    def _owns(self, lifeline: Any, location: Location) -> str:
        if not isinstance(lifeline, Lifeline):
            raise DslError(f"expected a participant of this flow, got {type(lifeline).__name__}", location,
                           hint="declare it with flow.participant(...) first")
        if lifeline.flow is not self:
            raise DslError(f"participant {lifeline.label!r} belongs to another flow", location,
                           hint="declare it on this flow")
        return lifeline.id

    def _add(self, event: Event) -> None:
        self._containers[-1].append(event)

    def _message(
        self, kind: MessageKind, sender: Lifeline | None, receiver: Lifeline | None, label: str,
        location: Location, *, reply_to: int | None = None, activate: bool = False, deactivate: bool = False,
    ) -> Message:
        message = Message(
            id=self._next_message_id,
            kind=kind,
            sender=None if sender is None else self._owns(sender, location),
            receiver=None if receiver is None else self._owns(receiver, location),
            label=_text(label, "message label", location),
            location=location,
            reply_to=reply_to,
            activate=activate,
            deactivate=deactivate,
        )
        self._next_message_id += 1
        self._add(message)
        return message

    def found(self, receiver: Lifeline, label: str) -> Message:
        """A message arriving from outside the diagram (PlantUML ``[->``)."""
        return self._message(MessageKind.FOUND, None, receiver, label, caller_location())

    def note(
        self, text: str, *, over: Lifeline | Sequence[Lifeline] | None = None,
        left_of: Lifeline | None = None, right_of: Lifeline | None = None,
    ) -> None:
        location = caller_location()
        text = _text(text, "note text", location)
        given = [(NotePosition.OVER, over), (NotePosition.LEFT, left_of), (NotePosition.RIGHT, right_of)]
        chosen = [(position, target) for position, target in given if target is not None]
        if len(chosen) != 1:
            raise DslError("a note needs exactly one of over=, left_of=, right_of=", location)
        position, target = chosen[0]
        targets = [target] if isinstance(target, Lifeline) else list(target)
        if not targets or (position is not NotePosition.OVER and len(targets) != 1):
            raise DslError("over= takes one or more participants; left_of/right_of take one", location)
        self._add(Note(position, tuple(self._owns(t, location) for t in targets), text, location))

    def activate(self, lifeline: Lifeline) -> None:
        location = caller_location()
        self._add(Activation(self._owns(lifeline, location), True, location))

    def deactivate(self, lifeline: Lifeline) -> None:
        location = caller_location()
        self._add(Activation(self._owns(lifeline, location), False, location))

    def end_of_life(self, lifeline: Lifeline) -> None:
        """The lifeline ends here (PlantUML/Mermaid ``destroy X`` without a destroying message)."""
        location = caller_location()
        self._add(Destruction(self._owns(lifeline, location), location))

    def ref(self, text: str, *, over: Lifeline | Sequence[Lifeline]) -> None:
        location = caller_location()
        targets = [over] if isinstance(over, Lifeline) else list(over)
        if not targets:
            raise DslError("ref needs at least one participant in over=", location)
        self._add(Reference(tuple(self._owns(t, location) for t in targets), _text(text, "ref text", location),
                            location))

    def divider(self, text: str) -> None:
        location = caller_location()
        self._add(Divider(_text(text, "divider text", location), location))

    def delay(self, text: str = "") -> None:
        location = caller_location()
        self._add(Delay(_text(text, "delay text", location), location))

    def space(self, pixels: int | None = None) -> None:
        location = caller_location()
        if pixels is not None and (not isinstance(pixels, int) or pixels <= 0):
            raise DslError("space(pixels) takes a positive integer", location)
        self._add(Space(pixels, location))

    def autonumber(self, start: int = 1, step: int = 1) -> None:
        location = caller_location()
        if self._autonumber is not None:
            raise DslError("autonumber is already on for this flow", location)
        self._autonumber = Autonumber(start, step)

    # -- fragments ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _fragment(self, kind: FragmentKind, guard: Any, location: Location) -> Iterator[None]:
        draft = FragmentDraft(kind, location, [BranchDraft(_text(guard, f"{kind.value} guard", location), location)])
        self._add_draft(draft)
        with self._inside(draft):
            yield

    def _add_draft(self, draft: FragmentDraft) -> None:
        self._containers[-1].append(draft)

    @contextlib.contextmanager
    def _inside(self, draft: FragmentDraft) -> Iterator[None]:
        self._containers.append(draft.branches[-1].events)
        self._open_fragments.append(draft)
        try:
            yield
        finally:
            self._containers.pop()
            self._open_fragments.pop()

    @contextlib.contextmanager
    def _next_branch(self, kind: FragmentKind, guard: Any, location: Location) -> Iterator[None]:
        keyword = kind.branch_keyword
        siblings = self._containers[-1]
        previous = siblings[-1] if siblings else None
        if not isinstance(previous, FragmentDraft) or previous.kind is not kind:
            raise DslError(f"{keyword}_() must directly follow a `with flow.{kind.value}(...)` block", location,
                           hint=f"put it right after the {kind.value} block, at the same indentation")
        previous.branches.append(BranchDraft(_text(guard, f"{keyword} guard", location), location))
        with self._inside(previous):
            yield

    def alt(self, guard: str) -> contextlib.AbstractContextManager[None]:
        return self._fragment(FragmentKind.ALT, guard, caller_location())

    def else_(self, guard: str = "else") -> contextlib.AbstractContextManager[None]:
        return self._next_branch(FragmentKind.ALT, guard, caller_location())

    def opt(self, guard: str) -> contextlib.AbstractContextManager[None]:
        return self._fragment(FragmentKind.OPT, guard, caller_location())

    def loop(self, guard: str) -> contextlib.AbstractContextManager[None]:
        return self._fragment(FragmentKind.LOOP, guard, caller_location())

    def par(self, guard: str = "") -> contextlib.AbstractContextManager[None]:
        return self._fragment(FragmentKind.PAR, guard, caller_location())

    def and_(self, guard: str = "") -> contextlib.AbstractContextManager[None]:
        return self._next_branch(FragmentKind.PAR, guard, caller_location())

    def critical(self, guard: str) -> contextlib.AbstractContextManager[None]:
        return self._fragment(FragmentKind.CRITICAL, guard, caller_location())

    def option(self, guard: str) -> contextlib.AbstractContextManager[None]:
        return self._next_branch(FragmentKind.CRITICAL, guard, caller_location())

    def break_(self, guard: str) -> contextlib.AbstractContextManager[None]:
        return self._fragment(FragmentKind.BREAK, guard, caller_location())

    def group(self, label: str) -> contextlib.AbstractContextManager[None]:
        return self._fragment(FragmentKind.GROUP, label, caller_location())

    # -- result -----------------------------------------------------------------------------------
    @property
    def metadata(self) -> Metadata:
        return self._metadata

    def build(self) -> FlowModel:
        """Freeze what was recorded into the immutable model."""
        if self._open_fragments:
            raise DslError("build() called inside an open fragment", caller_location())
        diagram = Diagram(
            participants=tuple(self._participants),
            events=freeze(self._root),
            boxes=tuple(self._boxes),
            title=self._diagram_title,
            autonumber=self._autonumber,
            location=self._location,
        )
        return FlowModel(self._metadata, diagram)
