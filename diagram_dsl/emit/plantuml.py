"""Model -> PlantUML sequence-diagram text. Pure and deterministic; see docs/emit-mapping.md."""

from __future__ import annotations

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

# PlantUML's participant keyword is the model's kind name, one for one.
_ARROWS = {
    MessageKind.REQUEST: "->",
    MessageKind.REPLY: "-->",
    MessageKind.ASYNC: "->>",
    MessageKind.SELF: "->",
    MessageKind.CREATE: "->",
    MessageKind.DESTROY: "->",
    MessageKind.LOST: "->x",
    MessageKind.FOUND: "->",
}
# PlantUML has no `and`/`option`: every later branch of a fragment is `else`.
_LATER_BRANCH = "else"


class _Writer:
    def __init__(self, diagram: Diagram) -> None:
        self.diagram = diagram
        self.ids = target_ids(diagram)
        self.lines: list[str] = []

    def id(self, participant_id: str) -> str:
        return self.ids.get(participant_id, participant_id)

    def add(self, depth: int, line: str) -> None:
        self.lines.append(INDENT * depth + line)

    # -- header -----------------------------------------------------------------------------
    def header(self) -> None:
        diagram = self.diagram
        self.lines.append("@startuml")
        if diagram.title:
            self.add(0, f"title {text(diagram.title)}")
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
            self.add(depth, f"{participant.kind.value} {quoted(participant.label)} as {self.id(participant.id)}")
        if open_box is not None:
            self.add(0, "end box")

    # -- events -------------------------------------------------------------------------------
    def events(self, events: tuple[Event, ...], depth: int) -> None:
        for event in events:
            if isinstance(event, Message):
                self.message(event, depth)
            elif isinstance(event, Note):
                self.note(event, depth)
            elif isinstance(event, Activation):
                self.add(depth, f"{'activate' if event.active else 'deactivate'} {self.id(event.participant)}")
            elif isinstance(event, Destruction):
                self.add(depth, f"destroy {self.id(event.participant)}")
            elif isinstance(event, Fragment):
                self.fragment(event, depth)
            elif isinstance(event, Reference):
                self.add(depth, f"ref over {self.span(event.participants)} : {text(event.text)}")
            elif isinstance(event, Divider):
                self.add(depth, f"== {text(event.text)} ==" if event.text.strip() else "== ==")
            elif isinstance(event, Delay):
                self.add(depth, f"...{text(event.text)}..." if event.text.strip() else "...")
            elif isinstance(event, Space):
                self.add(depth, "|||" if event.pixels is None else f"||{event.pixels}||")

    def span(self, participants: tuple[str, ...]) -> str:
        ends = column_span(self.diagram, participants)
        if ends is None:
            return ", ".join(self.id(pid) for pid in participants)
        first, last = ends
        return self.id(first) if first == last else f"{self.id(first)}, {self.id(last)}"

    def message(self, message: Message, depth: int) -> None:
        arrow = _ARROWS[message.kind]
        # Off-diagram ends are PlantUML's borders, written against the arrow: `[o-> B`, `A ->x]`.
        left = "[" + ("o" if message.kind is MessageKind.FOUND else "") if message.sender is None \
            else self.id(message.sender) + " "
        right = "]" if message.receiver is None else " " + self.id(message.receiver)
        if message.kind is MessageKind.CREATE and message.receiver is not None:
            self.add(depth, f"create {self.id(message.receiver)}")
        line = left + arrow + right
        shorthand = ("--" if message.deactivate else "") + ("++" if message.activate else "")
        if shorthand:
            line += f" {shorthand}"
        if message.label:
            line += f" : {text(message.label)}"
        self.add(depth, line)
        if message.kind is MessageKind.DESTROY and message.receiver is not None:
            self.add(depth, f"destroy {self.id(message.receiver)}")

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
    return "\n".join(writer.lines) + "\n"

