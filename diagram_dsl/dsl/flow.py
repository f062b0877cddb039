"""The Python DSL: ``Flow`` records a sequence as you write it and ``build()`` freezes it.

Nothing here validates semantics or draws: misuse of the DSL itself raises
``DslError`` at the offending line; everything else is the validator's job.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from diagram_dsl.dsl.calls import CallsAround, OpenCalls, answered, matching_call
from diagram_dsl.dsl.fragment import FragmentHandle
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
from diagram_dsl.model_drafts import MAX_NESTING, BranchDraft, FragmentDraft, freeze
from diagram_dsl.naming import identifier, slugify

__all__ = ["Call", "Flow", "FragmentHandle", "Lifeline"]


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
    """One sequence-diagram flow: its catalog metadata and the events you record on it, in order.

    A source module assigns one ``Flow`` at module level; ``diagram-dsl`` loads it, validates it and draws it.
    Only ``title`` is required: a quick sketch needs nothing else, and the validator lists what the catalog
    would still want (SEQ161 warnings; ``check --strict`` fails on them).

    Args:
        number: the flow's number in the catalog (``<number>-<slug>.png``); unique in the project. Leave it out
            when the file name starts with it (``sources/21_order_refund.py``).
        title: the heading in the catalog and the diagram's title; the output files are named after it.
        description: one or two sentences on what the flow shows (the catalog page prints it).
        scores: ``Scores(solution_quality=0..10, implementation_difficulty=0..10,
            performance_level="Low" | "Medium" | "High" | "Very High")`` for the catalog page.
        when_to_use: bullet points: when to pick this pattern.
        important_points: bullet points: what an implementer must not miss.
        guides: ``GuideEntry(guide, section, blurb)`` entries: where the flow appears in the catalog's
            selection guides.
        allow: warning codes this flow waives for itself, e.g. ``["SEQ102"]`` (errors cannot be waived).
        slug: the file-name part after the number; derived from ``title`` unless given.
        diagram_title: the title drawn on the diagram, when it should differ from ``title``.

    Example:
        flow = Flow(number=21, title="Order Refund")
        user, shop = flow.actor("User"), flow.service("Shop")
        with user.call(shop, "POST /refunds") as refund:
            refund.reply("202 Accepted")
    """

    def __init__(
        self,
        *,
        number: int | None = None,  # None: the loader takes it from the file name (``NN_slug.py``)
        title: str,
        description: str = "",
        scores: Scores | None = None,
        when_to_use: Sequence[str] = (),
        important_points: Sequence[str] = (),
        guides: Sequence[GuideEntry] = (),
        allow: Sequence[str] = (),
        slug: str | None = None,
        diagram_title: str | None = None,
    ) -> None:
        location = caller_location()
        if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
            raise DslError(f"number must be an integer, got {number!r}", location)
        if scores is not None and not isinstance(scores, Scores):
            raise DslError("scores must be Scores(quality, difficulty, performance)", location)
        if any(not isinstance(entry, GuideEntry) for entry in guides):
            raise DslError("guides must be a list of GuideEntry(guide, section, blurb)", location)
        title = _text(title, "title", location)
        self._number_given = number is not None
        self._metadata = Metadata(
            number=0 if number is None else number,
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
        self._calls: OpenCalls = ()
        self._calls_around: dict[int, CallsAround] = {}  # id(fragment draft) -> the calls open around it
        self._autonumber: Autonumber | None = None
        self._next_message_id = 1

    # -- participants -------------------------------------------------------------------------
    def _declare(self, label: str, kind: ParticipantKind, participant_id: str | None) -> Lifeline:
        location = caller_location()
        label = _text(label, "participant label", location)
        taken = {existing.id for existing in self._participants}
        if participant_id is None:
            # Two labels may give the same id ("Auth Service", "auth-service"); the second gets a numbered id.
            # A label used twice is the validator's SEQ101 at the second declaration, not a crash here.
            pid = base = identifier(label)
            suffix = 2
            while pid in taken:
                pid, suffix = f"{base}_{suffix}", suffix + 1
        else:
            pid = _text(participant_id, "participant id", location)
            if not pid.isidentifier():
                raise DslError(f"participant id {pid!r} is not an identifier", location,
                               hint="use letters, digits and underscores")
            if pid in taken:
                raise DslError(f"participant id {pid!r} is already declared in this flow", location,
                               hint="give one of them another id=", code="SEQ101")
        self._participants.append(Participant(pid, label, kind, location, self._open_box))
        return Lifeline(self, pid, label)

    def actor(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002 - reads as the DSL intends
        """Declares a person or an outside system that starts things: drawn as a stick figure.

        Participants are drawn left to right in the order they are declared.

        Args:
            label: the name drawn in the head; ``\\n`` breaks it into lines.
            id: the identifier used in PlantUML and Mermaid output; derived from ``label`` unless given.
        """
        return self._declare(label, ParticipantKind.ACTOR, id)

    def participant(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002
        """Declares a participant drawn as a plain box (a service, a component). ``flow.service`` is the same.

        Args:
            label: the name drawn in the head; ``\\n`` breaks it into lines.
            id: the identifier used in PlantUML and Mermaid output; derived from ``label`` unless given.
        """
        return self._declare(label, ParticipantKind.PARTICIPANT, id)

    service = participant

    def boundary(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002
        """Declares a boundary (a UI, an API edge): drawn with the boundary glyph.

        Args:
            label: the name drawn under the glyph.
            id: the identifier used in PlantUML and Mermaid output; derived from ``label`` unless given.
        """
        return self._declare(label, ParticipantKind.BOUNDARY, id)

    def control(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002
        """Declares a control (a coordinator, an orchestrator): drawn with the control glyph.

        Args:
            label: the name drawn under the glyph.
            id: the identifier used in PlantUML and Mermaid output; derived from ``label`` unless given.
        """
        return self._declare(label, ParticipantKind.CONTROL, id)

    def entity(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002
        """Declares an entity (a domain object): drawn with the entity glyph.

        Args:
            label: the name drawn under the glyph.
            id: the identifier used in PlantUML and Mermaid output; derived from ``label`` unless given.
        """
        return self._declare(label, ParticipantKind.ENTITY, id)

    def database(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002
        """Declares a database: drawn as a cylinder.

        Args:
            label: the name drawn in the cylinder.
            id: the identifier used in PlantUML and Mermaid output; derived from ``label`` unless given.
        """
        return self._declare(label, ParticipantKind.DATABASE, id)

    def queue(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002
        """Declares a queue or a topic: drawn as a horizontal cylinder.

        Args:
            label: the name drawn in the head.
            id: the identifier used in PlantUML and Mermaid output; derived from ``label`` unless given.
        """
        return self._declare(label, ParticipantKind.QUEUE, id)

    def collections(self, label: str, *, id: str | None = None) -> Lifeline:  # noqa: A002
        """Declares a set of like participants (workers, replicas): drawn as stacked boxes.

        Args:
            label: the name drawn in the head.
            id: the identifier used in PlantUML and Mermaid output; derived from ``label`` unless given.
        """
        return self._declare(label, ParticipantKind.COLLECTIONS, id)

    @contextlib.contextmanager
    def box(self, title: str, *, color: str | None = None) -> Iterator[None]:
        """Participants declared inside the ``with`` block are drawn inside one titled box.

        Args:
            title: the box's title.
            color: a fill colour such as ``"#EEF5FF"``; a soft grey unless given.

        Example:
            with flow.box("Backend", color="#EEF5FF"):
                api, db = flow.service("API"), flow.database("DB")
        """
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
                           hint="declare it with flow.participant(...) first", code="SEQ100")
        if lifeline.flow is not self:
            raise DslError(f"participant {lifeline.label!r} belongs to another flow", location,
                           hint="declare it on this flow", code="SEQ100")
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
        if kind is MessageKind.REQUEST:
            self._calls = (*self._calls, message)
        return message

    def _handle_reply(self, call: Call, label: str, location: Location) -> Message:
        request = call.request
        message = self._message(MessageKind.REPLY, call.callee, call.caller, label, location,
                                reply_to=request.id, deactivate=request.activate)
        self._calls = answered(self._calls, request)
        return message

    def _hand_written_reply(self, sender: Lifeline, receiver: Lifeline, label: str, deactivate: bool | None,
                            location: Location) -> Message:
        request = matching_call(self._calls, self._owns(sender, location), self._owns(receiver, location))
        if deactivate is None:
            deactivate = request is not None and request.activate
        elif not isinstance(deactivate, bool):
            raise DslError(f"deactivate must be True, False or None, got {deactivate!r}", location)
        message = self._message(MessageKind.REPLY, sender, receiver, label, location, deactivate=deactivate)
        if request is not None:
            self._calls = answered(self._calls, request)
        return message

    def found(self, receiver: Lifeline, label: str) -> Message:
        """A message arriving from outside the diagram (a webhook, a timer, an event): drawn from the left edge.

        It gives ``receiver`` control, so the calls it makes next are not SEQ121 ("without holding control").

        Args:
            receiver: the participant it arrives at.
            label: the text on the arrow.
        """
        return self._message(MessageKind.FOUND, None, receiver, label, caller_location())

    def note(
        self, text: str, *, over: Lifeline | Sequence[Lifeline] | None = None,
        left_of: Lifeline | None = None, right_of: Lifeline | None = None,
    ) -> None:
        """A note. Give exactly one of ``over``, ``left_of`` or ``right_of``.

        Args:
            text: the note's text; ``\\n`` breaks lines.
            over: one participant, or a list of them to span.
            left_of: the participant the note sits left of.
            right_of: the participant the note sits right of.
        """
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
        """Starts an activation bar on ``lifeline`` without a call (it holds control from here).

        End it with ``flow.deactivate(lifeline)`` or a reply with ``deactivate=True``.

        Args:
            lifeline: the participant that becomes active.
        """
        location = caller_location()
        self._add(Activation(self._owns(lifeline, location), True, location))

    def deactivate(self, lifeline: Lifeline) -> None:
        """Ends the innermost activation bar of ``lifeline``: one started by ``flow.activate`` or by a call that
        was answered with ``deactivate=False``.

        Args:
            lifeline: the participant whose innermost activation ends.
        """
        location = caller_location()
        self._add(Activation(self._owns(lifeline, location), False, location))

    def end_of_life(self, lifeline: Lifeline) -> None:
        """The lifeline ends here with a cross, without a destroying message (PlantUML/Mermaid ``destroy X``).

        Args:
            lifeline: the participant whose lifeline ends.
        """
        location = caller_location()
        self._add(Destruction(self._owns(lifeline, location), location))

    def ref(self, text: str, *, over: Lifeline | Sequence[Lifeline]) -> None:
        """A reference to another interaction: a framed box with a ``ref`` tab across participants.

        Args:
            text: what it refers to, e.g. ``"see: Token Refresh"``.
            over: one participant or a list of them to span.
        """
        location = caller_location()
        targets = [over] if isinstance(over, Lifeline) else list(over)
        if not targets:
            raise DslError("ref needs at least one participant in over=", location)
        self._add(Reference(tuple(self._owns(t, location) for t in targets), _text(text, "ref text", location),
                            location))

    def divider(self, text: str) -> None:
        """A horizontal divider across the whole diagram with a caption, e.g. ``"Phase 2"``.

        Args:
            text: the caption.
        """
        location = caller_location()
        self._add(Divider(_text(text, "divider text", location), location))

    def delay(self, text: str = "") -> None:
        """Time passes: the lifelines are drawn dotted for a stretch, with an optional caption.

        Args:
            text: the caption, e.g. ``"5 minutes later"``.
        """
        location = caller_location()
        self._add(Delay(_text(text, "delay text", location), location))

    def space(self, pixels: int | None = None) -> None:
        """Extra vertical space.

        Args:
            pixels: how much; a default gap unless given.
        """
        location = caller_location()
        if pixels is not None and (not isinstance(pixels, int) or pixels <= 0):
            raise DslError("space(pixels) takes a positive integer", location)
        self._add(Space(pixels, location))

    def autonumber(self, start: int = 1, step: int = 1) -> None:
        """Numbers the diagram's messages ``start``, ``start + step``, ... (called once, anywhere in the flow).

        Args:
            start: the first number.
            step: the increment.
        """
        location = caller_location()
        if self._autonumber is not None:
            raise DslError("autonumber is already on for this flow", location)
        self._autonumber = Autonumber(start, step)

    # -- fragments ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _fragment(self, kind: FragmentKind, guard: Any, location: Location, leaves: int = 1
                  ) -> Iterator[FragmentHandle]:
        guard = _text(guard, f"{kind.value} guard", location)
        if len(self._open_fragments) >= MAX_NESTING:  # see model_drafts.MAX_NESTING
            raise DslError(f"fragments nested more than {MAX_NESTING} deep", location,
                           hint="split the flow, or move the inner part into a flow of its own")
        draft = FragmentDraft(kind, location, [BranchDraft(guard, location)], leaves)
        around = self._calls_around[id(draft)] = CallsAround(self._calls)
        self._containers[-1].append(draft)
        with self._inside(draft):
            yield FragmentHandle(draft, guard)
        around.after = self._calls
        if kind is FragmentKind.BREAK:
            self._calls = around.before  # below a break the flow goes on along the path that skipped it

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
    def _next_branch(self, kind: FragmentKind, guard: Any, location: Location) -> Iterator[FragmentHandle]:
        keyword = kind.branch_keyword
        siblings = self._containers[-1]
        previous = siblings[-1] if siblings else None
        if not isinstance(previous, FragmentDraft) or previous.kind is not kind:
            raise DslError(f"{keyword}_() must directly follow a `with flow.{kind.value}(...)` block", location,
                           hint=f"put it right after the {kind.value} block, at the same indentation", code="SEQ130")
        guard = _text(guard, f"{keyword} guard", location)
        previous.branches.append(BranchDraft(guard, location))
        around = self._calls_around[id(previous)]
        self._calls = around.before
        with self._inside(previous):
            yield FragmentHandle(previous, guard)
        if kind is FragmentKind.PAR:  # every par branch runs: a call one of them answers is answered after it
            around.after = tuple(call for call in around.after if any(call is still for still in self._calls))
        self._calls = around.after

    def alt(self, guard: str) -> contextlib.AbstractContextManager[FragmentHandle]:
        """Alternatives: the first branch runs when ``guard`` holds; follow it with ``with flow.else_(...)`` blocks.

        Args:
            guard: the condition, drawn in the frame, e.g. ``"password matches"``.

        Example:
            with flow.alt("password matches"):
                verify.reply("session token")
            with flow.else_("mismatch"):
                verify.reply("401")
        """
        return self._fragment(FragmentKind.ALT, guard, caller_location())

    def else_(self, guard: str = "else") -> contextlib.AbstractContextManager[FragmentHandle]:
        """Another branch of the ``alt`` block written right before it, at the same indentation.

        Args:
            guard: the branch's condition.
        """
        return self._next_branch(FragmentKind.ALT, guard, caller_location())

    def opt(self, guard: str) -> contextlib.AbstractContextManager[FragmentHandle]:
        """An optional part: runs only when ``guard`` holds.

        Args:
            guard: the condition, e.g. ``"coupon given"``.
        """
        return self._fragment(FragmentKind.OPT, guard, caller_location())

    def loop(self, guard: str) -> contextlib.AbstractContextManager[FragmentHandle]:
        """A part that runs zero, one or more times; each run must end as it started (every call answered).

        Args:
            guard: what it repeats over, e.g. ``"each item"`` or ``"up to 3 retries"``.
        """
        return self._fragment(FragmentKind.LOOP, guard, caller_location())

    def par(self, guard: str = "") -> contextlib.AbstractContextManager[FragmentHandle]:
        """Parallel branches: this one and each ``with flow.and_(...)`` after it run at the same time.

        Args:
            guard: a caption for the first branch.
        """
        return self._fragment(FragmentKind.PAR, guard, caller_location())

    def and_(self, guard: str = "") -> contextlib.AbstractContextManager[FragmentHandle]:
        """Another parallel branch of the ``par`` block written right before it.

        Args:
            guard: a caption for the branch.
        """
        return self._next_branch(FragmentKind.PAR, guard, caller_location())

    def critical(self, guard: str) -> contextlib.AbstractContextManager[FragmentHandle]:
        """A critical region (runs atomically); ``with flow.option(...)`` blocks after it are alternatives.

        Args:
            guard: what the region is, e.g. ``"holding the lock"``.
        """
        return self._fragment(FragmentKind.CRITICAL, guard, caller_location())

    def option(self, guard: str) -> contextlib.AbstractContextManager[FragmentHandle]:
        """An alternative branch of the ``critical`` block written right before it.

        Args:
            guard: the branch's condition.
        """
        return self._next_branch(FragmentKind.CRITICAL, guard, caller_location())

    def break_(self, guard: str, *, leave: FragmentHandle | None = None) -> contextlib.AbstractContextManager[
            FragmentHandle]:
        """When ``guard`` holds, the block runs and then the flow leaves the fragment around it (an early exit).

        Without ``leave`` it leaves the innermost enclosing fragment (``alt``, ``opt``, ``loop``, ...; groups do
        not count), or the whole flow at top level. When it is not taken, the flow goes on below it.

        Args:
            guard: the condition, e.g. ``"account locked"``.
            leave: an enclosing fragment, named with ``with flow.loop(...) as pages:``, that a taken break leaves
                together with every fragment inside it: how to leave two nested loops at once. PlantUML and
                Mermaid have no such break: they draw an ordinary ``break``, so say in the guard what it leaves.

        Example:
            with flow.loop("each page") as pages:
                with flow.loop("each item"):
                    with flow.break_("quota exceeded: stop all pages", leave=pages):
                        api.send(client, "429")
        """
        location = caller_location()
        return self._fragment(FragmentKind.BREAK, guard, location, self._leaves(leave, location))

    def _leaves(self, target: FragmentHandle | None, location: Location) -> int:
        """How many enclosing fragments a break leaves to get out of ``target`` (groups and breaks not counted)."""
        if target is None:
            return 1
        if not isinstance(target, FragmentHandle):
            raise DslError(f"leave= takes a fragment handle, got {type(target).__name__}", location,
                           hint="name the fragment: `with flow.loop(...) as outer:` then `leave=outer`")
        draft = target._draft
        if draft.kind in (FragmentKind.GROUP, FragmentKind.BREAK):
            raise DslError(f"a break cannot leave a {draft.kind.value}: it leaves the fragment around it",
                           location, hint="name the loop (or alt, opt...) to leave", code="SEQ130")
        if not any(open_draft is draft for open_draft in self._open_fragments):
            raise DslError(f"leave= names {target!r}, which this break is not inside", location,
                           hint="a break can only leave fragments it is written in", code="SEQ130")
        leaves = 0
        for open_draft in reversed(self._open_fragments):
            if open_draft.kind not in (FragmentKind.GROUP, FragmentKind.BREAK):
                leaves += 1
            if open_draft is draft:
                break
        return leaves

    def group(self, label: str) -> contextlib.AbstractContextManager[FragmentHandle]:
        """A labelled frame around related messages, with no control-flow meaning.

        Args:
            label: the frame's label.
        """
        return self._fragment(FragmentKind.GROUP, label, caller_location())

    # -- result -----------------------------------------------------------------------------------
    @property
    def metadata(self) -> Metadata:
        """The catalog metadata given to ``Flow(...)``."""
        return self._metadata

    @property
    def number_given(self) -> bool:
        """False when ``Flow()`` got no ``number=``: the loader then takes it from the file name."""
        return self._number_given

    def build(self) -> FlowModel:
        """Freezes what was recorded into the immutable model (``diagram-dsl`` calls this for you)."""
        if self._open_fragments:
            raise DslError("build() called inside an open fragment", caller_location(), code="SEQ130")
        diagram = Diagram(
            participants=tuple(self._participants),
            events=freeze(self._root),
            boxes=tuple(self._boxes),
            title=self._diagram_title,
            autonumber=self._autonumber,
            location=self._location,
        )
        return FlowModel(self._metadata, diagram)
