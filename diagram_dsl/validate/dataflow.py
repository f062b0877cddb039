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
- Loops: the state at a loop body's exit must equal its entry (so zero, one
  or many iterations agree). A request opened inside and left open becomes
  pending (SEQ110 "in loop 'x'" if never answered, SEQ112 where it is answered
  after the loop); a request opened before and answered inside is SEQ112 at
  that reply (a second iteration would answer it again). Activations follow
  the same rule with SEQ120 at the deactivation. A participant destroyed in the
  body and used in it is used after its destruction by the next iteration
  (SEQ140 at that use).
- Par: every branch runs, in any interleaving. What one branch answers or ends
  is done after the par; what a branch leaves open is open after it. The same
  request answered by two branches is SEQ111 at the second reply.
- Breaks: a taken break ends the activations begun inside the fragment it
  leaves (control does not come back to end them).
- Lifelines: created on some paths only, or destroyed on some paths only, and
  used after the join: SEQ141 (a warning), once per participant.
- At the end, requests still open on every path are SEQ110 without a path;
  activations still open are SEQ120 unless their request was already reported;
  SEQ150 call-backs are reported only where the waiting request is answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from diagram_dsl.model import (
    Activation,
    Diagram,
    Event,
    Fragment,
    FragmentKind,
    Location,
    Message,
    MessageKind,
    walk_events,
)
from diagram_dsl.validate.cfg import ControlFlowGraph, Node, NodeKind, PathRef, Role, fragment_name, path_label
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
from diagram_dsl.validate.survey import participant_references

Label = PathRef | str  # a path, worded only if a finding needs it

# Bound once: on Python 3.11 reading a member from its enum class runs EnumType's ``__getattr__`` hook, and the pass
# reads these per node and per edge.
_START, _BLOCK = NodeKind.START, NodeKind.BLOCK
_BRANCH, _BODY, _BREAK = Role.BRANCH, Role.BODY, Role.BREAK
_PAR, _LOOP = FragmentKind.PAR, FragmentKind.LOOP
Inputs = list[tuple[State, Label]]
Incoming = list[tuple[State, Role, PathRef]]  # what each edge into a join hands over, with its role and path


def _worded(label: Label) -> str:
    return label if isinstance(label, str) else path_label(label)


def check_pairing(diagram: Diagram, messages: tuple[Message, ...], cfg: ControlFlowGraph, *, implicit: bool,
                  processes: frozenset[Location] = frozenset()) -> list[Finding]:
    """``messages``: the diagram's messages in document order (``Diagram.messages()``)."""
    pairing = Pairing(diagram, messages, implicit=implicit, processes=processes)
    states: list[State] = [EMPTY_STATE] * len(cfg.nodes)
    for node in cfg.order:
        # Unpacked at once: a node is a named tuple, and on Python 3.11 each of its fields read by name is a
        # generic attribute lookup; this loop runs once per node.
        number, kind, where, events, _, _, pred, _ = node
        if kind is _BLOCK:
            before = states[pred]
            states[number] = pairing.run_block(before, events, where) if events else before
        elif kind is _START:  # the flow's leading events (``build_cfg``)
            if events:
                states[number] = pairing.run_block(EMPTY_STATE, events, where)
        else:
            states[number] = _join_node(pairing, node, states)
    _finish(pairing, states[cfg.end])
    return pairing.findings


def _join_node(pairing: Pairing, node: Node, states: list[State]) -> State:
    fragment = node.fragment
    if fragment is None and len(node.incoming) == 1:  # the flow's end, reached only by its main path
        return states[next(iter(node.incoming))]
    # The flow's end splits from the flow's beginning (a taken top-level break ends every activation begun since),
    # not from the start node's state after its leading events.
    entry = states[node.fork] if fragment is not None else EMPTY_STATE
    incoming: Incoming = [(_after_break(states[pred], entry) if role is _BREAK else states[pred], role, path)
                          for pred, (role, path) in node.incoming.items()]
    first = incoming[0][0]
    for state, _, _ in incoming:
        if state is not first:
            break
    else:  # Every path hands over the very same state (most joins): nothing to merge, no loop body to check.
        if fragment is None or fragment.kind is not _PAR or first is entry:  # (a par's branches must change nothing)
            return first
    if fragment is None:  # the flow's end: the main path plus top-level breaks
        has_breaks = any(role is _BREAK for _, role, _ in incoming)
        inputs: Inputs = [(state, path if role is _BREAK else ("when no break is taken" if has_breaks else ""))
                          for state, role, path in incoming]
        return _merge(pairing, inputs, [state for state, _, _ in incoming])
    if fragment.kind is _PAR:
        return _par_join(pairing, entry, fragment, incoming)
    everything = [state for state, _, _ in incoming]
    if fragment.kind is _LOOP:
        for state, role, path in incoming:
            if role is _BODY and state is not entry:  # a body that changed nothing is balanced
                _check_balanced(pairing, entry, state, fragment, path)
                _check_loop_lifelines(pairing, entry, state, fragment)
        inputs = [(state, path) for state, role, path in incoming if role is not _BODY]
        return _merge(pairing, inputs, everything)
    inputs = [(state, path) for state, _, path in incoming]
    return _merge(pairing, inputs, everything)


