"""The mutable workbench both importers fill line by line, frozen into a ``Diagram`` at the end.

It knows nothing about either syntax: it keeps participants in column order (declared or first
used), boxes, the open fragments, message ids in document order and the activation stack that
PlantUML's ``return`` and ``autoactivate`` need. Every problem is raised as ``ImportFailure`` at
the line that caused it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

from diagram_dsl.importers.facts import Declaration, Drawn, DrawnFacts, Redeclaration, SkippedLine, Use
from diagram_dsl.importers.members import Kind
from diagram_dsl.importers.result import ImportFailure, TooDeep
from diagram_dsl.model import (
    Activation,
    Autonumber,
    Box,
    Branch,
    Destruction,
    Diagram,
    Event,
    Fragment,
    FragmentKind,
    Location,
    Message,
    MessageKind,
    Participant,
    ParticipantKind,
)
from diagram_dsl.model_drafts import MAX_NESTING
from diagram_dsl.naming import identifier


@dataclass(slots=True)
class _OpenBlock:
    """An open ``alt``/``loop``/... (``kind`` set) or a block kept only for its ``end`` (Mermaid ``rect``).

    A fragment is made when its block closes, and only then put among the events around it (nothing else is added
    there while it is open): the model is built as the lines are read, with no drafts to freeze at the end.
    """

    keyword: str
    line: int
    kind: FragmentKind | None
    # Guard, where it starts (the first: where the fragment does) and events of each branch (the last one is open).
    branches: list[tuple[str, Location, list[Event]]]
    calls_at_start: dict[str, tuple[str, ...]]
    calls_at_branch_ends: list[dict[str, tuple[str, ...]]]


class _ActiveFrame(NamedTuple):
    """One activation on the stack (a named tuple: one is made per activation, much cheaper than a frozen
    dataclass)."""

    participant: str
    caller: str | None
    request: int | None  # id of the message that started this activation, when one did


class Assembler:
    def __init__(self, file: str, language: str) -> None:
        self.file = file
        self.language = language
        self.title: str | None = None
        self.autonumber: Autonumber | None = None
        self.replies_drawn = False
        self._participants: list[Participant] = []
        self._index_by_name: dict[str, int] = {}
        # A participant's id never changes: one look-up per use (read, never changed, outside: `ids.get(name) or
        # resolve(name, ...)` is resolve's result without its call when the name is known).
        self.id_by_name: dict[str, str] = {}
        self._ids: set[str] = set()  # every participant's id
        self._used_only: set[str] = set()  # names used before (or without) any declaration
        self._boxes: list[Box] = []
        self._open_box: tuple[str, int] | None = None
        self._outer_boxes: list[tuple[str, int]] = []  # boxes around the open one (PlantUML teoz nests them)
        self._root: list[Event] = []
        self._containers: list[list[Event]] = [self._root]
        self._blocks: list[_OpenBlock] = []
        self._next_message_id = 1
        self._active: list[_ActiveFrame] = []
        self.last_message: Message | None = None
        self.pending_create: set[str] = set()
        self._kinds: dict[int, MessageKind] = {}
        # callee -> callers whose requests it has not answered yet, oldest first
        self._open_calls: dict[str, tuple[str, ...]] = {}
        # What was drawn, for the convention inference (see importers.facts).
        self._drawn: dict[int, Drawn] = {}
        self._declarations: list[Declaration] = []
        self._implicit: dict[str, Use] = {}
        self._redeclarations: list[Redeclaration] = []
        self._skipped: list[SkippedLine] = []
        self.preprocessor_line: int | None = None

    def loc(self, line: int) -> Location:
        # A new one each time: most lines hold one element, and looking one up to share costs more than the few
        # made twice (a statement that needs two on its line makes one).
        return Location(self.file, line)

    def fail(self, message: str, line: int, hint: str = "") -> ImportFailure:
        return ImportFailure(message, self.loc(line), hint)

    # -- participants ---------------------------------------------------------------------------
    def _new_id(self, name: str) -> str:
        base = identifier(name)
        candidate, suffix = base, 2
        while candidate in self._ids:
            candidate, suffix = f"{base}_{suffix}", suffix + 1
        return candidate

    def declare(self, name: str, kind: ParticipantKind, line: int, label: str | None = None, *,
                labelled: bool | None = None) -> str:
        """An explicit declaration; ``labelled``: the line gives a label of its own (default: ``label`` given).

        Declaring a name that was only used so far gives it its kind and label; declaring it again
        after an explicit declaration only moves it into the open box (a different label given there
        is recorded as a redeclaration).
        """
        given = label if (label is not None if labelled is None else labelled) else None
        index = self._index_by_name.get(name)
        box = self._open_box[0] if self._open_box else None
        if index is not None:
            known = self._participants[index]
            if name in self._used_only:
                self._used_only.discard(name)
                known = replace(known, kind=kind, label=known.label if label is None else label)
            else:
                self._note_redeclaration(known.id, line, given)
            if box is not None and known.box is None:
                known = replace(known, box=box)
            self._participants[index] = known
            self._declarations.append(Declaration(known.id, line, given))
            return known.id
        participant = Participant(self._new_id(name), name if label is None else label, kind, self.loc(line), box)
        self._index_by_name[name] = len(self._participants)
        self.id_by_name[name] = participant.id
        self._ids.add(participant.id)
        self._participants.append(participant)
        self._declarations.append(Declaration(participant.id, line, given))
        return participant.id

    def _note_redeclaration(self, participant: str, line: int, label: str | None) -> None:
        first = next((d for d in self._declarations if d.participant == participant and d.label is not None), None)
        if first is None or first.label is None or label is None \
                or " ".join(label.split()) == " ".join(first.label.split()):
            return  # naming it again (PlantUML's way to put it in a box) or the same label: nothing new
        self._redeclarations.append(Redeclaration(participant, line, first.line, first.label, label))

    def resolve(self, name: str, line: int, statement: str = "message") -> str:
        """A participant used by name; an unknown name is declared implicitly, as both languages do.

        ``statement`` says what used it first ("message", "note", "activate", ...), for the facts.
        """
        known = self.id_by_name.get(name)
        if known is not None:
            return known
        self._used_only.add(name)
        self._open_box, box = None, self._open_box  # a participant merely used is never inside a box
        try:
            declarations = len(self._declarations)
            participant = self.declare(name, ParticipantKind.PARTICIPANT, line)
            del self._declarations[declarations:]  # created by its use, not declared
            self._implicit[participant] = Use(participant, line, statement)
            return participant
        finally:
            self._open_box = box

    def skip_line(self, line: int, text: str, failure: ImportFailure) -> None:
        """A line that cannot be read: recorded and skipped, so the rest of the diagram is still checked."""
        self._skipped.append(SkippedLine(line, text, failure.message, failure.hint or ""))

    def facts(self) -> DrawnFacts:
        return DrawnFacts(dict(self._drawn), tuple(self._declarations), tuple(self._implicit.values()),
                          tuple(self._redeclarations), tuple(self._skipped), self.preprocessor_line)

    def known(self, name: str) -> bool:
        return name in self._index_by_name

    def participant_ids(self) -> list[str]:
        return [p.id for p in self._participants]

    def column(self, participant_id: str) -> int:
        return next(i for i, p in enumerate(self._participants) if p.id == participant_id)

    # -- boxes ----------------------------------------------------------------------------------
    def open_box(self, title: str, color: str | None, line: int, *, nested: bool = False) -> None:
        """A box; ``nested``: the language allows boxes in boxes (the model keeps the innermost one)."""
        if self._open_box is not None:
            if not nested:
                raise self.fail("a box cannot be opened inside another box", line,
                                f"close the box opened at line {self._open_box[1]} first")
            self._outer_boxes.append(self._open_box)
        box_id = f"box{len(self._boxes) + 1}"
        self._boxes.append(Box(box_id, title, color, self.loc(line)))
        self._open_box = (box_id, line)

    def close_box(self, line: int) -> None:
        if self._open_box is None:
            raise self.fail("`end box` without an open box", line, "remove it or open a box first")
        self._open_box = self._outer_boxes.pop() if self._outer_boxes else None

    @property
    def box_open(self) -> bool:
        return self._open_box is not None

    # -- events ---------------------------------------------------------------------------------
    def add(self, event: Event) -> None:
        self._containers[-1].append(event)

    def message(
        self, kind: MessageKind, sender: str | None, receiver: str | None, label: str, line: int, *,
        activate: bool = False, deactivate: bool = False, reply_to: int | None = None, returned: bool = False,
        drawn: Drawn | None = None,
    ) -> Message:
        if receiver is not None and receiver in self.pending_create and kind is not Kind.SELF:
            self.pending_create.discard(receiver)
            kind = Kind.CREATE
        message_id = self._next_message_id
        self._next_message_id = message_id + 1
        message = Message(message_id, kind, sender, receiver, label, Location(self.file, line), reply_to, activate,
                          deactivate)
        self._kinds[message_id] = kind
        if drawn is not None:
            self._drawn[message_id] = drawn
        if kind is Kind.REQUEST and sender is not None and receiver is not None:  # most messages: inline
            self._open_calls[receiver] = (*self._open_calls.get(receiver, ()), sender)
        else:
            self._track_call(kind, sender, receiver)
        self._containers[-1].append(message)
        self.last_message = message
        if deactivate and sender is not None and not returned:  # `return` has popped its frame already
            self._pop_activation(sender)
        if activate and receiver is not None:
            self._active.append(_ActiveFrame(receiver, sender, message.id))
        return message

    def _track_call(self, kind: MessageKind, sender: str | None, receiver: str | None) -> None:
        if sender is None or receiver is None:
            return
        if kind is Kind.REQUEST:
            self._open_calls[receiver] = (*self._open_calls.get(receiver, ()), sender)
        elif kind is Kind.REPLY and self.answers_open_call(sender, receiver):
            callers = self._open_calls[sender]
            last = len(callers) - 1 - callers[::-1].index(receiver)
            self._open_calls[sender] = callers[:last] + callers[last + 1:]

    def answers_open_call(self, sender: str | None, receiver: str | None) -> bool:
        """True when ``receiver`` has a request to ``sender`` still unanswered on some path to here.

        A dashed arrow is a reply only then; otherwise it is a dashed one-way message.
        """
        return sender is not None and receiver is not None and receiver in self._open_calls.get(sender, ())

    def answers_innermost_call(self, sender: str | None, receiver: str | None) -> bool:
        """True when the newest request ``sender`` has not answered yet came from ``receiver``: a nested reply."""
        callers = self._open_calls.get(sender, ()) if sender is not None else ()
        return bool(callers) and callers[-1] == receiver

    def ends_call_from(self, sender: str | None, receiver: str | None) -> bool:
        """True when ``sender``'s innermost activation was started by a request from ``receiver``.

        An arrow back to that caller that also ends the activation (``B ->> - A`` in Mermaid,
        ``B -> A --`` in PlantUML) is the call's return, whatever its line style.
        """
        for frame in reversed(self._active):
            if frame.participant == sender:
                return frame.caller == receiver and self._is_request(frame.request)
        return False

    def is_active(self, participant: str | None) -> bool:
        """True when ``participant`` holds an activation here (started by a call, ``++`` or ``activate``)."""
        return any(frame.participant == participant for frame in self._active)

    def activation(self, participant: str, active: bool, line: int) -> None:
        self._containers[-1].append(Activation(participant, active, self.loc(line)))
        if not active:
            self._pop_activation(participant)
            return
        last = self.last_message
        if last is not None and last.receiver == participant:
            self._active.append(_ActiveFrame(participant, last.sender, last.id))
        else:
            self._active.append(_ActiveFrame(participant, None, None))

    def retype_last_message_to(self, receiver: str, kind: MessageKind) -> bool:
        """Turn the message just added into ``kind`` when it went to ``receiver`` (``A -> B`` then ``destroy B``)."""
        container = self._containers[-1]
        last = self.last_message
        if not container or container[-1] is not last or last is None or last.receiver != receiver:
            return False
        if last.sender is None or last.sender == receiver:
            return False
        retyped = replace(last, kind=kind)
        container[-1] = retyped
        self._kinds[last.id] = kind
        self.last_message = retyped
        return True

    def destruction(self, participant: str, line: int) -> Destruction:
        event = Destruction(participant, self.loc(line))
        self.add(event)
        return event

    def _pop_activation(self, participant: str) -> None:
        for index in range(len(self._active) - 1, -1, -1):
            if self._active[index].participant == participant:
                del self._active[index]
                return

    def pop_return(self, line: int) -> tuple[str, str, int | None, bool]:
        """For PlantUML ``return``: who returns to whom, which request it answers, and whether it ends an activation.

        As PlantUML draws it: back along the call that started the innermost activation, ending it; with no
        activation pending, back along the last message, ending nothing.
        """
        while self._active:
            frame = self._active.pop()
            if frame.caller is not None:
                request = frame.request if self._is_request(frame.request) else None
                return frame.participant, frame.caller, request, True
        last = self.last_message
        if last is not None and last.sender is not None and last.receiver is not None:
            return last.receiver, last.sender, last.id if self._is_request(last.id) else None, False
        raise self.fail("`return` with no message to return along", line,
                        "send the call first (`A -> B : call`, then `return result`)")

    def _is_request(self, message_id: int | None) -> bool:
        return message_id is not None and self._kinds.get(message_id) is Kind.REQUEST

    # -- fragments ------------------------------------------------------------------------------
    def open_fragment(self, kind: FragmentKind, guard: str, keyword: str, line: int) -> None:
        if len(self._blocks) >= MAX_NESTING and sum(1 for b in self._blocks if b.kind is not None) >= MAX_NESTING:
            raise TooDeep(f"fragments nested more than {MAX_NESTING} deep", self.loc(line),
                          "split the diagram, or move the inner part into a diagram of its own")
        events: list[Event] = []
        self._containers.append(events)
        self._blocks.append(_OpenBlock(keyword, line, kind, [(guard, Location(self.file, line), events)],
                                       dict(self._open_calls), []))

    def set_guard(self, guard: str) -> None:
        """Give the innermost open fragment's current branch its guard (read after the opening line)."""
        block = self._blocks[-1] if self._blocks else None
        if block is not None and block.kind is not None:
            _, location, events = block.branches[-1]
            block.branches[-1] = (guard, location, events)

    def remove_event(self, event: Event) -> bool:
        """Take back an event added earlier (a Mermaid ``destroy`` placeholder that a message resolved)."""
        for container in self._containers:
            for index, candidate in enumerate(container):
                if candidate is event:
                    del container[index]
                    return True
        return False

    def open_ignored_block(self, keyword: str, line: int) -> None:
        """A block drawn only for looks (Mermaid ``rect``): its events belong to the enclosing block."""
        self._containers.append(self._containers[-1])
        self._blocks.append(_OpenBlock(keyword, line, None, [], {}, []))

    def next_branch(self, guard: str, keyword: str, line: int, allowed: tuple[FragmentKind, ...] | None) -> None:
        block = next((b for b in reversed(self._blocks) if b.kind is not None), None)
        innermost = self._blocks[-1] if self._blocks else None
        if block is None or innermost is not block or block.kind is None:
            raise self.fail(f"`{keyword}` outside of a block it can split", line,
                            "put it between the block's first line and its `end`")
        if allowed is not None and block.kind not in allowed:
            raise self.fail(f"`{keyword}` cannot split a `{block.keyword}` block", line,
                            f"`{keyword}` belongs in {' or '.join(k.value for k in allowed)}")
        events: list[Event] = []
        block.branches.append((guard, self.loc(line), events))
        block.calls_at_branch_ends.append(self._open_calls)
        self._open_calls = dict(block.calls_at_start)
        self._containers[-1] = events

    def close_block(self, line: int) -> None:
        if not self._blocks:
            raise self.fail("`end` without an open block", line, "remove it or open the block it closes")
        block = self._blocks.pop()
        self._containers.pop()
        if block.kind is not None:
            branches = tuple([Branch(guard, tuple(events), location) for guard, location, events in block.branches])
            self._containers[-1].append(Fragment(block.kind, branches, branches[0].location))
            merged: dict[str, tuple[str, ...]] = {}
            # A request left open on any path (a branch, or skipping an opt/loop/break) can be answered later.
            for state in [block.calls_at_start, *block.calls_at_branch_ends, self._open_calls]:
                for callee, callers in state.items():
                    if len(callers) > len(merged.get(callee, ())):
                        merged[callee] = callers
            self._open_calls = merged

    def open_block_keyword(self) -> str | None:
        return self._blocks[-1].keyword if self._blocks else None

    # -- result ---------------------------------------------------------------------------------
    def finish(self, diagram_line: int, *, close_open_blocks: bool = False) -> Diagram:
        """The frozen diagram; PlantUML closes blocks left open at ``@enduml``, Mermaid refuses them."""
        while close_open_blocks and self._blocks:
            self.close_block(diagram_line)
        if close_open_blocks:
            self._open_box = None
            self._outer_boxes.clear()
        if self._blocks:
            block = self._blocks[-1]
            raise self.fail(f"`{block.keyword}` opened here is never closed", block.line, "add `end`")
        if self._open_box is not None:
            raise self.fail("box opened here is never closed", self._open_box[1], "add `end box`")
        return Diagram(
            participants=tuple(self._participants),
            events=tuple(self._root),  # every block is closed: only events
            boxes=tuple(self._boxes),
            title=self.title,
            autonumber=self.autonumber,
            location=self.loc(diagram_line),
        )

