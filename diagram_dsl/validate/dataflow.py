"""The dataflow pass over the control-flow graph: one visit per node in topological order, linear in events.

Each node's state is the stack of open requests, the activations and lifeline
existence after it. Paths are never enumerated: where paths join, their states
are merged, so every event is checked once and every cause reported once.

- Equal states merge trivially (a balanced branch hands back the same objects).
- Otherwise the join keeps the requests open on every incoming path; a request
  open only on some paths becomes *pending*, remembering those paths' labels.
  If a later reply answers a pending request, the branches were inconsistent:
  SEQ112 at that reply, naming the paths. If none does, the request has no
  response on those paths: SEQ110 at the request, naming them ("in alt branch
  'card declined'", "when opt 'x' is skipped", "after break 'z'").
- Loops and par branches: the state at a loop body's exit must equal its
  entry (so zero, one or many iterations agree), and each par branch must be
  balanced on its own. A request opened inside and left open becomes pending
  (SEQ110 "in loop 'x'" if never answered, SEQ112 where it is answered after
  the fragment); a request opened before and answered inside is SEQ112 at the
  fragment (a second iteration, or a sibling branch, would answer it again).
  Activations follow the same rule with SEQ120.
- At the end, requests still open on every path are SEQ110 without a path;
  activations still open are SEQ120 unless their request was already reported;
  SEQ150 call-backs are reported only where the waiting request is answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from diagram_dsl.model import Diagram, Fragment, FragmentKind, Message, MessageKind
from diagram_dsl.validate.cfg import ControlFlowGraph, NodeKind, PathRef, Role, fragment_name, path_label
from diagram_dsl.validate.findings import Finding
from diagram_dsl.validate.pairing import Pairing, PendingActivation, PendingRequest, add_label, joined
from diagram_dsl.validate.state import (
    EMPTY_STATE,
    ActivationStack,
    Origin,
    RequestStack,
    State,
    activation_stack,
    origins_top_down,
    request_stack,
    requests_top_down,
    same_activations,
    same_requests,
)

Label = PathRef | str  # a path, worded only if a finding needs it
Inputs = list[tuple[State, Label]]


def _worded(label: Label) -> str:
    return label if isinstance(label, str) else path_label(label)


def check_pairing(diagram: Diagram, messages: tuple[Message, ...], cfg: ControlFlowGraph, *, implicit: bool
                  ) -> list[Finding]:
    """``messages``: the diagram's messages in document order (``Diagram.messages()``)."""
    pairing = Pairing(diagram, messages, implicit=implicit)
    graph = cfg.graph
    nodes = graph.nodes
    states: dict[int, State] = {}
    for node in nx.topological_sort(graph):
        data = nodes[node]
        kind = data["kind"]
        if kind is NodeKind.BLOCK:
            events, before = data["events"], states[data["pred"]]
            states[node] = pairing.run_block(before, events, data["where"]) if events else before
        elif kind is NodeKind.START:
            states[node] = EMPTY_STATE
        else:
            states[node] = _join_node(pairing, graph, node, states)
    _finish(pairing, states[cfg.end])
    return pairing.findings


def _join_node(pairing: Pairing, graph: Any, node: int, states: dict[int, State]) -> State:
    data = graph.nodes[node]
    fragment: Fragment | None = data["fragment"]
    entry = states[data["fork"]]
    incoming = [(states[pred], edge) for pred, edge in graph.pred[node].items()]  # never empty: see cfg
    if fragment is None:  # the flow's end: the main path plus top-level breaks
        has_breaks = any(edge["role"] is Role.BREAK for _, edge in incoming)
        inputs: Inputs = [(state, edge["path"] if edge["role"] is Role.BREAK else
                           ("when no break is taken" if has_breaks else "")) for state, edge in incoming]
        return _merge(pairing, inputs, [state for state, _ in incoming], union_destroyed=False)
    everything = [state for state, _ in incoming]
    if fragment.kind in (FragmentKind.LOOP, FragmentKind.PAR):
        checked = Role.BODY if fragment.kind is FragmentKind.LOOP else Role.BRANCH
        for state, edge in incoming:
            if edge["role"] is checked:
                _check_balanced(pairing, entry, state, fragment, edge["path"])
        inputs = [(state, edge["path"]) for state, edge in incoming if edge["role"] is not checked]
        if fragment.kind is FragmentKind.PAR:
            inputs.insert(0, (entry, f"when {fragment_name(fragment)} completes"))
        return _merge(pairing, inputs, everything, union_destroyed=fragment.kind is FragmentKind.PAR)
    inputs = [(state, edge["path"]) for state, edge in incoming]
    return _merge(pairing, inputs, everything, union_destroyed=False)


def _merge(pairing: Pairing, inputs: Inputs, everything: list[State], *, union_destroyed: bool) -> State:
    first = inputs[0][0]
    requests = first.requests
    if any(not same_requests(state.requests, requests) for state, _ in inputs[1:]):
        requests = _merge_requests(pairing, inputs)
    activations = first.activations
    if any(not same_activations(state.activations, activations) for state, _ in inputs[1:]):
        activations = _merge_activations(pairing, inputs)
    created, destroyed = first.created, first.destroyed
    for state in everything:
        if state.created is not created:
            created = created | state.created
        if state.destroyed is not destroyed:
            destroyed = destroyed | state.destroyed if union_destroyed else destroyed & state.destroyed
    return State(requests, activations, created, destroyed)


