"""Model -> PlantUML sequence-diagram text. Pure and deterministic; see docs/emit-mapping.md."""

from __future__ import annotations

from typing import assert_never

from diagram_dsl.emit.common import color_name, column_span, hex_rgb, target_ids
from diagram_dsl.emit.plantuml_text import quoted, text
from diagram_dsl.model import (
    Activation,
    Box,
    Delay,
    Destruction,
    Diagram,
    Divider,
    Event,
    Fragment,
    Message,
    MessageKind,
    Note,
    NotePosition,
    Reference,
    Space,
)

INDENT = "  "



def _arrow(kind: MessageKind) -> str:
    """PlantUML's arrow for a message kind (PlantUML's participant keyword is the model's kind name, one for one)."""
    match kind:
        case MessageKind.REQUEST | MessageKind.SELF | MessageKind.CREATE | MessageKind.DESTROY | MessageKind.FOUND:
            return "->"
        case MessageKind.REPLY:
            return "-->"
        case MessageKind.ASYNC:
            return "->>"
        case MessageKind.LOST:
            return "->x"
        case _:
            assert_never(kind)


def _lifecycle(kind: MessageKind) -> str:
    """The arrow shorthand that creates (``**``) or destroys (``!!``) the receiver, if the kind does."""
    match kind:
        case MessageKind.CREATE:
            return "**"
        case MessageKind.DESTROY:
            return "!!"
        case MessageKind.REQUEST | MessageKind.REPLY | MessageKind.ASYNC | MessageKind.SELF | MessageKind.LOST \
                | MessageKind.FOUND:
            return ""
        case _:
            assert_never(kind)

# PlantUML has no `and`/`option`: every later branch of a fragment is `else`.
_LATER_BRANCH = "else"


