"""Two catalogs lined up: flows added, removed and changed, and for each changed flow what changed in it.

Flows pair up by source file, then (for a renamed file) by number. Messages are compared in document order with
a sequence alignment on (kind, sender, receiver, label); inside a stretch that does not line up, messages with
the same kind and ends but a new label are *relabelled*, the rest *removed* or *added*. Fragments are aligned
the same way on (kind, guards), so a changed guard reads as one changed fragment. Locations never count: moving
a flow's code down ten lines changes nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from diagram_dsl.catalog import Catalog, LoadedFlow
from diagram_dsl.emit import emit_plantuml
from diagram_dsl.model import Fragment, Message, Metadata, Participant

Change = Literal["added", "removed", "relabelled", "changed"]
T = TypeVar("T")


@dataclass(frozen=True)
class MessageChange:
    change: Change  # added, removed or relabelled
    old: Message | None
    new: Message | None
    anchor: int | None = None  # for a removed message: the id of the new message it followed (None: the start)


@dataclass(frozen=True)
class FragmentChange:
    change: Change  # added, removed or changed (a guard)
    old: Fragment | None
    new: Fragment | None


@dataclass(frozen=True)
class FlowDiff:
    old: LoadedFlow | None
    new: LoadedFlow | None
    participants_added: tuple[Participant, ...] = ()
    participants_removed: tuple[Participant, ...] = ()
    messages: tuple[MessageChange, ...] = ()
    fragments: tuple[FragmentChange, ...] = ()
    other: tuple[str, ...] = ()  # metadata and everything else that changed, in words

    @property
    def status(self) -> Literal["added", "removed", "changed", "unchanged"]:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        changed = (self.participants_added or self.participants_removed or self.messages or self.fragments
                   or self.other)
        return "changed" if changed else "unchanged"

    @property
    def metadata(self) -> Metadata:
        flow = self.new or self.old
        assert flow is not None
        return flow.metadata

    def count(self, change: Change) -> int:
        return sum(m.change == change for m in self.messages)


@dataclass(frozen=True)
class CatalogDiff:
    base: str  # what was compared, as shown to the reader
    head: str
    flows: tuple[FlowDiff, ...]  # every flow of either side, by number
    unreadable: tuple[str, ...]  # "file:line: message" of sources that failed to load on either side

    def with_status(self, status: str) -> list[FlowDiff]:
        return [flow for flow in self.flows if flow.status == status]


def compare_catalogs(old: Catalog, new: Catalog, base: str, head: str) -> CatalogDiff:
    old_by_file = {flow.path.relative_to(old.project.sources_dir.resolve()).as_posix(): flow for flow in old.flows}
    new_by_file = {flow.path.relative_to(new.project.sources_dir.resolve()).as_posix(): flow for flow in new.flows}
    failed = {_file_of(error.location.file if error.location else "") for error in (*old.errors, *new.errors)}
    pairs: list[tuple[LoadedFlow | None, LoadedFlow | None]] = []
    for name in sorted(old_by_file.keys() & new_by_file.keys()):
        pairs.append((old_by_file.pop(name), new_by_file.pop(name)))
    for name, flow in list(old_by_file.items()):  # a renamed file keeps its flow number
        twin = next((key for key, other in new_by_file.items() if other.metadata.number == flow.metadata.number),
                    None)
        if twin is not None:
            pairs.append((old_by_file.pop(name), new_by_file.pop(twin)))
    pairs += [(flow, None) for name, flow in old_by_file.items() if name not in failed]
    pairs += [(None, flow) for name, flow in new_by_file.items() if name not in failed]
    flows = [compare_flows(before, after) for before, after in pairs]
    flows.sort(key=lambda diff: (diff.metadata.number, diff.status))
    unreadable = sorted({f"{base}: {error}" for error in old.errors} | {f"{head}: {error}" for error in new.errors})
    return CatalogDiff(base, head, tuple(flows), tuple(unreadable))


def _file_of(shown: str) -> str:
    return shown.rsplit("/", 1)[-1]


def compare_flows(old: LoadedFlow | None, new: LoadedFlow | None) -> FlowDiff:
    if old is None or new is None:
        return FlowDiff(old, new)
    before, after = old.model.diagram, new.model.diagram
    old_ids = {p.id for p in before.participants}
    new_ids = {p.id for p in after.participants}
    messages = _message_changes(before.messages(), after.messages())
    fragments = _fragment_changes(fragments_in_order(before.events), fragments_in_order(after.events))
    other = _metadata_changes(old.metadata, new.metadata)
    participants_added = tuple(p for p in after.participants if p.id not in old_ids)
    participants_removed = tuple(p for p in before.participants if p.id not in new_ids)
    found = participants_added or participants_removed or messages or fragments
    if not found and emit_plantuml(before) != emit_plantuml(after):
        other += ("notes, activations or layout hints changed",)
    return FlowDiff(old, new, participants_added, participants_removed, tuple(messages), tuple(fragments), other)


def _metadata_changes(old: Metadata, new: Metadata) -> tuple[str, ...]:
    changes = []
    if old.title != new.title:
        changes.append(f"title: {old.title!r} -> {new.title!r}")
    if old.number != new.number:
        changes.append(f"number: {old.number} -> {new.number}")
    rest = ("description", "scores", "when_to_use", "important_points", "guides", "allow")
    for name in rest:
        if getattr(old, name) != getattr(new, name):
            changes.append(f"{name.replace('_', ' ')} changed")
    return tuple(changes)


def _message_key(message: Message) -> tuple[str, str | None, str | None, str]:
    return message.kind.value, message.sender, message.receiver, message.label


def _message_ends(message: Message) -> tuple[str, str | None, str | None]:
    return message.kind.value, message.sender, message.receiver


def _message_changes(old: Sequence[Message], new: Sequence[Message]) -> list[MessageChange]:
    changes: list[MessageChange] = []
    last_kept: int | None = None  # id of the last new message that has a partner, for placing removed ones

    def kept(old_index: int, new_index: int) -> None:
        nonlocal last_kept
        last_kept = new[new_index].id
        if old[old_index].label != new[new_index].label:
            changes.append(MessageChange("relabelled", old[old_index], new[new_index]))

    def removed(old_index: int) -> None:
        changes.append(MessageChange("removed", old[old_index], None, last_kept))

    def added(new_index: int) -> None:
        nonlocal last_kept
        last_kept = new[new_index].id
        changes.append(MessageChange("added", None, new[new_index]))

    _align(old, new, _message_key, _message_ends, kept, removed, added)
    return changes


def fragments_in_order(events: tuple[object, ...]) -> list[tuple[int, Fragment]]:
    """Every fragment in document order (depth first, as the renderer numbers them) with its nesting depth."""
    found: list[tuple[int, Fragment]] = []

    def visit(items: tuple[object, ...], depth: int) -> None:
        for event in items:
            if isinstance(event, Fragment):
                found.append((depth, event))
                for branch in event.branches:
                    visit(branch.events, depth + 1)

    visit(events, 0)
    return found


def _guards(fragment: Fragment) -> tuple[str, ...]:
    return tuple(branch.guard for branch in fragment.branches)


def _fragment_changes(old: list[tuple[int, Fragment]], new: list[tuple[int, Fragment]]) -> list[FragmentChange]:
    changes: list[FragmentChange] = []
    olds, news = [f for _, f in old], [f for _, f in new]

    def kept(old_index: int, new_index: int) -> None:
        if _guards(olds[old_index]) != _guards(news[new_index]):
            changes.append(FragmentChange("changed", olds[old_index], news[new_index]))

    _align(olds, news, lambda f: (f.kind.value, _guards(f)), lambda f: (f.kind.value, len(f.branches)), kept,
           lambda i: changes.append(FragmentChange("removed", olds[i], None)),
           lambda j: changes.append(FragmentChange("added", None, news[j])))
    return changes


def _align(old: Sequence[T], new: Sequence[T], exact: Callable[[T], Hashable], similar: Callable[[T], Hashable],
           kept: Callable[[int, int], None], removed: Callable[[int], None], added: Callable[[int], None]) -> None:
    """Walk both sequences in order, calling back for each pair that lines up (exactly, or similarly inside a
    stretch that does not line up exactly), each item only in ``old`` and each only in ``new``."""
    matcher = difflib.SequenceMatcher(None, [exact(x) for x in old], [exact(x) for x in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                kept(i1 + offset, j1 + offset)
            continue
        inner = difflib.SequenceMatcher(None, [similar(x) for x in old[i1:i2]], [similar(x) for x in new[j1:j2]],
                                        autojunk=False)
        for sub, a1, a2, b1, b2 in inner.get_opcodes():
            if sub == "equal":
                for offset in range(a2 - a1):
                    kept(i1 + a1 + offset, j1 + b1 + offset)
                continue
            for index in range(i1 + a1, i1 + a2):
                removed(index)
            for index in range(j1 + b1, j1 + b2):
                added(index)

