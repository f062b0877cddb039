"""Request/response pairing and activations: the transfer function of the dataflow pass, event by event.

Semantics (the README copies this):

- A REQUEST opens a pending request (caller -> callee). A REPLY answers the
  innermost open request: its sender must be that request's callee and its
  receiver the caller (else SEQ111); if ``reply_to`` is set it names the
  request it answers. A reply that matches nothing open is SEQ111 (SEQ113 when
  its receiver never calls its sender at all: an arrow drawn backwards).
- Answering an outer request while inner ones are open unwinds the stack: the
  inner requests are abandoned. One answered later is out of nesting order
  (SEQ111 at that reply, naming both requests); one never answered is only
  SEQ110 — a forgotten inner reply is one finding, not two.
- ASYNC, SELF, CREATE, DESTROY, LOST and FOUND never open or close requests.
- A message's ``activate`` flag activates its receiver; ``deactivate`` ends the
  sender's innermost activation; Activation events do the same explicitly.
- A participant holds control (SEQ121) if it is the flow's initiator (first
  sender), an actor, the callee of an open request, explicitly active, or has
  already received an asynchronous, found or create message.
- Causes are reported once: a reply that fails to match does not also end an
  activation; an activation opened by a request that never gets its reply is
  not reported again as SEQ120; SEQ121 and SEQ140 fire once per participant
  and SEQ150 once per pair.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from diagram_dsl.model import (
    Activation,
    Diagram,
    Event,
    Fragment,
    FragmentKind,
    Location,
    Message,
    MessageKind,
    ParticipantKind,
)
from diagram_dsl.validate.cfg import PathRef, StateChange, path_label
from diagram_dsl.validate.findings import Finding, make_finding
from diagram_dsl.validate.state import (
    ActivationStack,
    Origin,
    RequestStack,
    State,
    activation_stack,
    origins_top_down,
)

# Bound once: on Python 3.11 every ``MessageKind.X`` is a slow class-attribute lookup, and the transfer functions
# below run once per event.
_REQUEST, _REPLY, _CREATE, _DESTROY = MessageKind.REQUEST, MessageKind.REPLY, MessageKind.CREATE, MessageKind.DESTROY
_ACTOR = ParticipantKind.ACTOR
# The messages that give their receiver control (SEQ121); with implicit replies, a request does too. Tuples: on
# Python 3.11 an enum member hashes slowly.
_WAKING = (MessageKind.ASYNC, MessageKind.FOUND, _CREATE)
_WAKING_IMPLICITLY = (*_WAKING, _REQUEST)
T = TypeVar("T")


def one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass
class PendingRequest:
    """A request open on some paths of a join but answered (or never opened) on others."""

    request: Message
    labels: list[str] = field(default_factory=list)


@dataclass
class PendingActivation:
    participant: str
    origin: Origin
    labels: list[str] = field(default_factory=list)


def add_label(labels: list[str], label: str) -> None:
    if label not in labels:
        labels.append(label)


def joined(labels: list[str]) -> str:
    return " and ".join(label for label in labels if label)


def _par_branches_of(events: tuple[Event, ...], around: tuple[tuple[int, int], ...] = ()
                     ) -> dict[int, tuple[tuple[int, int], ...]]:
    """For each message inside a ``par``: the (id of the par, branch index) pairs it sits in, outermost first."""
    found: dict[int, tuple[tuple[int, int], ...]] = {}
    for event in events:
        if isinstance(event, Message):
            if around:
                found[event.id] = around
        elif isinstance(event, Fragment):
            for index, branch in enumerate(event.branches):
                inner = (*around, (id(event), index)) if event.kind is FragmentKind.PAR else around
                found.update(_par_branches_of(branch.events, inner))
    return found


class _made_on_first_use(Generic[T]):  # lower case: named as the decorator it is used as
    """``functools.cached_property`` without its lock (a ``Pairing`` lives in one thread): on Python 3.11 taking
    the lock costs more than making the small tables it guards, once per validated diagram."""

    def __init__(self, make: Callable[[Pairing], T]) -> None:
        self._make = make
        self._name = make.__name__

    def __get__(self, pairing: Pairing, owner: type[Pairing] | None = None) -> T:
        value = self._make(pairing)
        pairing.__dict__[self._name] = value  # a non-data descriptor: the instance's own value is read from now on
        return value


@dataclass(frozen=True)
class StrayDeactivation:
    """A deactivation of a participant that holds no activation there, with the activations open at that point
    (participant, origin at the top of its stack): the ones it may have been meant to end."""

    participant: str
    location: Location
    path: str
    open_tops: tuple[tuple[str, Origin], ...]


class Pairing:
    """Holds what the pass learns across nodes: findings, requests pending after a divergent join, and causes
    already reported (``settled``) so that nothing is reported twice."""

    def __init__(self, diagram: Diagram, messages: tuple[Message, ...], *, implicit: bool,
                 processes: frozenset[Location] = frozenset()) -> None:
        self.findings: list[Finding] = []
        self.implicit = implicit
        self._processes = processes  # `activate` events that mark a running process, not a call
        self._where: PathRef = None  # the branch of the block being run
        self._participants = diagram.participants
        initiator = None  # the first sender (a loop: a generator left unfinished costs more to close than this)
        for m in messages:
            if m.sender is not None:
                initiator = m.sender
                break
        # Who holds control from the start, whatever the state: the flow's initiator and every actor.
        self._in_control = {p.id for p in diagram.participants if p.kind is _ACTOR}
        if initiator is not None:
            self._in_control.add(initiator)
        self._messages = messages
        # Participants that some message creates: every message's lifeline check reads this. (The other tables
        # over all messages, below, are read only by a few requests and replies, and made on first use.)
        self._creatable = {m.receiver for m in messages if m.kind is _CREATE and m.receiver}
        self._destroyed_at: dict[str, Location] = {}
        self._created_at: dict[str, Location] = {}
        self.pending: dict[int, PendingRequest] = {}  # keyed by id() of the request
        self.pending_activations: dict[int, PendingActivation] = {}  # keyed by id() of the origin
        self.settled: dict[int, Message] = {}  # requests whose problem is already reported
        self.to_absent: list[Message] = []  # requests to or from a lifeline not there (SEQ140): never opened
        self.settled_origins: set[int] = set()
        self.settled_participants: set[str] = set()
        # requests left open when an outer one was answered: (request, outer request, where the outer was answered)
        self.abandoned: dict[int, tuple[Message, Message, Location]] = {}
        self._answered: dict[int, Location] = {}  # request id -> the reply that answered it
        # What answered or ended something, so that a fragment's imbalance is reported where it happens:
        # id() of a request -> the replies that answered it; id() of an activation's origin -> what ended it.
        self.replies_to: dict[int, list[Message]] = {}
        self.ended_by: dict[int, list[Message | Activation]] = {}
        self.started_by: dict[int, Message] = {}  # id() of an explicit activation -> the request just before it
        self._once: set[tuple[str, str]] = set()
        self._call_backs: list[tuple[Message, Message]] = []  # (request, the open request its callee waits on)
        # Deactivations of a participant holding no activation, reported at the end (dataflow.report_stray_
        # deactivations): one that ends nothing while another activation it could have meant stays open forever
        # is one mistake (`deactivate Client` typed for `Consumer`), so it is reported once, naming that one.
        self.stray_deactivations: list[StrayDeactivation] = []
        self._events = diagram.events
        # message id -> the (id of a par, branch index) pairs around it; found only when a reply unwinds calls
        self._par_branches: dict[int, tuple[tuple[int, int], ...]] | None = None

    @_made_on_first_use
    def _woken_at(self) -> dict[str, int]:
        """Participant -> id of the first message that wakes it (SEQ121)."""
        waking = _WAKING_IMPLICITLY if self.implicit else _WAKING
        # Walked backwards so that the first message to wake a participant is the one whose id stays.
        return {m.receiver: m.id for m in reversed(self._messages) if m.receiver is not None and m.kind in waking}

    @_made_on_first_use
    def _requests(self) -> dict[int, Message]:
        """Every request by id (a reply's ``reply_to``)."""
        return {m.id: m for m in self._messages if m.kind is _REQUEST}

    @_made_on_first_use
    def _call_pairs(self) -> set[tuple[str | None, str | None]]:
        """(caller, callee) of every request (SEQ113: a reply drawn backwards)."""
        return {(m.sender, m.receiver) for m in self._messages if m.kind is _REQUEST}

    # -- wording -------------------------------------------------------------------------------
    @_made_on_first_use
    def _labels(self) -> dict[str, str]:  # made only when a finding names someone: most diagrams have none
        return {p.id: p.label for p in self._participants}

    def name(self, participant: str | None) -> str:
        if participant is None:
            return "outside"
        return one_line(self._labels.get(participant, participant))

    def describe(self, message: Message, *, line: bool = False) -> str:
        kind = "reply" if message.kind is MessageKind.REPLY else message.kind.value
        at = f", line {message.location.line}" if line else ""
        return f'{kind} "{one_line(message.label)}" ({self.name(message.sender)} → {self.name(message.receiver)}{at})'

    def describe_at(self, message: Message) -> str:
        return self.describe(message, line=True)

    def report(self, code: str, location: Location, message: str, path: str = "") -> None:
        self.findings.append(make_finding(code, location, message, path))

    def _first_time(self, code: str, key: str) -> bool:
        if (code, key) in self._once:
            return False
        self._once.add((code, key))
        return True

    # -- transfer --------------------------------------------------------------------------------
    def run_block(self, state: State, events: tuple[StateChange, ...], where: PathRef) -> State:
        """``events``: a basic block's messages, activations and destructions (``cfg``)."""
        self._where = where
        implicit, in_control = self.implicit, self._in_control
        # With no participant created in the flow and none destroyed on any path so far, there is no lifeline to
        # check (``_check_alive`` finds nothing): the commonest messages then take the short paths below, which do
        # what ``_message`` does for them without its calls and tests (this loop sees every state change).
        creatable = self._creatable
        lifelines = bool(creatable or state.destroyed_some)  # updated after each event that may destroy
        previous: StateChange | None = None
        for event in events:
            if isinstance(event, Message):
                if lifelines or event.activate or event.deactivate:
                    state = self._message(state, event)
                    lifelines = bool(creatable or state.destroyed_some)
                else:
                    kind = event.kind
                    if kind is _REQUEST:
                        # An implicit call from a participant in control from the start changes nothing.
                        if not implicit or event.sender not in in_control:
                            state = self._request(state, event)
                    elif kind is _REPLY:
                        if not implicit:
                            state = self._reply(state, event)[0]
                    elif kind is _CREATE or kind is _DESTROY:
                        state = self._message(state, event)
                        lifelines = bool(creatable or state.destroyed_some)
                    # asynchronous, self, lost and found messages change nothing by themselves
            elif isinstance(event, Activation):
                participant = event.participant
                if lifelines:
                    self._check_alive(state, participant, event.location, creating=False)
                if event.active:
                    if isinstance(previous, Message) and previous.kind is _REQUEST \
                            and previous.receiver == participant:
                        self.started_by[id(event)] = previous  # `A -> B` then `activate B`: the call's own bar
                    state = self._activate(state, participant, event)
                else:
                    state = self._deactivate(state, participant, event)
            else:
                state = self._destroy(state, event.participant, event.location)
                lifelines = True
            previous = event
        return state

    def _message(self, state: State, message: Message) -> State:
        kind, sender, receiver = message.kind, message.sender, message.receiver
        creating = kind is _CREATE
        absent = False
        if self._creatable or state.destroyed_some:
            absent = self._check_alive(state, sender, message.location, creating=False)
            absent = self._check_alive(state, receiver, message.location, creating=creating) or absent
        matched = True
        if kind is _REQUEST:
            if not absent:  # a call to no lifeline is SEQ140 alone
                state = self._request(state, message)
            else:
                self.to_absent.append(message)
        elif kind is _REPLY and not self.implicit:  # implicit replies pair with nothing
            state, matched = self._reply(state, message)
        if message.deactivate and sender is not None and matched:
            state = self._deactivate(state, sender, message)
        if message.activate and receiver is not None and not (absent and kind is _REQUEST):  # no lifeline, no bar
            state = self._activate(state, receiver, message)
        if creating and receiver is not None and receiver in state.created_all and receiver not in \
                state.destroyed_some and self._first_time("SEQ140", f"again:{receiver}"):
            created = self._created_at.get(receiver)
            at = f" at line {created.line}" if created else ""
            self.report("SEQ140", message.location, f"{self.name(receiver)} is created again here, but it exists "
                        f"already (created{at} and not destroyed since)", path_label(self._where))
        if creating and receiver is not None \
                and (receiver not in state.created_all or receiver in state.destroyed_some):
            self._created_at.setdefault(receiver, message.location)
            state = state.with_created(receiver)
        elif kind is _DESTROY and receiver is not None:
            state = self._destroy(state, receiver, message.location)
        return state

    # -- requests and replies ------------------------------------------------------------------------
    def _request(self, state: State, request: Message) -> State:
        caller, callee = request.sender, request.receiver
        # Whether the caller holds control is asked only while SEQ121 may still be said about it (once per
        # participant): a caller out of control calls again and again, and the question costs more than the call.
        if caller is not None and caller not in self._in_control and ("SEQ121", caller) not in self._once \
                and not self._holds_control(state, caller, request):
            self._once.add(("SEQ121", caller))
            self.report("SEQ121", request.location,
                        f'{self.name(caller)} starts {self.describe(request)} without holding control: it is not '
                        "the initiator, an actor, active, the callee of an open request, or woken by a message")
        if self.implicit:
            return state
        if callee is not None and callee != caller:
            waiting = state.requests  # the innermost open request the callee waits on (no generator: per request)
            while waiting is not None:
                if waiting[0].sender == callee:
                    self._call_backs.append((request, waiting[0]))
                    break
                waiting = waiting[1]
        return state.with_requests((request, state.requests))

    def report_call_cycles(self, unanswered: set[int]) -> None:
        """SEQ150 once per pair, and only where the waiting request does get its reply: a caller that is never
        answered is already SEQ110, and "waiting forever" is not a second finding."""
        for request, waiting in self._call_backs:
            key = id(waiting)
            if key in unanswered or key in self.settled or key in self.abandoned or key in self.pending:
                continue
            if self._first_time("SEQ150", f"{request.sender}>{request.receiver}"):
                self.report("SEQ150", request.location,
                            f"{self.describe(request)} calls back {self.name(request.receiver)}, which is waiting on "
                            f"{self.describe_at(waiting)}: re-entrant call, deadlock risk")

    def _holds_control(self, state: State, participant: str, request: Message) -> bool:
        """Beyond the initiator and the actors (``_in_control``, tested first by the caller)."""
        if participant in state.activations:
            return True
        woken = self._woken_at.get(participant)
        if woken is not None and woken < request.id:  # ids follow declaration order
            return True
        # Loops rather than any() over generators: this runs for every call from a participant not in control
        # from the start, and a generator costs more to make than these stacks (and the pending requests) to walk.
        stack = state.requests
        while stack is not None:
            if stack[0].receiver == participant:
                return True
            stack = stack[1]
        for pending in self.pending.values():  # noqa: SIM110
            if pending.request.receiver == participant:
                return True
        return False

    def _find_open(self, state: State, reply: Message) -> Message | None:
        """The innermost open request ``reply`` answers: the one it names, or else the innermost from its receiver
        to its sender."""
        stack, reply_to = state.requests, reply.reply_to
        if reply_to is not None:
            while stack is not None:
                if stack[0].id == reply_to:
                    return stack[0]
                stack = stack[1]
            return None
        caller, callee = reply.receiver, reply.sender
        while stack is not None:
            request = stack[0]
            if request.sender == caller and request.receiver == callee:
                return request
            stack = stack[1]
        return None

    def _answers(self, reply: Message, request: Message) -> bool:
        if reply.reply_to is not None:
            return request.id == reply.reply_to
        return request.sender == reply.receiver and request.receiver == reply.sender

    def _reply(self, state: State, reply: Message) -> tuple[State, bool]:
        if self.implicit:
            return state, True
        target = self._find_open(state, reply)
        if target is not None:
            if reply.sender != target.receiver or reply.receiver != target.sender:
                self.report("SEQ111", reply.location,
                            f"{self.describe(reply)} answers {self.describe_at(target)}, but a response goes from "
                            "the callee back to its caller", path_label(self._where))
            self._answered[target.id] = reply.location
            self.replies_to.setdefault(id(target), []).append(reply)
            requests = state.requests
            if requests is not None and requests[0] is target:  # the innermost open request: nothing unwinds
                return state.with_requests(requests[1]), True
            abandoned: list[Message] = []
            state = state.with_requests(self._unwind(state.requests, target, reply, abandoned))
            if abandoned:
                state = self._end_activations_of(state, abandoned)
            return state, True
        for key, pending in list(self.pending.items()):
            if self._answers(reply, pending.request):
                del self.pending[key]
                self.settled[key] = pending.request
                self.report("SEQ112", reply.location,
                            f"{self.describe(reply)} answers {self.describe_at(pending.request)}, which is still "
                            "open here only on some paths (answer it in every branch, or only after the "
                            "fragment)", joined(pending.labels))
                return state, False
        for key, (request, outer, answered_at) in list(self.abandoned.items()):
            if self._answers(reply, request):
                del self.abandoned[key]
                self.settled[key] = request
                self.report("SEQ111", reply.location,
                            f"{self.describe(reply)} answers {self.describe_at(request)} after "
                            f"{self.describe_at(outer)}, opened before it, was answered at line {answered_at.line}: "
                            "answer the innermost request first", path_label(self._where))
                return state, False
        if any(self._answers(reply, request) for request in (*self.settled.values(), *self.to_absent)):
            return state, False  # its request's problem is reported already: one finding per mistake
        self._unmatched_reply(state, reply)
        return self._settle_meant_request(state, reply), False

    def _settle_meant_request(self, state: State, reply: Message) -> State:
        """A misdirected reply (to the wrong caller, or drawn backwards) was meant for the innermost open
        request: that request counts as answered, so the mistake is one finding, not also a SEQ110."""
        if reply.reply_to is not None or state.requests is None:
            return state
        target = state.requests[0]
        callee_answers_wrong_caller = target.receiver == reply.sender
        drawn_backwards = target.sender == reply.sender and target.receiver == reply.receiver
        if not (callee_answers_wrong_caller or drawn_backwards):
            return state
        self.settled[id(target)] = target
        return state.with_requests(state.requests[1])

    def _unwind(self, stack: RequestStack, target: Message, reply: Message, abandoned: list[Message]
                ) -> RequestStack:
        """Answering an outer request abandons the requests opened after it: the call stack unwinds.

        An abandoned request answered later is out of nesting order (SEQ111 there); one never answered is
        reported as SEQ110 only, so a forgotten inner reply is one finding, not two.
        """
        if stack is not None and stack[0] is target:
            return stack[1]
        above: list[Message] = []
        while stack is not None:
            request, stack = stack
            if request is target:
                break
            above.append(request)
        else:
            raise ValueError("the answered request is not on the stack")
        kept: list[Message] = []
        for request in above:
            if self._in_sibling_par_branches(request, target):
                kept.append(request)  # no nesting between parallel calls: either may be answered first
                continue
            self.abandoned[id(request)] = (request, target, reply.location)
            abandoned.append(request)
        for request in reversed(kept):
            stack = (request, stack)
        return stack

    def _in_sibling_par_branches(self, first: Message, second: Message) -> bool:
        """True when the two messages sit in different branches of one ``par``."""
        if self._par_branches is None:
            self._par_branches = _par_branches_of(self._events)
        mine = dict(self._par_branches.get(first.id, ()))
        return any(mine.get(par, index) != index for par, index in self._par_branches.get(second.id, ()))

    def _end_activations_of(self, state: State, abandoned: list[Message]) -> State:
        """Activations started by abandoned requests end with them, so later deactivations pair correctly."""
        activations = dict(state.activations)
        for request in abandoned:
            if request.receiver in activations:
                kept = [o for o in origins_top_down(activations[request.receiver]) if o is not request]
                if kept:
                    activations[request.receiver] = activation_stack(kept[::-1])
                else:
                    del activations[request.receiver]
        return state.with_activations(activations)

    def _unmatched_reply(self, state: State, reply: Message) -> None:
        where = path_label(self._where)
        if reply.reply_to is not None:
            request = self._requests.get(reply.reply_to)
            if request is None:
                self.report("SEQ111", reply.location,
                            f"{self.describe(reply)} answers request #{reply.reply_to}, which does not exist", where)
                return
            answered = self._answered.get(request.id)
            already = f" (it was already answered at line {answered.line})" if answered else ""
            self.report("SEQ111", reply.location,
                        f"{self.describe(reply)} answers {self.describe_at(request)}, which is not open here"
                        f"{already}", where)
            return
        meant = state.requests[0] if state.requests is not None else None
        if meant is not None and meant.receiver == reply.sender and reply.receiver != meant.sender \
                and (reply.sender, reply.receiver) not in self._call_pairs:
            # The sender is serving a call and answers someone else: the reply went to the wrong participant (the
            # reply's own rule, SEQ111), whether or not that participant calls it elsewhere. Drawn backwards (the
            # sender calls the receiver) is SEQ113 below.
            self.report("SEQ111", reply.location,
                        f"{self.describe(reply)} goes to {self.name(reply.receiver)}, but the request "
                        f"{self.name(reply.sender)} is answering came from {self.name(meant.sender)}: "
                        f"{self.describe_at(meant)}", where)
            return
        if reply.receiver is not None and (reply.receiver, reply.sender) not in self._call_pairs:
            self.report("SEQ113", reply.location,
                        f"{self.describe(reply)} goes to {self.name(reply.receiver)}, which never calls "
                        f"{self.name(reply.sender)}: is the arrow backwards, or should it be asynchronous?", where)
            return
        if state.requests is None:
            self.report("SEQ111", reply.location, f"{self.describe(reply)} answers no open request", where)
        else:
            self.report("SEQ111", reply.location,
                        f"{self.describe(reply)} matches no open request; the innermost open request is "
                        f"{self.describe_at(state.requests[0])}", where)

    # -- activations --------------------------------------------------------------------------------
    def _activate(self, state: State, participant: str, origin: Origin) -> State:
        activations = dict(state.activations)
        activations[participant] = (origin, activations.get(participant))
        return state.with_activations(activations)

    def _deactivate(self, state: State, participant: str, event: Message | Activation) -> State:
        stack: ActivationStack = state.activations.get(participant)
        if stack is not None:
            self.ended_by.setdefault(id(stack[0]), []).append(event)
            activations = dict(state.activations)
            rest = stack[1]
            if rest is None:
                del activations[participant]
            else:
                activations[participant] = rest
            return state.with_activations(activations)
        for key, pending in list(self.pending_activations.items()):
            if pending.participant == participant:
                del self.pending_activations[key]
                if not self.origin_settled(pending.origin):
                    self.settled_origins.add(key)
                    self.report("SEQ120", event.location,
                                f"{self.name(participant)} is deactivated here, but its activation (line "
                                f"{pending.origin.location.line}) has already ended on other paths; it is still "
                                "active here only", joined(pending.labels))
                return state
        if participant not in self.settled_participants:
            open_tops = tuple((other, top[0]) for other, top in sorted(state.activations.items()) if top is not None)
            self.stray_deactivations.append(StrayDeactivation(participant, event.location, path_label(self._where),
                                                              open_tops))
        return state

    def origin_settled(self, origin: Origin) -> bool:
        """True when nothing more may be said about this activation: its cause is reported, or it is a process."""
        key = id(origin)
        return key in self.settled or key in self.settled_origins or key in self.pending or key in self.abandoned \
            or (isinstance(origin, Activation) and origin.location in self._processes)

    # -- lifelines -------------------------------------------------------------------------------------
    def _check_alive(self, state: State, participant: str | None, location: Location, *, creating: bool) -> bool:
        """Report a use of a participant with no lifeline here; True when it has none on every path."""
        if participant is None:
            return False
        if creating:
            return False  # creating it again after its end is a new lifeline (once more while alive: _message)
        absent = (participant in self._creatable and participant not in state.created) or participant in state.destroyed
        if participant in self._creatable and participant not in state.created \
                and self._first_time("SEQ140", f"before:{participant}"):
            self.report("SEQ140", location, f"{self.name(participant)} is used before it is created")
        if participant in state.destroyed and self._first_time("SEQ140", f"after:{participant}"):
            destroyed = self._destroyed_at.get(participant)
            at = f" (line {destroyed.line})" if destroyed else ""
            self.report("SEQ140", location, f"{self.name(participant)} is used after it is destroyed{at}")
        elif participant in state.destroyed_some and participant not in state.destroyed \
                and self._first_time("SEQ141", f"after:{participant}"):
            destroyed = self._destroyed_at.get(participant)
            at = f" at line {destroyed.line}" if destroyed else ""
            self.report("SEQ141", location, f"{self.name(participant)} is used here, but it is destroyed{at} on "
                        "some paths to here only")
        if participant in self._creatable and participant in state.created and participant not in \
                state.created_all and self._first_time("SEQ141", f"before:{participant}"):
            self.report("SEQ141", location, f"{self.name(participant)} is used here, but it is created on some "
                        "paths to here only")
        return absent

    def report_use_after_destroy(self, participant: str, location: Location, when: str) -> None:
        if self._first_time("SEQ140", f"after:{participant}"):
            destroyed = self._destroyed_at.get(participant)
            at = f" at line {destroyed.line}" if destroyed else ""
            self.report("SEQ140", location, f"{self.name(participant)} is destroyed{at} and used here {when}")

    def _destroy(self, state: State, participant: str, location: Location) -> State:
        self._destroyed_at.setdefault(participant, location)
        activations = state.activations
        if participant in activations:
            activations = {key: value for key, value in activations.items() if key != participant}
        return state.with_destroyed(participant, activations)

    def open_origins(self, state: State) -> list[tuple[str, Origin]]:
        return [(participant, origin) for participant in sorted(state.activations)
                for origin in origins_top_down(state.activations[participant])]