class _Writer:
    def __init__(self, diagram: Diagram) -> None:
        self.diagram = diagram
        self.ids = target_ids(diagram)
        self.lines: list[str] = []
        self.after_delay = False
        # PlantUML refuses `activate X` after X was deactivated with no message between ("already done"):
        # where each such deactivation was written, so that the pair can cancel out instead.
        self.deactivated: dict[str, tuple[int, int, str]] = {}  # participant -> (line, shorthand column, shorthand)
        self.dropped: set[int] = set()

    def id(self, participant_id: str) -> str:
        return self.ids.get(participant_id, participant_id)

    def add(self, depth: int, line: str) -> None:
        self.lines.append((INDENT * depth + line).rstrip())

    # -- header -----------------------------------------------------------------------------
    def header(self) -> None:
        diagram = self.diagram
        self.lines.append("@startuml")
        if diagram.title and diagram.title.strip():
            self.add(0, f"title {text(diagram.title, code_first=True)}")
        if diagram.autonumber is not None:
            start, step = diagram.autonumber.start, diagram.autonumber.step
            self.add(0, "autonumber" if (start, step) == (1, 1) else f"autonumber {start} {step}")
        boxes = {box.id: box for box in diagram.boxes}
        open_box: str | None = None
        for participant in diagram.participants:
            box_id = participant.box if participant.box in boxes else None
            if box_id != open_box:
                if open_box is not None:
                    self.add(0, "end box")
                if box_id is not None:
                    self.add(0, _box_line(boxes[box_id]))
                open_box = box_id
            depth = 1 if open_box is not None else 0
            # PlantUML refuses an empty name; one space draws the same blank.
            name = quoted(participant.label) if participant.label else '" "'
            self.add(depth, f"{participant.kind.value} {name} as {self.id(participant.id)}")
        if open_box is not None:
            self.add(0, "end box")

    # -- events -------------------------------------------------------------------------------
    def events(self, events: tuple[Event, ...], depth: int) -> None:
        hoisted: set[int] = set()
        for index, event in enumerate(events):
            if index in hoisted:
                continue
            match event:
                case Delay():
                    # PlantUML refuses activate/deactivate/destroy between a delay and the next message, so
                    # those are written just before the delay instead.
                    for later, change in _lifeline_changes_after(events, index):
                        self.lifeline_change(change, depth)
                        hoisted.add(later)
                    self.add(depth, f"...{text(event.text)}..." if event.text.strip() else "...")
                    self.after_delay = True
                case Message():
                    self.message(event, depth)
                    self.after_delay = False
                case Activation() | Destruction():
                    self.lifeline_change(event, depth)
                case Note():
                    self.note(event, depth)
                case Fragment():
                    self.fragment(event, depth)
                case Reference():
                    self.add(depth, f"ref over {self.span(event.participants)} : {text(event.text)}")
                case Divider():
                    self.add(depth, f"== {text(event.text)} ==" if event.text.strip() else "== ==")
                case Space():
                    self.add(depth, "|||" if event.pixels is None else f"||{event.pixels}||")
                case _:
                    assert_never(event)

    def lifeline_change(self, event: Activation | Destruction, depth: int) -> None:
        match event:
            case Activation():
                self.activation(depth, event.participant, event.active)
            case Destruction():
                self.statement(depth, f"destroy {self.id(event.participant)}")
            case _:
                assert_never(event)

    def statement(self, depth: int, statement: str) -> None:
        # Still after a delay (one that closed a fragment): PlantUML has no way to say it here.
        self.add(depth, f"' {statement} (PlantUML allows none right after a delay)" if self.after_delay
                 else statement)

    def activation(self, depth: int, participant_id: str, active: bool) -> None:
        if active and participant_id in self.deactivated:
            # Ended and started again at the same moment: the bar simply goes on.
            index, column, shorthand = self.deactivated.pop(participant_id)
            if shorthand:
                line = self.lines[index]
                rest = line[column + len(f" {shorthand}"):]
                self.lines[index] = line[:column] + _spaced(shorthand.replace("--", "", 1)) + rest
            else:
                self.dropped.add(index)
            return
        self.statement(depth, f"{'activate' if active else 'deactivate'} {self.id(participant_id)}")
        if not active and not self.after_delay:
            self.deactivated[participant_id] = (len(self.lines) - 1, 0, "")

    def span(self, participants: tuple[str, ...]) -> str:
        ends = column_span(self.diagram, participants)
        if ends is None:
            return ", ".join(self.id(pid) for pid in participants)
        first, last = ends
        return self.id(first) if first == last else f"{self.id(first)}, {self.id(last)}"

    def message(self, message: Message, depth: int) -> None:
        arrow = _arrow(message.kind)
        # Off-diagram ends are PlantUML's borders, written against the arrow: `[o-> B`, `A ->x]`.
        left = "[" + ("o" if message.kind is MessageKind.FOUND else "") if message.sender is None \
            else self.id(message.sender) + " "
        right = "]" if message.receiver is None else " " + self.id(message.receiver)
        line = left + arrow + right
        # Create and destroy use the arrow shorthands (`**`, `!!`): the `create X` / `destroy X` statements are
        # refused right after a delay. A shorthand takes no `++`/`--`, so those become statements after the arrow.
        lifecycle = _lifecycle(message.kind) if message.receiver is not None else ""
        shorthand = lifecycle or ("--" if message.deactivate else "") + ("++" if message.activate else "")
        if shorthand:
            line += f" {shorthand}"
        if message.label.strip():
            line += f" : {text(message.label)}"
        self.add(depth, line)
        self.deactivated = {}
        if shorthand.startswith("--") and message.sender is not None:
            column = len(INDENT * depth + left + arrow + right)
            self.deactivated[message.sender] = (len(self.lines) - 1, column, shorthand)
        if lifecycle and message.activate and message.receiver is not None:
            self.activation(depth, message.receiver, True)
        if lifecycle and message.deactivate and message.sender is not None:
            self.activation(depth, message.sender, False)

    def note(self, note: Note, depth: int) -> None:
        if note.position is NotePosition.OVER:
            where = f"over {self.span(note.participants)}"
        else:
            where = f"{note.position.value} of {self.id(note.participants[0])}"
        self.add(depth, f"note {where} : {text(note.text)}")

    def fragment(self, fragment: Fragment, depth: int) -> None:
        for index, branch in enumerate(fragment.branches):
            keyword = fragment.kind.value if index == 0 else _LATER_BRANCH
            if index > 0 and not fragment.kind.allows_branches:
                keyword = ""  # a malformed extra branch of opt/loop/...: keep its events, drop the header
            if keyword:
                self.add(depth, f"{keyword} {text(branch.guard)}".rstrip())
            self.events(branch.events, depth + 1)
        self.add(depth, "end")


def _spaced(shorthand: str) -> str:
    return f" {shorthand}" if shorthand else ""


def _lifeline_changes_after(events: tuple[Event, ...], delay_index: int) -> list[tuple[int, Activation | Destruction]]:
    """The activations and ends of life (with their indexes) between a delay and the next message or fragment."""
    found: list[tuple[int, Activation | Destruction]] = []
    for index in range(delay_index + 1, len(events)):
        event = events[index]
        match event:
            case Message() | Fragment() | Delay():
                break
            case Activation() | Destruction():
                found.append((index, event))
            case Note() | Reference() | Divider() | Space():
                continue
            case _:
                assert_never(event)
    return found


def _box_line(box: Box) -> str:
    line = f"box {quoted(box.title)}"
    if box.color:
        rgb = hex_rgb(box.color)
        name = color_name(box.color)
        if rgb is not None:
            line += " #{:02X}{:02X}{:02X}".format(*rgb[:3])
        elif name is not None:
            line += f" #{name}"
    return line


def emit_plantuml(diagram: Diagram) -> str:
    """The diagram as one ``@startuml`` ... ``@enduml`` block, ending in a newline."""
    writer = _Writer(diagram)
    writer.header()
    writer.events(diagram.events, 0)
    writer.lines.append("@enduml")
    return "\n".join(line for index, line in enumerate(writer.lines) if index not in writer.dropped) + "\n"