def _after_break(state: State, entry: State) -> State:
    """A taken break leaves its fragment: the activations begun inside that fragment end with it."""
    if same_activations(state.activations, entry.activations):
        return state
    kept: dict[str, ActivationStack] = {}
    for participant, stack in state.activations.items():
        before = {id(origin) for origin in origins_top_down(entry.activations.get(participant))}
        origins = [origin for origin in origins_top_down(stack) if id(origin) in before]
        if origins:
            kept[participant] = activation_stack(origins[::-1])
    return state.with_activations(kept)


def _merge(pairing: Pairing, inputs: Inputs, everything: list[State]) -> State:
    """``everything``: every state reaching the join (lifelines merge over all of them), ``inputs`` those whose
    requests and activations merge, with their labels."""
    if len(everything) == 1:  # one path in (most joins are the flow's end): nothing to merge
        return everything[0]
    # Every path hands over the very same state (branches that opened nothing, or nothing they kept): nothing to
    # merge either. Most joins of most diagrams; the tests below would build an equal state field by field.
    first = everything[0]
    for state in everything:
        if state is not first:
            break
    else:
        return first
    first = inputs[0][0]
    requests = first.requests
    if any(not same_requests(state.requests, requests) for state, _ in inputs[1:]):
        requests = _merge_requests(pairing, inputs)
    activations = first.activations
    if any(not same_activations(state.activations, activations) for state, _ in inputs[1:]):
        activations = _merge_activations(pairing, inputs)
    created, destroyed = first.created, first.destroyed
    created_all, destroyed_some = first.created_all, first.destroyed_some
    for state in everything:
        if state.created is not created:
            created = created | state.created
        if state.created_all is not created_all:
            created_all = created_all & state.created_all
        if state.destroyed is not destroyed:
            destroyed = destroyed & state.destroyed
        if state.destroyed_some is not destroyed_some:
            destroyed_some = destroyed_some | state.destroyed_some
    return State(requests, activations, created, destroyed, created_all, destroyed_some)


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


# -- par: every branch runs ---------------------------------------------------------------------------------
def _par_join(pairing: Pairing, entry: State, fragment: Fragment, incoming: Incoming) -> State:
    """All branches of a par run, in any interleaving: what one branch answers (or ends) is answered after the
    par, what a branch leaves open is open after it. Answering the same request in two branches is a double
    reply (SEQ111 at the second); ending the same activation twice is SEQ120 at the second."""
    branches = [(state, path) for state, role, path in incoming if role is _BRANCH]
    breaks: Inputs = [(state, path) for state, role, path in incoming if role is not _BRANCH]
    if not branches:
        return _merge(pairing, [(entry, ""), *breaks], [entry, *(state for state, _ in breaks)])
    requests = entry.requests
    if any(not same_requests(state.requests, requests) for state, _ in branches):
        requests = _par_requests(pairing, entry, branches, fragment)
    activations = entry.activations
    if any(not same_activations(state.activations, activations) for state, _ in branches):
        activations = _par_activations(pairing, entry, branches, fragment)
    completed = entry.with_requests(requests).with_activations(activations)
    for state, _ in branches:  # all branches run: what any of them creates or destroys is so after the par
        if state.created is not completed.created or state.destroyed_some is not completed.destroyed_some \
                or state.destroyed is not completed.destroyed or state.created_all is not completed.created_all:
            completed = State(requests, activations, completed.created | state.created,
                              completed.destroyed | state.destroyed, completed.created_all | state.created_all,
                              completed.destroyed_some | state.destroyed_some)
    if not breaks:
        return completed
    inputs: Inputs = [(completed, f"when {fragment_name(fragment)} completes"), *breaks]
    return _merge(pairing, inputs, [state for state, _ in inputs])