def _merge_requests(pairing: Pairing, inputs: Inputs) -> RequestStack:
    open_sets = [{id(request) for request in requests_top_down(state.requests)} for state, _ in inputs]
    common = set.intersection(*open_sets)
    for (state, label), _ in zip(inputs, open_sets, strict=True):
        for request in requests_top_down(state.requests):
            key = id(request)
            if key not in common and key not in pairing.settled:
                add_label(pairing.pending.setdefault(key, PendingRequest(request)).labels, _worded(label))
    kept = [request for request in requests_top_down(inputs[0][0].requests) if id(request) in common]
    return request_stack(kept[::-1])


def _merge_activations(pairing: Pairing, inputs: Inputs) -> Mapping[str, ActivationStack]:
    participants = sorted({participant for state, _ in inputs for participant in state.activations})
    merged: dict[str, ActivationStack] = {}
    for participant in participants:
        stacks = [state.activations.get(participant) for state, _ in inputs]
        open_sets = [{id(origin) for origin in origins_top_down(stack)} for stack in stacks]
        common = set.intersection(*open_sets)
        for stack, (_, label) in zip(stacks, inputs, strict=True):
            for origin in origins_top_down(stack):
                if id(origin) not in common:
                    pending = pairing.pending_activations.setdefault(id(origin), PendingActivation(participant, origin))
                    add_label(pending.labels, _worded(label))
        kept = [origin for origin in origins_top_down(stacks[0]) if id(origin) in common]
        if kept:
            merged[participant] = activation_stack(kept[::-1])
    return merged


def _check_balanced(pairing: Pairing, entry: State, exit_state: State, fragment: Fragment, path: PathRef) -> None:
    """A loop body or a par branch must end with the requests and activations it started with.

    What it opens and leaves open becomes pending (SEQ110 at the end, or SEQ112 if answered later); what it
    answers or ends although opened before it is reported at once.
    """
    loop = fragment.kind is FragmentKind.LOOP
    if same_requests(entry.requests, exit_state.requests) and same_activations(entry.activations,
                                                                                exit_state.activations):
        return
    label = path_label(path)
    if not same_requests(entry.requests, exit_state.requests):
        before = {id(request) for request in requests_top_down(entry.requests)}
        after = {id(request) for request in requests_top_down(exit_state.requests)}
        for request in requests_top_down(exit_state.requests):
            if id(request) not in before and id(request) not in pairing.settled:
                add_label(pairing.pending.setdefault(id(request), PendingRequest(request)).labels, label)
        for request in reversed(list(requests_top_down(entry.requests))):
            if id(request) not in after and id(request) not in pairing.settled:
                pairing.settled[id(request)] = request
                again = "a second iteration would answer it again" if loop else "a par branch answers only its own " \
                    "requests"
                pairing.report("SEQ112", fragment.location,
                               f"{pairing.describe_at(request)}, opened before the {fragment.kind.value}, is "
                               f"answered inside it ({again})", label)
    if not same_activations(entry.activations, exit_state.activations):
        _check_balanced_activations(pairing, entry, exit_state, fragment, label)


def _check_balanced_activations(pairing: Pairing, entry: State, exit_state: State, fragment: Fragment,
                                label: str) -> None:
    for participant in sorted(set(entry.activations) | set(exit_state.activations)):
        before = list(origins_top_down(entry.activations.get(participant)))
        after = list(origins_top_down(exit_state.activations.get(participant)))
        before_ids, after_ids = {id(origin) for origin in before}, {id(origin) for origin in after}
        for origin in after:
            if id(origin) not in before_ids:
                pending = pairing.pending_activations.setdefault(id(origin), PendingActivation(participant, origin))
                add_label(pending.labels, label)
        for origin in before:
            if id(origin) in after_ids or pairing.origin_settled(origin):
                continue
            pairing.settled_participants.add(participant)
            pairing.settled_origins.add(id(origin))
            pairing.report("SEQ120", fragment.location,
                           f"activation of {pairing.name(participant)} (line {origin.location.line}), started "
                           f"before the {fragment.kind.value}, is ended inside it", label)


def _finish(pairing: Pairing, end: State) -> None:
    unanswered: set[int] = set()
    for request in reversed(list(requests_top_down(end.requests))):
        if id(request) not in pairing.settled:
            unanswered.add(id(request))
            pairing.report("SEQ110", request.location, f"{pairing.describe(request)} has no response")
    for request, _, _ in sorted(pairing.abandoned.values(), key=lambda item: (item[0].location, item[0].id)):
        unanswered.add(id(request))
        pairing.report("SEQ110", request.location, f"{pairing.describe(request)} has no response")
    pending_requests = sorted(pairing.pending.values(), key=lambda p: (p.request.location, p.request.id))
    for pending in pending_requests:
        if id(pending.request) in pairing.settled:
            continue
        unanswered.add(id(pending.request))
        pairing.report("SEQ110", pending.request.location, f"{pairing.describe(pending.request)} has no response",
                       joined(pending.labels))

    pairing.report_call_cycles(unanswered)

    def reportable(origin: Origin) -> bool:
        return id(origin) not in unanswered and not pairing.origin_settled(origin)

    for participant, origin in pairing.open_origins(end):
        if reportable(origin):
            pairing.report("SEQ120", origin.location,
                           f"activation of {pairing.name(participant)} {_started_by(pairing, origin)} is never ended")
    for pending_activation in pairing.pending_activations.values():
        if reportable(pending_activation.origin):
            pairing.report("SEQ120", pending_activation.origin.location,
                           f"activation of {pairing.name(pending_activation.participant)} "
                           f"{_started_by(pairing, pending_activation.origin)} is never ended",
                           joined(pending_activation.labels))


def _started_by(pairing: Pairing, origin: Origin) -> str:
    if isinstance(origin, Message):
        what = "request" if origin.kind is MessageKind.REQUEST else "message"
        return f'started by {what} "{" ".join(origin.label.split())}"'
    return "started here"
