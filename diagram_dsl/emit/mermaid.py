"""Model -> Mermaid ``sequenceDiagram`` text. Pure and deterministic; see docs/emit-mapping.md.

Mermaid lacks some model features; each gets the closest drawing Mermaid has (a note spanning the
columns for dividers, delays and refs, a shaded ``rect`` with a note for groups, a note for a found
message, a crossed self-arrow for a message lost to nowhere, a comment for extra space).
"""

from __future__ import annotations

from typing import assert_never

from diagram_dsl.emit.common import color_name, column_span, hex_rgb, involved, target_ids
from diagram_dsl.emit.mermaid_text import single_line, text
from diagram_dsl.model import (
    Activation,
    Box,
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
    Participant,
    ParticipantKind,
    Reference,
    Space,
    walk_events,
)

INDENT = "    "
GROUP_SHADE = "rgba(128, 128, 128, 0.12)"



def _arrow(kind: MessageKind) -> str:
    match kind:
        case MessageKind.REQUEST | MessageKind.SELF | MessageKind.CREATE | MessageKind.FOUND:
            return "->>"
        case MessageKind.REPLY:
            return "-->>"
        case MessageKind.ASYNC:
            return "-)"
        case MessageKind.DESTROY | MessageKind.LOST:
            return "-x"
        case _:
            assert_never(kind)

# Mermaid's fragment keywords match the model's, and so do their later-branch words (else, and, option).
_FRAGMENT_KEYWORDS = {kind: kind.value for kind in FragmentKind if kind is not FragmentKind.GROUP}


def _declaration(participant: Participant, target_id: str) -> str:
    label = text(participant.label)
    if participant.kind is ParticipantKind.ACTOR:
        return f"actor {target_id} as {label}"
    if participant.kind is ParticipantKind.PARTICIPANT:
        return f"participant {target_id} as {label}"
    return f'participant {target_id}@{{ "type": "{participant.kind.value}" }} as {label}'


def _box_line(box: Box) -> str:
    # Mermaid reads a leading colour word as the colour, so one is always written; hex becomes rgb().
    color = "transparent"
    if box.color:
        rgb = hex_rgb(box.color)
        name = color_name(box.color)
        if rgb is not None:
            red, green, blue, alpha = rgb
            color = f"rgb({red}, {green}, {blue})" if alpha == 1.0 else f"rgba({red}, {green}, {blue}, {alpha})"
        elif name is not None:
            color = name
    return f"box {color} {text(box.title)}".rstrip()


def _created_late(diagram: Diagram) -> set[str]:
    """Participants whose first appearance is the CREATE message that makes them.

    Mermaid declares those at the ``create`` line rather than at the top (declaring both is an error).
    """
    seen: set[str] = set()
    late: set[str] = set()
    for event in walk_events(diagram.events):
        if isinstance(event, Message) and event.kind is MessageKind.CREATE and event.receiver is not None \
                and event.receiver not in seen and event.receiver != event.sender:
            late.add(event.receiver)
        seen.update(involved((event,)) if not isinstance(event, Fragment) else ())
    return late