def _par_requests(pairing: Pairing, entry: State, branches: list[tuple[State, PathRef]], fragment: Fragment
                  ) -> RequestStack:
    before = list(requests_top_down(entry.requests))[::-1]  # bottom first
    before_ids = {id(request) for request in before}
    answered: dict[int, PathRef] = {}
    opened: list[Message] = []
    for state, path in branches:
        if same_requests(state.requests, entry.requests):
            continue
        after = list(requests_top_down(state.requests))
        after_ids = {id(request) for request in after}
        opened += [request for request in after[::-1] if id(request) not in before_ids]
        for request in before:
            if id(request) in after_ids:
                continue
            if id(request) in answered and id(request) not in pairing.settled:
                pairing.settled[id(request)] = request
                reply = _inside(pairing.replies_to.get(id(request), []), fragment, path)
                where = reply.location if reply is not None else fragment.location
                pairing.report("SEQ111", where,
                               f"{pairing.describe_at(request)} is answered in two branches of "
                               f"{fragment_name(fragment)}, and both run", path_label(path))
            answered.setdefault(id(request), path)
    return request_stack([request for request in before if id(request) not in answered] + opened)


def _par_activations(pairing: Pairing, entry: State, branches: list[tuple[State, PathRef]], fragment: Fragment
                     ) -> Mapping[str, ActivationStack]:
    merged: dict[str, ActivationStack] = {}
    participants = sorted({p for state, _ in branches for p in state.activations} | set(entry.activations))
    for participant in participants:
        before = list(origins_top_down(entry.activations.get(participant)))[::-1]
        before_ids = {id(origin) for origin in before}
        ended: set[int] = set()
        started: list[Origin] = []
        for state, path in branches:
            after = list(origins_top_down(state.activations.get(participant)))
            after_ids = {id(origin) for origin in after}
            started += [origin for origin in after[::-1] if id(origin) not in before_ids]
            for origin in before:
                if id(origin) in after_ids:
                    continue
                if id(origin) in ended and not pairing.origin_settled(origin):
                    pairing.settled_origins.add(id(origin))
                    end = _inside(pairing.ended_by.get(id(origin), []), fragment, path)
                    pairing.report("SEQ120", end.location if end is not None else fragment.location,
                                   f"activation of {pairing.name(participant)} (line {origin.location.line}) is "
                                   f"ended in two branches of {fragment_name(fragment)}, and both run",
                                   path_label(path))
                ended.add(id(origin))
        kept = [origin for origin in before if id(origin) not in ended] + started
        if kept:
            merged[participant] = activation_stack(kept)
    return merged


# -- loops: the body must leave things as it found them --------------------------------------------------------
def _check_balanced(pairing: Pairing, entry: State, exit_state: State, fragment: Fragment, path: PathRef) -> None:
    """A loop body must end with the requests and activations it started with.

    What it opens and leaves open becomes pending (SEQ110 at the end, or SEQ112 if answered later); what it
    answers or ends although opened before it is reported at the reply (or deactivation) inside the loop.
    """
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
                reply = _inside(pairing.replies_to.get(id(request), []), fragment, path)
                pairing.report("SEQ112", reply.location if reply is not None else fragment.location,
                               f"{pairing.describe_at(request)}, opened before the {fragment.kind.value}, is "
                               "answered inside it (a second iteration would answer it again)", label)
    if not same_activations(entry.activations, exit_state.activations):
        _check_balanced_activations(pairing, entry, exit_state, fragment, path)


def _check_balanced_activations(pairing: Pairing, entry: State, exit_state: State, fragment: Fragment,
                                path: PathRef) -> None:
    label = path_label(path)
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
            end = _inside(pairing.ended_by.get(id(origin), []), fragment, path)
            pairing.report("SEQ120", end.location if end is not None else fragment.location,
                           f"activation of {pairing.name(participant)} (line {origin.location.line}), started "
                           f"before the {fragment.kind.value}, is ended inside it (a second iteration would end "
                           "it again)", label)


def _check_loop_lifelines(pairing: Pairing, entry: State, exit_state: State, fragment: Fragment) -> None:
    """Destroyed in the body and used in the body: the next iteration uses a participant that no longer exists."""
    for participant in sorted(exit_state.destroyed - entry.destroyed):
        use = _first_reference(fragment, participant)
        if use is None or (isinstance(use, Message) and use.kind is MessageKind.CREATE
                           and use.receiver == participant):
            continue
        pairing.report_use_after_destroy(participant, use.location,
                                         f"in the next iteration of {fragment_name(fragment)}")


