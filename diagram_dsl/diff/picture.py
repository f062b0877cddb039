"""One picture per changed flow: the new flow drawn by the native renderer, with what was added in green, what
was removed drawn back in as red ghosts (faint, dashed) where it used to be, relabelled messages and fragments
whose guards changed in amber.

The drawing is the new diagram plus the removed messages and participants — a diagram of its own, never a
flow's output — coloured through ``RenderOptions.highlights``.
"""

from __future__ import annotations

from dataclasses import replace

from diagram_dsl.diff.compare import FlowDiff, fragments_in_order
from diagram_dsl.model import Branch, Diagram, Event, FlowModel, Fragment, Message, MessageKind, Participant
from diagram_dsl.renderers.base import Highlight, HighlightKey, Rendered, RenderOptions, get_renderer

ADDED = "#1A7F37"  # green
REMOVED = "#CF222E"  # red, drawn as a ghost
RELABELLED = "#9A6700"  # amber, dark enough for text on white


def diff_diagram(diff: FlowDiff) -> tuple[Diagram, tuple[tuple[HighlightKey, Highlight], ...]]:
    """The new diagram with the removed messages and participants put back, and how each change is coloured."""
    assert diff.old is not None and diff.new is not None
    new = diff.new.model.diagram
    highlights: list[tuple[HighlightKey, Highlight]] = []
    numbers = {id(fragment): number for number, (_, fragment) in enumerate(fragments_in_order(new.events))}
    for fragment_change in diff.fragments:  # a removed fragment is listed, not drawn: its messages are the ghosts
        if fragment_change.new is not None and fragment_change.change in ("added", "changed"):
            colour = ADDED if fragment_change.change == "added" else RELABELLED
            highlights.append((("fragment", numbers[id(fragment_change.new)]), Highlight(colour)))
    next_id = max((m.id for m in (*new.messages(), *diff.old.model.diagram.messages())), default=0) + 1
    ghosts: dict[int | None, list[Message]] = {}
    for change in diff.messages:
        if change.change == "added" and change.new is not None:
            highlights.append((change.new.id, Highlight(ADDED)))
        elif change.change == "relabelled" and change.new is not None:
            highlights.append((change.new.id, Highlight(RELABELLED)))
        elif change.change == "removed" and change.old is not None:
            ghost = _ghost(change.old, next_id)
            next_id += 1
            ghosts.setdefault(change.anchor, []).append(ghost)
            highlights.append((ghost.id, Highlight(REMOVED, ghost=True)))
    for participant in diff.participants_added:
        highlights.append((participant.id, Highlight(ADDED)))
    participants = _with_removed(new.participants, diff.old.model.diagram.participants, diff.participants_removed)
    for participant in diff.participants_removed:
        highlights.append((participant.id, Highlight(REMOVED, ghost=True)))
    events = (*ghosts.get(None, ()), *_inserted(new.events, ghosts))
    title = f"{diff.metadata.title} - changes: +{diff.count('added')} -{diff.count('removed')} " \
            f"~{diff.count('relabelled')}"
    return replace(new, participants=participants, events=events, title=title), tuple(highlights)


def _ghost(message: Message, ghost_id: int) -> Message:
    """A removed message as a plain arrow: it opens, closes, creates and destroys nothing in the new drawing."""
    kind = MessageKind.ASYNC if message.kind in (MessageKind.CREATE, MessageKind.DESTROY) else message.kind
    return replace(message, id=ghost_id, kind=kind, reply_to=None, activate=False, deactivate=False)


def _with_removed(current: tuple[Participant, ...], before: tuple[Participant, ...],
                  removed: tuple[Participant, ...]) -> tuple[Participant, ...]:
    """The new columns with each removed participant back beside the neighbour it had on its left."""
    columns = list(current)
    gone = {p.id for p in removed}
    for index, participant in enumerate(before):
        if participant.id not in gone:
            continue
        left = next((p.id for p in reversed(before[:index]) if p.id in {c.id for c in columns}), None)
        position = 0 if left is None else next(i for i, c in enumerate(columns) if c.id == left) + 1
        columns.insert(position, replace(participant, box=None))
    return tuple(columns)


def _inserted(events: tuple[Event, ...], ghosts: dict[int | None, list[Message]]) -> tuple[Event, ...]:
    out: list[Event] = []
    for event in events:
        if isinstance(event, Fragment):
            event = replace(event, branches=tuple(Branch(b.guard, _inserted(b.events, ghosts), b.location)
                                                  for b in event.branches))
        out.append(event)
        if isinstance(event, Message):
            out.extend(ghosts.get(event.id, ()))
    return tuple(out)


def render_diff(diff: FlowDiff, scale: float = 1.0) -> Rendered:
    """The flow's change picture (PNG and SVG), drawn by the native renderer in the light theme."""
    diagram, highlights = diff_diagram(diff)
    assert diff.new is not None
    model = FlowModel(diff.new.metadata, diagram)
    options = RenderOptions(scale=scale, highlights=highlights)
    with get_renderer("native").session(options) as session:
        return session.render(model)