class _Writer:
    def __init__(self, diagram: Diagram) -> None:
        self.diagram = diagram
        self.ids = target_ids(diagram)
        self.created_late = _created_late(diagram)
        self.declared: set[str] = set()
        # Mermaid counts activations line by line and rejects ending one that is not open, even in a
        # later branch of an alt: the emitter tracks the counts to keep every `-` and `deactivate` valid.
        self.active: dict[str, int] = {}
        self.lines: list[str] = ["sequenceDiagram"]
        # Mermaid ties `destroy X` to the very next message, which must involve X. An end of life without a
        # destroying message is tied to X's last message when that was the previous one, else to the next.
        self.last_signal: tuple[int, int, tuple[str | None, ...]] | None = None  # line, depth, parties
        self.next_signal = _next_signals(diagram)

    def id(self, participant_id: str) -> str:
        return self.ids.get(participant_id, participant_id)

    def add(self, depth: int, line: str) -> None:
        self.lines.append((INDENT * depth + line).rstrip())

    def header(self) -> None:
        diagram = self.diagram
        if diagram.title and diagram.title.strip():
            # Mermaid draws the title as plain SVG text, where <br/> would show as written: lines join with a space.
            self.add(1, f"title {text(single_line(diagram.title))}")
        if diagram.autonumber is not None:
            start, step = diagram.autonumber.start, diagram.autonumber.step
            self.add(1, "autonumber" if (start, step) == (1, 1) else f"autonumber {start} {step}")
        boxes = {box.id: box for box in diagram.boxes}
        open_box: str | None = None
        for participant in diagram.participants:
            if participant.id in self.created_late:
                continue
            box_id = participant.box if participant.box in boxes else None
            if box_id != open_box:
                if open_box is not None:
                    self.add(1, "end")
                if box_id is not None:
                    self.add(1, _box_line(boxes[box_id]))
                open_box = box_id
            self.add(2 if open_box is not None else 1, _declaration(participant, self.id(participant.id)))
        if open_box is not None:
            self.add(1, "end")

    def visible(self, participant_ids: list[str] | tuple[str, ...]) -> list[str]:
        """Those already on the diagram: naming a not-yet-created participant would create it too early."""
        return [pid for pid in participant_ids if pid not in self.created_late or pid in self.declared]

    def span(self, participants: tuple[str, ...] | list[str]) -> str:
        everyone = self.visible([p.id for p in self.diagram.participants])
        ends = column_span(self.diagram, self.visible(participants)) or column_span(self.diagram, everyone)
        if ends is None:
            return ""
        first, last = ends
        return self.id(first) if first == last else f"{self.id(first)},{self.id(last)}"

    def everyone(self) -> str:
        return self.span([participant.id for participant in self.diagram.participants])

    def activation(self, depth: int, participant_id: str, active: bool) -> None:
        count = self.active.get(participant_id, 0)
        if not active and count == 0:
            return
        self.active[participant_id] = count + (1 if active else -1)
        self.add(depth, f"{'activate' if active else 'deactivate'} {self.id(participant_id)}")

    def restore_activations(self, depth: int, wanted: dict[str, int]) -> None:
        """Bring the counts back to ``wanted``: each branch of a fragment starts where the fragment did."""
        for pid in sorted(set(wanted) | set(self.active)):
            while self.active.get(pid, 0) < wanted.get(pid, 0):
                self.activation(depth, pid, True)
            while self.active.get(pid, 0) > wanted.get(pid, 0):
                self.activation(depth, pid, False)

    def events(self, events: tuple[Event, ...], depth: int) -> None:
        for event in events:
            match event:
                case Message():
                    self.message(event, depth)
                case Note():
                    where = f"over {self.span(event.participants)}" if event.position is NotePosition.OVER \
                        else f"{event.position.value} of {self.id(event.participants[0])}"
                    self.add(depth, f"Note {where}: {text(event.text)}")
                case Activation():
                    self.activation(depth, event.participant, event.active)
                case Destruction():
                    self.destruction(event, depth)
                case Fragment():
                    self.fragment(event, depth)
                case Reference():
                    self.add(depth, f"Note over {self.span(event.participants)}: ref: {text(event.text)}")
                case Divider():
                    self.add(depth, f"Note over {self.everyone()}: == {text(event.text)} ==")
                case Delay():
                    self.add(depth, f"Note over {self.everyone()}: ... {text(event.text)} ...")
                case Space():
                    self.add(depth, "%% space" + ("" if event.pixels is None else f" {event.pixels}px")
                             + ": Mermaid has no vertical spacer")
                case _:
                    assert_never(event)

    def message(self, message: Message, depth: int) -> None:
        label = text(message.label)
        if message.sender is None:
            # Mermaid has no diagram border to start from: a note beside the receiver says it arrives.
            if message.receiver is not None:
                self.add(depth, f"Note left of {self.id(message.receiver)}: \u2192 {label}")
            return
        sender = self.id(message.sender)
        receiver = sender if message.receiver is None else self.id(message.receiver)
        if message.kind is MessageKind.CREATE and message.receiver in self.created_late \
                and message.receiver not in self.declared:
            participant = self.diagram.participant(message.receiver)
            if participant is not None:
                self.declared.add(participant.id)
                self.add(depth, f"create {_declaration(participant, receiver)}")
        if message.kind is MessageKind.DESTROY and message.receiver is not None:
            self.add(depth, f"destroy {receiver}")
        ends_sender = message.deactivate and self.active.get(message.sender, 0) > 0
        marker = "+" if message.activate else "-" if ends_sender else ""
        self.add(depth, f"{sender}{_arrow(message.kind)}{marker}{receiver}: {label}".rstrip())
        self.last_signal = (len(self.lines) - 1, depth, _parties(message)) if _plain(message) else None
        target = message.receiver if message.receiver is not None else message.sender
        if message.activate:
            self.active[target] = self.active.get(target, 0) + 1
        if ends_sender and message.activate:
            self.activation(depth, message.sender, False)
        elif ends_sender:
            self.active[message.sender] -= 1

    def destruction(self, event: Destruction, depth: int) -> None:
        target = self.id(event.participant)
        if self.last_signal is not None and event.participant in self.last_signal[2]:
            index, signal_depth, _ = self.last_signal
            self.lines.insert(index, INDENT * signal_depth + f"destroy {target}")
            self.last_signal = None
            return
        following = self.next_signal.get(id(event))
        if following is None or (event.participant in _parties(following) and _plain(following)):
            self.add(depth, f"destroy {target}")
        else:
            # No message of X to tie the end to: mark it where it happens.
            self.add(depth, f"Note over {target}: \u2715")

    def fragment(self, fragment: Fragment, depth: int) -> None:
        if fragment.kind is FragmentKind.GROUP:
            self.add(depth, f"rect {GROUP_SHADE}")
            self.add(depth + 1, f"Note over {self.span(involved(_all_events(fragment)))}: {text(fragment.label)}")
            for branch in fragment.branches:
                self.events(branch.events, depth + 1)
            self.add(depth, "end")
            return
        keyword = _FRAGMENT_KEYWORDS[fragment.kind]
        at_start = dict(self.active)
        for index, branch in enumerate(fragment.branches):
            word = keyword if index == 0 else fragment.kind.branch_keyword
            if word is not None:
                self.add(depth, f"{word} {text(branch.guard)}".rstrip())
            if index > 0 and fragment.kind is not FragmentKind.PAR:
                self.restore_activations(depth + 1, at_start)
            self.events(branch.events, depth + 1)
        self.add(depth, "end")
        if fragment.kind is FragmentKind.BREAK:
            # After a break the flow goes on as if its body had not run: the same calls are open.
            self.restore_activations(depth, at_start)


