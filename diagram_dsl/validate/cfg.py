"""The control-flow graph of a flow's events (a networkx DAG of basic blocks).

Nodes are basic blocks of consecutive state-changing events (messages,
activations, destructions) plus one join node per fragment (its paths split at
the node before it, so no fork node is needed); notes,
refs, dividers, delays and spaces change no state and are left out. Edges into a
join carry the ``role`` of the path (branch, skip, body, break) and a ``label``
that names it in findings ("in alt branch 'card declined'", worded only when needed).

Fragment semantics:

- alt/else and critical/option: alternatives (a critical with no option: its
  body always runs);
- opt: taken or skipped;
- loop: zero, one or more times — modelled without a back edge: the body's exit
  state must equal its entry state (checked at the join), so the join sees the
  skip path plus any breaks;
- par: every branch runs; each must be balanced on its own (checked at the join);
- break: taken -> its body runs, then control leaves the innermost enclosing
  fragment (an edge to that fragment's join, or to the flow's end at top level),
  or the ``leaves``-th one counting outwards (a break that ends two nested loops);
  skipped -> control continues after the break;
- group: a plain sequence with no control-flow meaning (transparent for break).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import networkx as nx

from diagram_dsl.model import Activation, Destruction, Event, Fragment, FragmentKind, Message

STATEFUL = (Message, Activation, Destruction)


class NodeKind(enum.Enum):
    START = "start"
    BLOCK = "block"  # a run of events; also where a following fragment's paths split
    JOIN = "join"
    END = "end"


class Role(enum.Enum):
    NEXT = "next"  # plain sequence
    BRANCH = "branch"  # an alternative or parallel branch reaching its join
    BODY = "body"  # an opt or loop body reaching its join
    SKIP = "skip"  # opt skipped, loop run zero times
    BREAK = "break"  # a taken break leaving the enclosing fragment


@dataclass(frozen=True)
class ControlFlowGraph:
    """``graph`` node attributes: ``kind``, ``events`` and ``pred`` (blocks: their one predecessor), ``where`` (the
    innermost branch, a ``PathRef``), ``fragment`` and ``fork`` (joins: the node their paths split from). Edge
    attributes: ``role`` and ``path`` (a ``PathRef``)."""

    graph: nx.DiGraph
    start: int
    end: int


# Which branch of which fragment a node or edge belongs to: (fragment, branch index), or (fragment, SKIPPED) for
# the path that skips an opt or a loop; None for the flow's main path. Worded only when a finding needs it.
PathRef = tuple[Fragment, int] | None
SKIPPED = -1


def quoted(text: str) -> str:
    return "'" + " ".join(text.split()) + "'"


def fragment_name(fragment: Fragment) -> str:
    guard = fragment.label.strip()
    return f"{fragment.kind.value} {quoted(guard)}" if guard else f"{fragment.kind.value} at line " \
        f"{fragment.location.line}"


def path_label(ref: PathRef) -> str:
    """How a finding names a path: "in alt branch 'card declined'", "when opt 'x' is skipped", "after break 'z'"."""
    if ref is None:
        return ""
    fragment, index = ref
    kind = fragment.kind
    if index == SKIPPED:
        if kind is FragmentKind.LOOP:
            return f"when {fragment_name(fragment)} runs zero times"
        return f"when {fragment_name(fragment)} is skipped"
    branch = fragment.branches[index]
    guard = branch.guard.strip()
    named = quoted(guard) if guard else f"at line {branch.location.line}"
    if kind is FragmentKind.ALT or kind is FragmentKind.PAR:
        return f"in {kind.value} branch {named}"
    if kind is FragmentKind.CRITICAL:
        return f"in critical {named}" if index == 0 else f"in critical option {named}"
    if kind is FragmentKind.OPT:
        return f"when {fragment_name(fragment)} is taken"
    if kind is FragmentKind.LOOP:
        return f"in {fragment_name(fragment)}"
    return f"after {fragment_name(fragment)}"


class _Builder:
    def __init__(self) -> None:
        self.graph = nx.DiGraph()
        self._count = 0

    def add(self, kind: NodeKind, where: PathRef, events: tuple[Event, ...] = (), fragment: Fragment | None = None,
            fork: int = -1, pred: int = -1) -> int:
        node = self._count
        self._count += 1
        self.graph.add_node(node, kind=kind, where=where, events=events, fragment=fragment, fork=fork, pred=pred)
        return node

    def link(self, source: int, target: int, role: Role = Role.NEXT, path: PathRef = None) -> None:
        self.graph.add_edge(source, target, role=role, path=path)

    def sequence(self, events: tuple[Event, ...], current: int, exits: tuple[int, ...], where: PathRef) -> int:
        """Append ``events`` after ``current``; a taken break jumps to one of ``exits`` (the joins of the enclosing
        fragments, innermost last, after the flow's end). Returns the last node."""
        block: list[Event] = []
        for event in events:
            if isinstance(event, Fragment):
                current = self._flush(current, block, where)
                block = []
                if event.kind is FragmentKind.GROUP:
                    for branch in event.branches:
                        current = self.sequence(branch.events, current, exits, where)
                else:
                    current = self._fragment(event, current, exits, where)
            elif isinstance(event, STATEFUL):
                block.append(event)
        return self._flush(current, block, where)

    def _flush(self, current: int, block: list[Event], where: PathRef) -> int:
        if not block:
            return current
        node = self.add(NodeKind.BLOCK, where, tuple(block), pred=current)
        self.link(current, node)
        return node

    def _fragment(self, fragment: Fragment, current: int, exits: tuple[int, ...], where: PathRef) -> int:
        fork = current  # the node before the fragment is where its paths split
        if fragment.kind is FragmentKind.BREAK:
            # Taken: the body runs, then leaves the fragment around it (its own breaks go where it goes).
            # Not taken: control simply continues from the fork, so a break needs no join of its own.
            exit_to = exits[-fragment.leaves] if 0 < fragment.leaves < len(exits) else exits[0]
            for index, branch in enumerate(fragment.branches):
                ref = (fragment, index)
                last = self.sequence(branch.events[self._lead(branch.events):], self._entry(fork, ref, branch.events),
                                     exits, ref)
                self.link(last, exit_to, Role.BREAK, ref)
            return fork
        join = self.add(NodeKind.JOIN, where, fragment=fragment, fork=fork)
        # An opt or loop split by `else` (SEQ130) is read as the alternatives its author drew, so that one
        # misplaced keyword is one finding, not also a request "unanswered when the opt is skipped".
        optional = fragment.kind in (FragmentKind.OPT, FragmentKind.LOOP) and len(fragment.branches) == 1
        if optional or not fragment.branches:
            self.link(fork, join, Role.SKIP, (fragment, SKIPPED))
        role = Role.BODY if optional else Role.BRANCH
        for index, branch in enumerate(fragment.branches):
            ref = (fragment, index)
            last = self.sequence(branch.events[self._lead(branch.events):], self._entry(fork, ref, branch.events),
                                 (*exits, join), ref)
            self.link(last, join, role, ref)
        return join

    @staticmethod
    def _lead(events: tuple[Event, ...]) -> int:
        """How many events precede the first nested fragment."""
        return next((i for i, event in enumerate(events) if isinstance(event, Fragment)), len(events))

    def _entry(self, fork: int, ref: PathRef, events: tuple[Event, ...]) -> int:
        """A branch's first node; it also holds the branch's leading events (one node fewer per branch)."""
        leading = tuple(e for e in events[:self._lead(events)] if isinstance(e, STATEFUL))
        entry = self.add(NodeKind.BLOCK, ref, leading, pred=fork)
        self.link(fork, entry, Role.BRANCH, ref)
        return entry


def build_cfg(events: tuple[Event, ...]) -> ControlFlowGraph:
    builder = _Builder()
    start = builder.add(NodeKind.START, None)
    end = builder.add(NodeKind.END, None, fork=start)
    last = builder.sequence(events, start, (end,), None)
    builder.link(last, end)
    return ControlFlowGraph(builder.graph, start, end)
