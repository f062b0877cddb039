"""Hand-written diagrams (``.puml``, ``.mmd``, Markdown blocks): imported, then validated like flows.

Real diagrams leave replies implicit in two ways, and neither should drown a reader in one
SEQ110 per request (unless ``strict``):

- a diagram that draws no reply at all gets one SEQ115 note and no pairing check;
- a diagram that draws some replies is checked request by request, except requests whose callee
  never answers that caller anywhere in the diagram: those are read as one-way messages and
  listed once (SEQ116). A request whose callee does answer that caller elsewhere but not on
  some path is a real inconsistency and stays an error.

Two warnings encode this project's authoring conventions rather than mistakes — SEQ103 (a
participant no message path reaches: a poller or a background job in someone else's diagram) and
SEQ121 (a call from a participant that holds no control) — so they apply to hand-written diagrams
only with ``strict``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from diagram_dsl.importers.discover import load_diagrams
from diagram_dsl.model import Branch, Diagram, Event, Fragment, Location, Message, MessageKind
from diagram_dsl.validate import Replies, validate
from diagram_dsl.validate.findings import Finding, make_finding


def never_answered(diagram: Diagram) -> list[Message]:
    """Requests whose callee sends no reply to their caller anywhere in the diagram."""
    messages = diagram.messages()
    answered = {(m.receiver, m.sender) for m in messages if m.kind is MessageKind.REPLY}
    return [m for m in messages if m.kind is MessageKind.REQUEST and (m.sender, m.receiver) not in answered
            and m.sender != m.receiver]


def as_one_way(diagram: Diagram, requests: list[Message]) -> Diagram:
    """The diagram with ``requests`` read as asynchronous sends; everything else untouched."""
    ids = {m.id for m in requests}

    def rewrite(events: tuple[Event, ...]) -> tuple[Event, ...]:
        out: list[Event] = []
        for event in events:
            if isinstance(event, Message) and event.id in ids:
                event = replace(event, kind=MessageKind.ASYNC)
            elif isinstance(event, Fragment):
                event = replace(event, branches=tuple(Branch(b.guard, rewrite(b.events), b.location)
                                                      for b in event.branches))
            out.append(event)
        return tuple(out)

    return replace(diagram, events=rewrite(diagram.events))


CONVENTION_WARNINGS = frozenset({"SEQ103", "SEQ121"})


def validate_imported(diagram: Diagram, origin: Location, replies_drawn: bool, strict: bool) -> list[Finding]:
    if strict:
        return validate(diagram, replies="explicit")
    return [f for f in _lenient(diagram, origin, replies_drawn) if f.code not in CONVENTION_WARNINGS]


def _lenient(diagram: Diagram, origin: Location, replies_drawn: bool) -> list[Finding]:
    if not replies_drawn:
        replies: Replies = "implicit"
        return validate(diagram, replies=replies)
    one_way = never_answered(diagram)
    if not one_way:
        return validate(diagram, replies="explicit")
    lines = ", ".join(str(m.location.line) for m in one_way[:8]) + (" ..." if len(one_way) > 8 else "")
    note = make_finding("SEQ116", origin, f"{len(one_way)} request(s) whose callee never answers its caller in this "
                        f"diagram were read as one-way messages (lines {lines}); --strict checks them as calls")
    return [note, *validate(as_one_way(diagram, one_way), replies="explicit")]


def check_diagram_files(paths: list[Path], *, strict: bool) -> tuple[int, list[Finding]]:
    """(how many diagrams were checked, their findings) for the files and folders in ``paths``."""
    findings: list[Finding] = []
    count = 0
    for path in paths:
        for item in load_diagrams(path):
            count += 1
            if item.error is not None:
                hint = f" ({item.error.hint})" if item.error.hint else ""
                findings.append(make_finding("IMP001", item.error.location or item.origin,
                                             item.error.message + hint))
                continue
            assert item.diagram is not None
            findings.extend(validate_imported(item.diagram, item.origin, item.replies_drawn, strict))
    return count, findings
