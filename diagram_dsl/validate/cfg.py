"""The control-flow graph of a flow's events (a networkx DAG of basic blocks).

Nodes are basic blocks of consecutive state-changing events (messages,
activations, destructions) plus one fork and one join node per fragment; notes,
refs, dividers, delays and spaces change no state and are left out. Edges into a
join carry the ``role`` of the path (branch, skip, body, break) and a ``label``
that names it in findings ("in alt branch 'card declined'").

Fragment semantics:

- alt/else and critical/option: alternatives (a critical with no option: its
  body always runs);
- opt: taken or skipped;
- loop: zero, one or more times — modelled without a back edge: the body's exit
  state must equal its entry state (checked at the join), so the join sees the
  skip path plus any breaks;
- par: every branch runs; each must be balanced on its own (checked at the join);
- break: taken -> its body runs, then control leaves the innermost enclosing
  fragment (an edge to that fragment's join, or to the flow's end at top level);
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
    BLOCK = "block"
    FORK = "fork"
    JOIN = "join"
    END = "end"


class Role(enum.Enum):
    NEXT = "next"  # plain sequence
    BRANCH = "branch"  # an alternative or parallel branch reaching its join
    BODY = "body"  # an opt or loop body reaching its join
    SKIP = "skip"  # opt skipped, loop run zero times, break not taken
    BREAK = "break"  # a taken break leaving the enclosing fragment


@dataclass(frozen=True)
class ControlFlowGraph:
    """``graph`` node attributes: ``kind``, ``events`` (blocks), ``where`` (innermost path label), ``fragment``
    and ``fork`` (joins). Edge attributes: ``role`` and ``label``."""

    graph: nx.DiGraph
    start: int
    end: int


def quoted(text: str) -> str:
    return "'" + " ".join(text.split()) + "'"


def fragment_name(fragment: Fragment) -> str:
    guard = fragment.label.strip()
    return f"{fragment.kind.value} {quoted(guard)}" if guard else f"{fragment.kind.value} at line " \
        f"{fragment.location.line}"


def branch_label(fragment: Fragment, index: int) -> str:
    """How a finding names the path through one branch of a fragment."""
    branch = fragment.branches[index]
    guard = branch.guard.strip()
    kind = fragment.kind
    if kind is FragmentKind.ALT or kind is FragmentKind.PAR:
        named = quoted(guard) if guard else f"at line {branch.location.line}"
        return f"in {kind.value} branch {named}"
    if kind is FragmentKind.CRITICAL:
        named = quoted(guard) if guard else f"at line {branch.location.line}"
        return f"in critical {named}" if index == 0 else f"in critical option {named}"
    if kind is FragmentKind.OPT:
        return f"when {fragment_name(fragment)} is taken"
    if kind is FragmentKind.LOOP:
        return f"in {fragment_name(fragment)}"
    return f"after {fragment_name(fragment)}"


def skip_label(fragment: Fragment) -> str:
    if fragment.kind is FragmentKind.LOOP:
        return f"when {fragment_name(fragment)} runs zero times"
    if fragment.kind is FragmentKind.BREAK:
        return f"when {fragment_name(fragment)} is not taken"
    return f"when {fragment_name(fragment)} is skipped"


class _Builder:
    def __init__(self) -> None:
        self.graph = nx.DiGraph()
        self._count = 0

    def add(self, kind: NodeKind, where: str, **attrs: object) -> int:
        node = self._count
        self._count += 1
        self.graph.add_node(node, kind=kind, where=where, **attrs)
        return node

    def link(self, source: int, target: int, role: Role = Role.NEXT, label: str = "") -> None:
        self.graph.add_edge(source, target, role=role, label=label)

    def sequence(self, events: tuple[Event, ...], current: int, exit_to: int, where: str) -> int:
        """Append ``events`` after ``current``; a taken break jumps to ``exit_to``. Returns the last node."""
        block: list[Event] = []
        for event in events:
            if isinstance(event, Fragment):
                current = self._flush(current, block, where)
                block = []
                if event.kind is FragmentKind.GROUP:
                    for branch in event.branches:
                        current = self.sequence(branch.events, current, exit_to, where)
                else:
                    current = self._fragment(event, current, exit_to, where)
            elif isinstance(event, STATEFUL):
                block.append(event)
        return self._flush(current, block, where)

    def _flush(self, current: int, block: list[Event], where: str) -> int:
        if not block:
            return current
        node = self.add(NodeKind.BLOCK, where, events=tuple(block))
        self.link(current, node)
        return node

    def _fragment(self, fragment: Fragment, current: int, exit_to: int, where: str) -> int:
        fork = self.add(NodeKind.FORK, where, fragment=fragment)
        self.link(current, fork)
        join = self.add(NodeKind.JOIN, where, fragment=fragment, fork=fork)
        kind = fragment.kind
        if kind in (FragmentKind.OPT, FragmentKind.LOOP, FragmentKind.BREAK) or not fragment.branches:
            self.link(fork, join, Role.SKIP, skip_label(fragment))
        for index, branch in enumerate(fragment.branches):
            label = branch_label(fragment, index)
            entry = self.add(NodeKind.BLOCK, label, events=())
            self.link(fork, entry, Role.BRANCH, label)
            if kind is FragmentKind.BREAK:
                # A taken break leaves the fragment around it: its breaks go where it goes.
                last = self.sequence(branch.events, entry, exit_to, label)
                self.link(last, exit_to, Role.BREAK, label)
            else:
                last = self.sequence(branch.events, entry, join, label)
                role = Role.BODY if kind in (FragmentKind.OPT, FragmentKind.LOOP) else Role.BRANCH
                self.link(last, join, role, label)
        return join


def build_cfg(events: tuple[Event, ...]) -> ControlFlowGraph:
    builder = _Builder()
    start = builder.add(NodeKind.START, "")
    end = builder.add(NodeKind.END, "", fragment=None, fork=start)
    last = builder.sequence(events, start, end, "")
    builder.link(last, end)
    return ControlFlowGraph(builder.graph, start, end)


def topological_nodes(cfg: ControlFlowGraph) -> list[int]:
    return list(nx.topological_sort(cfg.graph))