def _first_reference(fragment: Fragment, participant: str) -> Event | None:
    for event in walk_events((fragment,))[1:]:
        if participant in participant_references(event):
            return event
    return None


def _inside(candidates: list[Any], fragment: Fragment, path: PathRef) -> Any:
    """The last of ``candidates`` (replies, deactivations) that lies in ``path``'s branch of ``fragment``."""
    if not candidates:
        return None
    index = path[1] if path is not None and path[0] is fragment else None
    branches = fragment.branches if index is None or index < 0 else (fragment.branches[index],)
    inside = {id(event) for branch in branches for event in walk_events(branch.events)}
    return next((event for event in reversed(candidates) if id(event) in inside), None)


def _finish(pairing: Pairing, end: State) -> None:
    # Each part is skipped when what it reads is empty, as it is at the end of most flows.
    unanswered: set[int] = set()
    if end.requests is not None:
        for request in reversed(list(requests_top_down(end.requests))):
            if id(request) not in pairing.settled:
                unanswered.add(id(request))
                pairing.report("SEQ110", request.location, f"{pairing.describe(request)} has no response")
    if pairing.abandoned:
        for request, _, _ in sorted(pairing.abandoned.values(), key=lambda item: (item[0].location, item[0].id)):
            if id(request) in unanswered:
                continue
            unanswered.add(id(request))
            pairing.report("SEQ110", request.location, f"{pairing.describe(request)} has no response")
    if pairing.pending:
        for pending in sorted(pairing.pending.values(), key=lambda p: (p.request.location, p.request.id)):
            if id(pending.request) in pairing.settled or id(pending.request) in unanswered:
                continue  # one request, one finding (it may be left open on one path and unwound on another)
            unanswered.add(id(pending.request))
            pairing.report("SEQ110", pending.request.location,
                           f"{pairing.describe(pending.request)} has no response", joined(pending.labels))

    pairing.report_call_cycles(unanswered)
    if not end.activations and not pairing.pending_activations and not pairing.stray_deactivations:
        return

    def reportable(origin: Origin) -> bool:
        request = pairing.started_by.get(id(origin))
        if request is not None and id(request) in unanswered:
            return False  # the bar of a call that has no reply: that is SEQ110's finding
        return id(origin) not in unanswered and not pairing.origin_settled(origin)

    never_ended = [(participant, origin) for participant, origin in pairing.open_origins(end) if reportable(origin)]
    meant = _report_stray_deactivations(pairing, {id(origin) for _, origin in never_ended})
    for participant, origin in never_ended:
        if id(origin) not in meant:
            pairing.report("SEQ120", origin.location,
                           f"activation of {pairing.name(participant)} {_started_by(pairing, origin)} is never ended")
    for pending_activation in pairing.pending_activations.values():
        if reportable(pending_activation.origin):
            pairing.report("SEQ120", pending_activation.origin.location,
                           f"activation of {pairing.name(pending_activation.participant)} "
                           f"{_started_by(pairing, pending_activation.origin)} is never ended",
                           joined(pending_activation.labels))


def _report_stray_deactivations(pairing: Pairing, never_ended: set[int]) -> set[int]:
    """SEQ120 at each deactivation that ends nothing. One made while another activation is open that is then never
    ended was meant for that one (`deactivate Client` typed for `Consumer`): one finding, at the deactivation,
    naming it. Returns the id() of the activations so accounted for."""
    meant: set[int] = set()
    for stray in pairing.stray_deactivations:
        candidates = [(participant, origin) for participant, origin in stray.open_tops
                      if id(origin) in never_ended and id(origin) not in meant and participant != stray.participant]
        text = f"deactivation of {pairing.name(stray.participant)} without an activation"
        if candidates:
            participant, origin = max(candidates, key=lambda candidate: candidate[1].location)  # the latest started
            meant.add(id(origin))
            started = "" if isinstance(origin, Activation) else f" {_started_by(pairing, origin)}"
            text += f"; was it meant for {pairing.name(participant)}, whose activation{started} at line " \
                    f"{origin.location.line} is never ended?"
        pairing.report("SEQ120", stray.location, text, stray.path)
    return meant


def _started_by(pairing: Pairing, origin: Origin) -> str:
    if isinstance(origin, Message):
        what = "request" if origin.kind is MessageKind.REQUEST else "message"
        return f'started by {what} "{" ".join(origin.label.split())}"'
    return "started here"
