"""The control-flow graph of a flow's events: a DAG of basic blocks, built in one walk and kept in plain lists.

Nodes are basic blocks of consecutive state-changing events (messages,
activations, destructions) plus one join node per fragment (its paths split at
the node before it, so no fork node is needed); notes,
refs, dividers, delays and spaces change no state and are left out. Edges into a
join carry the ``role`` of the path (branch, skip, body, break) and a ``label``
that names it in findings ("in alt branch 'card declined'", worded only when needed).

The graph is a networkx ``DiGraph`` over node indices, walked once in
``networkx.topological_sort`` order by the dataflow pass. What a node holds (its
events, the branch it is on, the role and path of each edge into a join) lives in a
plain ``Node`` beside it, and the edges are added in one batch at the end: per-node
and per-edge attribute dicts made a 100,000-event flow's graph cost more to build
than the whole pass over it.

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
from typing import TYPE_CHECKING, NamedTuple, TypeAlias, assert_never

from diagram_dsl.model import (
    Activation,
    Delay,
    Destruction,
    Divider,
    Event,
    Fragment,
    FragmentKind,
    Message,
    Note,
    Reference,
    Space,
)
from diagram_dsl.validate.survey import Survey

if TYPE_CHECKING:
    import networkx as nx


# What a basic block holds: the events that change the dataflow state.
StateChange = Message | Activation | Destruction


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


# Members bound to module names once: on Python 3.11 reading a member from its enum class (``Role.BREAK``) runs
# EnumType's ``__getattr__`` hook, twenty times the cost of reading a global, and the builder and the dataflow pass
# read them per node and per edge.
_START_NODE, _BLOCK, _JOIN, _END_NODE = NodeKind.START, NodeKind.BLOCK, NodeKind.JOIN, NodeKind.END
_NEXT, _BRANCH, _BODY, _SKIP, _BREAK = Role.NEXT, Role.BRANCH, Role.BODY, Role.SKIP, Role.BREAK
_GROUP, _BREAK_FRAGMENT = FragmentKind.GROUP, FragmentKind.BREAK
_OPTIONAL = (FragmentKind.OPT, FragmentKind.LOOP)  # a tuple: on Python 3.11 an enum member hashes slowly


# How a path reaches a join: its ``role`` and the branch it comes from (a ``PathRef``). A plain pair rather than a
# named tuple: the builder makes one per edge, and the pass unpacks them at every join.
Edge: TypeAlias = "tuple[Role, PathRef]"


class Node(NamedTuple):
    """What graph node ``number`` holds: ``events`` and ``pred`` (blocks: their one predecessor); ``where``, the
    innermost branch (a ``PathRef``); ``fragment`` and ``fork`` (joins and the end: the node their paths split
    from) and ``incoming`` (joins and the end: their predecessors, in the order the edges were drawn, each with its
    ``Edge``). Made by ``_node``."""

    number: int
    kind: NodeKind
    where: PathRef
    events: tuple[StateChange, ...]
    fragment: Fragment | None
    fork: int
    pred: int
    incoming: dict[int, Edge]


# Named tuples made with ``tuple.__new__`` rather than by calling their class: the builder makes one per node and
# per edge, and a class call runs the named tuple's Python-level ``__new__`` through the slow type-call path.
_new = tuple.__new__


def _node(number: int, kind: NodeKind, where: PathRef, events: tuple[StateChange, ...] = (),
          fragment: Fragment | None = None, fork: int = -1, pred: int = -1) -> Node:
    return _new(Node, (number, kind, where, events, fragment, fork, pred, {}))


class ControlFlowGraph(NamedTuple):
    """``graph``: the networkx DAG over node indices; ``nodes`` what each index holds; ``order`` the nodes in
    ``networkx.topological_sort`` order (every node after all its predecessors)."""

    graph: nx.DiGraph
    nodes: list[Node]
    order: list[Node]
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


START, END = 0, 1  # the graph's first two nodes
# The start node of a flow with no leading state change: shared by every such flow, as nothing links to the start
# (its ``incoming`` stays empty).
_EMPTY_START = _node(START, _START_NODE, None)


class _Builder:
    """Builds the graph and, in the same walk over the events, the ``Survey`` the other rules read: every event of
    every validated diagram passes here, and one walk with one set of type tests costs half of two."""

    __slots__ = ("annotations", "edges", "first", "fragments", "messages", "nodes")

    def __init__(self) -> None:
        self.nodes: list[Node] = [_EMPTY_START, _node(END, _END_NODE, None, fork=START)]
        # In the order they were drawn: networkx keeps each node's successors in insertion order, which fixes
        # the topological order the pass walks (and so which of two findings on one path comes first).
        self.edges: list[tuple[int, int]] = []
        self.messages: list[Message] = []
        self.fragments: list[Fragment] = []
        self.annotations: list[Note | Reference | Divider | Delay] = []
        self.first: dict[str, Event] = {}

    def link(self, source: int, target: int, role: Role, path: PathRef) -> None:
        """An edge into a join or the end (a block's one edge in is its ``pred``, made with the block)."""
        self.edges.append((source, target))  # drawn twice: one edge in the graph, its latest role here
        self.nodes[target].incoming[source] = (role, path)

    def finish(self, last: int) -> tuple[ControlFlowGraph, Survey]:
        """``last``: the main path's last node. The flow's end is a join of its own only where a top-level break
        reaches it too; otherwise it is ``last`` (the end node, always the last in any topological order, would
        hand on ``last``'s state unchanged: leaving it out changes neither the order nor any state)."""
        import networkx as nx  # see rules_graph: loaded by the first validation, not by importing the validator

        nodes, edges = self.nodes, self.edges
        end = last
        if nodes[END].incoming:  # top-level breaks reach the end: it joins them and the main path, drawn last
            self.link(last, END, _NEXT, None)
            end = END
        graph = nx.DiGraph()
        graph.add_edges_from(edges)  # every other node has an edge (blocks and joins one in, the start one out)
        if not edges:
            graph.add_node(START)  # a flow with no fragment and no end node: one block
        # networkx raises NetworkXUnfeasible on a cycle; the builder only ever links forward, so there is none.
        order = [nodes[index] for index in nx.topological_sort(graph)]
        surveyed = _new(Survey, (tuple(self.messages), tuple(self.fragments), tuple(self.annotations), self.first))
        return _new(ControlFlowGraph, (graph, nodes, order, START, end)), surveyed

    def sequence(self, events: tuple[Event, ...], current: int, exits: tuple[int, ...], where: PathRef, *,
                 opens_branch: bool = False, leading: bool = False) -> int:
        """Append ``events`` after ``current``; a taken break jumps to one of ``exits`` (the joins of the enclosing
        fragments, innermost last, after the flow's end). Returns the last node. ``opens_branch``: the events are a
        branch of the fragment that splits at ``current``; the branch's first node, which also holds its leading
        events (one node fewer per branch), is made even when it has none. ``leading``: ``current`` is the start
        node, which holds the state changes before the first fragment (a block of its own there would be the
        start's one successor and reached from nothing else, so every other node keeps its place in the
        topological order, and the networkx graph has one node and edge fewer)."""
        block: list[StateChange] = []
        messages, first = self.messages, self.first
        for event in events:
            # isinstance tests rather than ``match``, in the order of how common each kind is: this loop sees
            # every event. Besides the blocks, it collects the survey (``survey.Survey``), in document order.
            if isinstance(event, Message):
                block.append(event)
                messages.append(event)
                sender, receiver = event.sender, event.receiver
                if sender is not None and sender not in first:
                    first[sender] = event
                if receiver is not None and receiver not in first:
                    first[receiver] = event
            elif isinstance(event, (Activation, Destruction)):
                block.append(event)
                if event.participant not in first:
                    first[event.participant] = event
            elif isinstance(event, (Note, Reference)):  # these change no state
                self.annotations.append(event)
                for participant in event.participants:
                    if participant not in first:
                        first[participant] = event
            elif isinstance(event, Fragment):
                self.fragments.append(event)
                if leading:
                    if block:
                        self.nodes[START] = _node(START, _START_NODE, None, tuple(block))
                    leading = False
                    block = []
                elif block or opens_branch:
                    current = self._block(current, block, where)
                    opens_branch = False
                    block = []
                if event.kind is _GROUP:
                    for branch in event.branches:
                        current = self.sequence(branch.events, current, exits, where)
                else:
                    current = self._fragment(event, current, exits, where)
            elif isinstance(event, (Divider, Delay)):
                self.annotations.append(event)
            elif not isinstance(event, Space):
                assert_never(event)
        if leading:
            if block:
                self.nodes[START] = _node(START, _START_NODE, None, tuple(block))
            return current
        return self._block(current, block, where) if block or opens_branch else current

    def _block(self, current: int, block: list[StateChange], where: PathRef) -> int:
        nodes = self.nodes
        node = len(nodes)
        nodes.append(_new(Node, (node, _BLOCK, where, tuple(block), None, -1, current, {})))  # (``_node``, inline)
        self.edges.append((current, node))
        return node

    def _fragment(self, fragment: Fragment, current: int, exits: tuple[int, ...], where: PathRef) -> int:
        fork = current  # the node before the fragment is where its paths split
        if fragment.kind is _BREAK_FRAGMENT:
            # Taken: the body runs, then leaves the fragment around it (its own breaks go where it goes).
            # Not taken: control simply continues from the fork, so a break needs no join of its own.
            exit_to = exits[-fragment.leaves] if 0 < fragment.leaves < len(exits) else exits[0]
            for index, branch in enumerate(fragment.branches):
                ref = (fragment, index)
                last = self.sequence(branch.events, fork, exits, ref, opens_branch=True)
                self.link(last, exit_to, _BREAK, ref)
            return fork
        join = len(self.nodes)
        self.nodes.append(_node(join, _JOIN, where, fragment=fragment, fork=fork))
        # An opt or loop split by `else` (SEQ130) is read as the alternatives its author drew, so that one
        # misplaced keyword is one finding, not also a request "unanswered when the opt is skipped".
        optional = fragment.kind in _OPTIONAL and len(fragment.branches) == 1
        if optional or not fragment.branches:
            self.link(fork, join, _SKIP, (fragment, SKIPPED))
        role = _BODY if optional else _BRANCH
        inner_exits = (*exits, join)
        for index, branch in enumerate(fragment.branches):
            ref = (fragment, index)
            last = self.sequence(branch.events, fork, inner_exits, ref, opens_branch=True)
            self.link(last, join, role, ref)
        return join



def build_cfg(events: tuple[Event, ...]) -> tuple[ControlFlowGraph, Survey]:
    """The flow's control-flow graph, and the survey of its events made in the same walk."""
    builder = _Builder()
    return builder.finish(builder.sequence(events, START, (END,), None, leading=True))
