"""A diagram as DSL source: a ready ``sources/NN_slug.py`` that builds the same diagram when run.

The metadata (description, scores, when-to-use, important points) is left as TODO text for a human
to fill in; everything drawn comes from the diagram. A request answered by an explicit reply of the
same nesting level becomes ``with a.call(b, ...) as x:`` … ``x.reply(...)``, so the source reads like
the hand-written flows. What the DSL cannot say (an activation flag on a self-message, a second
branch in an ``opt``) is kept as close as it allows and marked with a comment.
"""

from __future__ import annotations

import ast
import builtins
import io
import keyword
import tokenize
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import assert_never

from diagram_dsl.errors import DiagramDslError
from diagram_dsl.model import (
    Activation,
    Branch,
    Delay,
    Destruction,
    Diagram,
    Divider,
    Event,
    Fragment,
    FragmentKind,
    Message,
    MessageKind,
    Note,
    NotePosition,
    ParticipantKind,
    Reference,
    Space,
    walk_events,
)
from diagram_dsl.naming import identifier

_RESERVED = {"flow", "Flow", "Scores", "GuideEntry", "l", "O", "I", *dir(builtins)}  # l/O/I: E741
LINE_LENGTH = 120
PYTHON_BLOCK_LIMIT = 20  # CPython's limit on statically nested blocks (each context of a `with` is one)
_CHUNK = 72
_DECLARERS = {
    ParticipantKind.ACTOR: "actor", ParticipantKind.PARTICIPANT: "participant", ParticipantKind.BOUNDARY: "boundary",
    ParticipantKind.CONTROL: "control", ParticipantKind.ENTITY: "entity", ParticipantKind.DATABASE: "database",
    ParticipantKind.QUEUE: "queue", ParticipantKind.COLLECTIONS: "collections",
}
_OPENERS = {
    FragmentKind.ALT: ("alt", "else_"), FragmentKind.PAR: ("par", "and_"),
    FragmentKind.CRITICAL: ("critical", "option"), FragmentKind.OPT: ("opt", None),
    FragmentKind.LOOP: ("loop", None), FragmentKind.BREAK: ("break_", None), FragmentKind.GROUP: ("group", None),
}