def _parties(message: Message) -> tuple[str | None, ...]:
    """Mermaid's from and to of the arrow written for ``message`` (a message to nowhere is a self-arrow)."""
    return message.sender, message.receiver if message.receiver is not None else message.sender


def _plain(message: Message) -> bool:
    """A message written as one arrow line with no create/destroy line of its own before it."""
    return message.sender is not None and message.kind not in (MessageKind.CREATE, MessageKind.DESTROY)


def _next_signals(diagram: Diagram) -> dict[int, Message | None]:
    """For each end of life (by object identity), the next message Mermaid will read as an arrow."""
    found: dict[int, Message | None] = {}
    following: Message | None = None
    for event in reversed(walk_events(diagram.events)):
        if isinstance(event, Destruction):
            found[id(event)] = following
        elif isinstance(event, Message) and event.sender is not None:
            following = event
    return found


def _all_events(fragment: Fragment) -> tuple[Event, ...]:
    return tuple(event for branch in fragment.branches for event in branch.events)


def emit_mermaid(diagram: Diagram) -> str:
    """The diagram as a Mermaid ``sequenceDiagram``, ending in a newline."""
    writer = _Writer(diagram)
    writer.header()
    writer.events(diagram.events, 1)
    return "\n".join(writer.lines) + "\n"