def py_str(text: str) -> str:
    """A Python string literal for ``text``, double-quoted where that needs no escaping."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text and "'" not in text:
        return f'"{literal[1:-1]}"'
    return literal


@dataclass
class _Names:
    taken: set[str] = field(default_factory=lambda: set(_RESERVED))

    def claim(self, wanted: str) -> str:
        base = wanted if wanted.isidentifier() else identifier(wanted)
        if keyword.iskeyword(base) or keyword.issoftkeyword(base):
            base += "_"
        name, suffix = base, 2
        while name in self.taken:
            name, suffix = f"{base}_{suffix}", suffix + 1
        self.taken.add(name)
        return name


def emit_python(diagram: Diagram, *, number: int, title: str) -> str:
    """DSL source for ``diagram`` as flow ``number`` called ``title``."""
    writer = _Writer(diagram)
    return writer.module(number, title)


class _Writer:
    def __init__(self, diagram: Diagram) -> None:
        self.diagram = diagram
        self.names = _Names()
        self.lifelines = {p.id: self.names.claim(p.id) for p in diagram.participants}
        self.handles = self._call_handles()
        self.lines: list[str] = []
        self.blocks = 0  # `with` blocks open around the line being written

    def _call_handles(self) -> dict[int, str]:
        """A variable for every request that an explicit reply answers through the DSL's ``Call``."""
        requests = {m.id: m for m in self.diagram.messages() if m.kind is MessageKind.REQUEST}
        handles: dict[int, str] = {}
        for reply in self.diagram.messages():
            request = requests.get(reply.reply_to) if reply.reply_to is not None else None
            if request is not None and request.id not in handles and _call_reply_fits(request, reply):
                handles[request.id] = self.names.claim(identifier(request.label)[:30])
        return handles

    def module(self, number: int, title: str) -> str:
        diagram = self.diagram
        self.lines = [
            py_str(f"{title}."),
            "",
            "from diagram_dsl import Flow, Scores",
            "",
            "flow = Flow(",
            f"    number={number},",
            f"    title={py_str(title)},",
            '    description="TODO: one sentence on what this flow shows.",',
            '    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="Medium"),',
            '    when_to_use=["TODO: when to pick this pattern"],',
            '    important_points=["TODO: what an implementer must not miss"],',
        ]
        if diagram.title is not None and diagram.title != title:
            self.lines.append(f"    diagram_title={py_str(diagram.title)},")
        self.lines.append(")")
        if diagram.autonumber is not None:
            self.lines.append(f"flow.autonumber({diagram.autonumber.start}, {diagram.autonumber.step})")
        self.lines.append("")
        self._participants()
        self.lines.append("")
        self._events(diagram.events, 0)
        return "\n".join(self.lines).rstrip() + "\n"

    def _participants(self) -> None:
        boxes = {box.id: box for box in self.diagram.boxes}
        open_box: str | None = None
        for participant in self.diagram.participants:
            if participant.box != open_box:
                open_box = participant.box
                box = boxes.get(open_box) if open_box is not None else None
                if box is not None:
                    color = "" if box.color is None else f", color={py_str(box.color)}"
                    self.lines.append(f"with flow.box({py_str(box.title)}{color}):")
            indent = "    " if open_box is not None and open_box in boxes else ""
            explicit = "" if identifier(participant.label) == participant.id else f", id={py_str(participant.id)}"
            self.lines.append(f"{indent}{self.lifelines[participant.id]} = "
                              f"flow.{_DECLARERS[participant.kind]}({py_str(participant.label)}{explicit})")

    def _emit(self, depth: int, text: str) -> None:
        line = "    " * depth + text
        self.lines.append(line if len(line) <= LINE_LENGTH else _wrap_strings(line, depth))

    def _events(self, events: tuple[Event, ...], depth: int) -> None:
        if not events:
            self._emit(depth, "pass")
            return
        index = 0
        while index < len(events):
            event = events[index]
            index += 1
            if isinstance(event, Message) and event.id in self.handles:
                end = _reply_index(events, index, event.id)
                if end is not None:
                    self._enter(1, event)
                    self._emit(depth, f"with {self._call(event)} as {self.handles[event.id]}:")
                    self._events(events[index:end + 1], depth + 1)
                    self.blocks -= 1
                    index = end + 1
                    continue
                self._emit(depth, f"{self.handles[event.id]} = {self._call(event)}")
                continue
            self._event(event, depth)

    def _enter(self, contexts: int, where: Message | Branch) -> None:
        """Count ``with`` blocks: Python compiles at most 20 nested ones, so a deeper diagram cannot be a module."""
        self.blocks += contexts
        if self.blocks > PYTHON_BLOCK_LIMIT:
            raise DiagramDslError(f"the diagram nests {self.blocks} `with` blocks deep here; Python compiles at most "
                                  f"{PYTHON_BLOCK_LIMIT}", where.location,
                                  "convert it to PlantUML or Mermaid instead, or split it into flows")

    def _call(self, request: Message) -> str:
        activate = "" if request.activate else ", activate=False"
        return f"{self._who(request.sender)}.call({self._who(request.receiver)}, {py_str(request.label)}{activate})"

    def _who(self, participant: str | None) -> str:
        return "None" if participant is None else self.lifelines.get(participant, participant)

    def _event(self, event: Event, depth: int) -> None:
        match event:
            case Message():
                self._message(event, depth)
            case Fragment():
                self._fragment(event, depth)
            case Note():
                self._emit(depth, f"flow.note({py_str(event.text)}, {_note_target(event, self._who)})")
            case Activation():
                verb = "activate" if event.active else "deactivate"
                self._emit(depth, f"flow.{verb}({self._who(event.participant)})")
            case Destruction():
                self._emit(depth, f"flow.end_of_life({self._who(event.participant)})")
            case Reference():
                self._emit(depth, f"flow.ref({py_str(event.text)}, over={_targets(event.participants, self._who)})")
            case Divider():
                self._emit(depth, f"flow.divider({py_str(event.text)})")
            case Delay():
                self._emit(depth, f"flow.delay({py_str(event.text)})" if event.text else "flow.delay()")
            case Space():
                self._emit(depth, "flow.space()" if event.pixels is None else f"flow.space({event.pixels})")
            case _:
                assert_never(event)

    def _message(self, message: Message, depth: int) -> None:
        sender, receiver, label = self._who(message.sender), self._who(message.receiver), py_str(message.label)
        kind = message.kind
        if kind is MessageKind.REPLY and message.reply_to in self.handles:
            self._emit(depth, f"{self.handles[message.reply_to]}.reply({label})")
            return
        if message.sender is None:
            line = f"flow.found({receiver}, {label})"
        elif message.receiver is None:
            line = f"{sender}.lose({label})"
        else:
            line = self._message_line(message, sender, receiver, label)
        if _flags_lost(message):
            self._emit(depth, "# the original also (de)activates here; the DSL has no flag for this arrow")
        self._emit(depth, line)

    def _message_line(self, message: Message, sender: str, receiver: str, label: str) -> str:
        """The DSL call for a message with both ends, one case per message kind."""
        match message.kind:
            case MessageKind.FOUND:
                return f"flow.found({receiver}, {label})"
            case MessageKind.LOST:
                return f"{sender}.lose({label}, toward={receiver})"
            case MessageKind.REQUEST:
                return self._call(message)
            case MessageKind.REPLY:
                deactivate = ", deactivate=True" if message.deactivate else ""
                return f"{sender}.reply({receiver}, {label}{deactivate})"
            case MessageKind.SELF:
                return f"{sender}.step({label})"
            case MessageKind.ASYNC:
                return f"{sender}.send({receiver}, {label})"
            case MessageKind.CREATE:
                return f"{sender}.create({receiver}, {label})"
            case MessageKind.DESTROY:
                return f"{sender}.destroy({receiver}, {label})"
            case _:
                assert_never(message.kind)

    def _fragment(self, fragment: Fragment, depth: int) -> None:
        opener, follower = _OPENERS[fragment.kind]
        for number, branch in enumerate(fragment.branches):
            verb = opener if number == 0 or follower is None else follower
            if number > 0 and follower is None:
                self._emit(depth, f"# the original splits this {fragment.kind.value} with `else`; "
                                  "the DSL draws each part as its own block")
            contexts = [f"flow.{verb}({py_str(branch.guard)})"]
            body = branch.events
            while len(body) == 1 and isinstance(body[0], Fragment) and len(body[0].branches) == 1:
                inner = body[0]  # `with a:` holding only `with b:` reads better as `with a, b:`
                contexts.append(f"flow.{_OPENERS[inner.kind][0]}({py_str(inner.branches[0].guard)})")
                body = inner.branches[0].events
            self._enter(len(contexts), branch)
            self._emit(depth, f"with {', '.join(contexts)}:")
            self._events(body, depth + 1)
            self.blocks -= len(contexts)


def _call_reply_fits(request: Message, reply: Message) -> bool:
    """``Call.reply`` always answers callee → caller and deactivates exactly when the request activated."""
    return (reply.sender == request.receiver and reply.receiver == request.sender
            and reply.deactivate == request.activate and not reply.activate)


def _reply_index(events: tuple[Event, ...], start: int, request_id: int) -> int | None:
    for index in range(start, len(events)):
        event = events[index]
        if isinstance(event, Message) and event.kind is MessageKind.REPLY and event.reply_to == request_id:
            return index
        if isinstance(event, Fragment) and any(
            isinstance(inner, Message) and inner.reply_to == request_id for inner in walk_events((event,))
        ):
            return None
    return None


def _flags_lost(message: Message) -> bool:
    """Only a call sets ``activate`` and only a reply sets ``deactivate`` through the DSL."""
    if message.kind is MessageKind.REQUEST:
        return message.deactivate
    if message.kind is MessageKind.REPLY:
        return message.activate
    return message.activate or message.deactivate


def _targets(participants: tuple[str, ...], who: Callable[[str | None], str]) -> str:
    names = [who(p) for p in participants]
    return names[0] if len(names) == 1 else "[" + ", ".join(names) + "]"


def _note_target(note: Note, who: Callable[[str | None], str]) -> str:
    if note.position is NotePosition.OVER:
        return f"over={_targets(note.participants, who)}"
    keyword_name = "left_of" if note.position is NotePosition.LEFT else "right_of"
    return f"{keyword_name}={who(note.participants[0])}"


def _wrap_strings(line: str, depth: int) -> str:
    """Break the long string literals of a call across lines (adjacent literals concatenate inside brackets)."""
    continuation = "    " * (depth + 1)
    tokens = list(tokenize.generate_tokens(io.StringIO(line).readline))
    pieces: list[str] = []
    end = 0
    for token in tokens:
        if token.type != tokenize.STRING or len(token.string) <= _CHUNK // 2:
            continue
        value = ast.literal_eval(token.string)
        pieces.append(line[end:token.start[1]].rstrip(" "))
        pieces.append("".join(f"\n{continuation}{py_str(chunk)}" for chunk in _chunks(value)))
        end = token.end[1]
    pieces.append(line[end:])
    return "".join(pieces)


def _chunks(text: str) -> list[str]:
    """``text`` in pieces of at most about ``_CHUNK`` characters, cut after line breaks and spaces."""
    chunks: list[str] = []
    for part in text.splitlines(keepends=True) or [text]:
        while len(part) > _CHUNK:
            cut = part.rfind(" ", 0, _CHUNK) + 1 or _CHUNK
            chunks.append(part[:cut])
            part = part[cut:]
        chunks.append(part)
    return [chunk for chunk in chunks if chunk] or [""]
