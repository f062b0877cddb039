"""Each hand-written diagram's own conventions, inferred from the diagram itself, and the model read under them.

PlantUML and Mermaid document what an arrow means (a solid arrow is a call, a dashed one a return),
but real diagrams use them loosely: some draw every return, some only the returns that carry data,
some none; a dashed arrow is a return in one diagram and a notification in the next. Judging a
diagram by rules it never followed drowns the real mistakes in noise, so the checker first asks the
diagram how it is written, then flags what breaks *that*. The rules are listed, each with an example,
in the README ("How hand-written diagrams are judged") and tested one by one in
tests/test_import_conventions.py. In short:

1. **Dashed arrows are replies** when most dashed arrows going back to someone answer the sender's newest
   open call (streams, HTTP callbacks, arrows after a delay, asynchronous completions, publishes to a
   queue and answers to a creation excepted); then a dashed arrow that answers nothing is a mistake.
2. **The diagram draws replies** when its dashes are replies, or it uses ``return`` or ends a call's
   activation with the arrow back; a diagram that draws none is not checked for missing replies.
3. **Which requests await a reply**: by the callee's habits (answers nobody, answers others), the
   diagram's (activations mark calls, calls closed by ``deactivate``, replies drawn for few calls), and
   what makes a call sure (its activation never ends, the same request is answered elsewhere, it is the
   one unanswered call to a system); solid arrows straight back or labelled as answers are answers.
4. **The diagram declares its participants** when nearly all are declared before use; then an undeclared
   one is a mistake at its first use, read as the declared participant it is closest to.
5. **Process activations** (``activate`` after a one-way message, or out of the blue) are not calls.
"""

from __future__ import annotations

import difflib
import itertools
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import NamedTuple

from diagram_dsl.frozen import quick
from diagram_dsl.importers.facts import Drawn, DrawnFacts, Use
from diagram_dsl.importers.members import Kind, Style
from diagram_dsl.importers.walk import BranchStart, Enter, Leave, participant_references, steps
from diagram_dsl.model import (
    Activation,
    Branch,
    Delay,
    Destruction,
    Diagram,
    Event,
    Fragment,
    FragmentKind,
    Location,
    Message,
    MessageKind,
    Note,
    ParticipantKind,
    Reference,
    walk_events,
)

# Labels that say a message is one-way whatever its arrow: an event published, a notification sent.
_ONE_WAY_WORDS = re.compile(r"\b(?:publish\w*|produce\w*|consume\w*|emit\w*|notif\w*|broadcast\w*|enqueue\w*|"
                            r"events?|log|logs|logging|audit\w*)\b", re.IGNORECASE)
# Labels that say an arrow is an answer however it is drawn: `Return status`, `Respond HTTP 200`, `200 OK`.
_RESPONSE_LABEL = re.compile(r"^(?:[^\w<]|<[^>]*>)*(?:returns?\b|returned\b|respon(?:d|ds|se|ses)\b|reply\b|"
                             r"réponse\b|retour\w*|http(?:\s*status)?\s*[-:]?\s*\d{3}\b|\d{3}(?:\s|$)|ack\b|"
                             r"acknowledg\w*)", re.IGNORECASE)
_NO_ANSWER_INITIALS = frozenset(string.ascii_letters) - frozenset("rRhHaA")  # see _labelled_as_answer()
_HTTP_REQUEST = re.compile(r"^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+/", re.IGNORECASE)
_MARKUP = re.compile(r"\*\*|__|<[^>]*>|^\W+")
_NOT_FOLDED = re.compile(r"[^0-9a-z]+")
_ASCII_NOT_FOLDED = bytes(code for code in range(128) if chr(code) not in string.digits + string.ascii_lowercase)
STREAM_RUN = 3  # answers in a row that make a stream rather than a double reply
DECLARED_SHARE = 5  # at most one participant in five may be created by its first use in a declaring diagram


@quick  # one or two per diagram judged, where the dataclass's own constructor was a visible part of the cost
@dataclass(frozen=True)
class Convention:
    """What the diagram's own text says about how it is written."""

    dashed_replies: bool = False
    draws_replies: bool = False
    declares: bool = False
    calls_marked_by_activation: bool = False
    closed_calls_complete: bool = False
    replies_for_some_calls_only: bool = False


@dataclass(frozen=True)
class Undeclared:
    """A participant the diagram's convention says should have been declared, at its first use."""

    use: Use
    name: str
    read_as: str | None = None  # the declared participant it is read as (a typo), if one is close enough
    read_as_name: str = ""


@quick  # one per diagram judged (so no default factory: quick refuses one)
@dataclass(frozen=True)
class Judged:
    """A hand-written diagram read under its own conventions, ready for the validator."""

    diagram: Diagram
    convention: Convention
    one_way: dict[int, str]  # request id -> why it is read as one-way
    undeclared: tuple[Undeclared, ...] = ()
    processes: frozenset[Location] = frozenset()  # `activate` events that mark a running process, not a call


def judge(diagram: Diagram, facts: DrawnFacts) -> Judged:
    """The diagram with every message's kind as its own conventions say, and what breaks them."""
    declares = _declares(diagram, facts)  # read from the facts alone: the same before and after the renames below
    undeclared = _undeclared(diagram, facts, declares)
    diagram = _read_typos_as_meant(diagram, undeclared)
    evidence = _Evidence(diagram, facts)
    dashed_requests = evidence.dashed_requests()
    if dashed_requests:  # read again, with those dashed arrows as the requests they are
        evidence = _Evidence(diagram, facts, dashed_requests)
    convention = evidence.convention(declares)
    if not convention.draws_replies:  # not checked for replies: which arrow is which changes no finding
        return Judged(diagram, convention, {}, undeclared, evidence.processes({}, convention))
    kinds, one_way = evidence.kinds(convention)
    convention = Convention(dashed_replies=convention.dashed_replies, draws_replies=True, declares=declares,
                            calls_marked_by_activation=convention.calls_marked_by_activation,
                            closed_calls_complete=evidence.closed_complete,
                            replies_for_some_calls_only=evidence.some_calls_only)  # replace() costs twice as much
    implied = evidence.implied_replies(kinds)
    return Judged(_rebuilt(diagram, evidence, kinds, implied), convention, one_way, undeclared,
                  evidence.processes(kinds, convention))


# -- declarations -------------------------------------------------------------------------------------------
def _declares(diagram: Diagram, facts: DrawnFacts) -> bool:
    declared = {d.participant for d in facts.declarations}
    if not facts.implicit:  # as in most diagrams: every participant declared
        return len(declared) >= 2
    implicit = {use.participant for use in facts.implicit}
    declared -= implicit
    total = len(declared) + len(implicit)
    return len(declared) >= 2 and len(implicit) <= max(1, total // DECLARED_SHARE)


def _undeclared(diagram: Diagram, facts: DrawnFacts, declares: bool) -> tuple[Undeclared, ...]:
    if not facts.implicit:
        return ()
    events: tuple[Event, ...] | None = None  # walked once, when first needed
    in_messages: set[str | None] = set()  # asked only in a diagram that does not declare: it flags every use
    if not declares:
        events = walk_events(diagram.events)
        for event in events:
            if isinstance(event, Message):
                in_messages.add(event.sender)
                in_messages.add(event.receiver)
    flagged = [use for use in facts.implicit if declares or use.participant not in in_messages]
    if not flagged:  # as most diagrams that create participants by their use: the questions below are not asked
        return ()
    names = {p.id: p.label for p in diagram.participants}
    implicit = {use.participant for use in facts.implicit}
    found: list[Undeclared] = []
    for use in flagged:
        pool = [p for p in diagram.participants if p.id not in implicit and (declares or p.id in in_messages)]
        meant = _closest(names[use.participant], [(p.id, p.label) for p in pool])
        if meant is None and len(flagged) == 1:
            if events is None:
                events = walk_events(diagram.events)
            referenced = {ref for event in events for ref in participant_references(event)}
            unused = [p.id for p in diagram.participants if p.id not in implicit and p.id not in referenced]
            if len(unused) == 1:
                meant = unused[0]  # the one name used but never declared stands for the one declared but never used
        found.append(Undeclared(use, names[use.participant], meant, names.get(meant or "", "")))
    return tuple(found)


def _closest(name: str, candidates: list[tuple[str, str]]) -> str | None:
    """The one candidate whose id or label is close to ``name`` (a typo or a shortening), if exactly one is."""
    wanted = _fold(name)
    scored: list[tuple[float, str]] = []
    for participant, label in candidates:
        best = 0.0
        for text in (participant, label):
            other = _fold(text)
            if not other or not wanted:
                continue
            prefix = len(wanted) >= 2 and len(other) >= 2 and (other.startswith(wanted) or wanted.startswith(other))
            best = max(best, 1.0 if prefix else difflib.SequenceMatcher(None, wanted, other).ratio())
        if best >= 0.6:
            scored.append((best, participant))
    scored.sort(reverse=True)
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _labelled_as_answer(label: str) -> bool:
    """``_RESPONSE_LABEL`` matches ``label``. Every answer word starts with r, h or a (and a status code with a digit,
    markup with a sign): a label starting with any other ASCII letter, as most calls do, is no answer — a test far
    cheaper than the pattern (tests/test_import_conventions.py checks it against the pattern for every letter)."""
    if label[:1] in _NO_ANSWER_INITIALS:
        return False
    return _RESPONSE_LABEL.match(label) is not None


def _fold(text: str) -> str:
    """``text`` case folded, with only its ASCII letters and digits kept."""
    if text.isascii():  # most labels: the same result as the pattern through bytes, several times faster
        return text.lower().encode().translate(None, _ASCII_NOT_FOLDED).decode()
    return _NOT_FOLDED.sub("", text.casefold())


def _read_typos_as_meant(diagram: Diagram, undeclared: tuple[Undeclared, ...]) -> Diagram:
    if not undeclared:  # as in most diagrams
        return diagram
    renames = {u.use.participant: u.read_as for u in undeclared if u.read_as is not None}
    if not renames:
        return diagram

    def ref(participant: str | None) -> str | None:
        return renames.get(participant, participant) if participant is not None else None

    def one(event: Event) -> Event:
        if isinstance(event, Message):
            return replace(event, sender=ref(event.sender), receiver=ref(event.receiver))
        if isinstance(event, Note | Reference):
            return replace(event, participants=tuple(renames.get(p, p) for p in event.participants))
        if isinstance(event, Activation | Destruction):
            return replace(event, participant=renames.get(event.participant, event.participant))
        return event

    return replace(diagram, participants=tuple(p for p in diagram.participants if p.id not in renames),
                   events=_map_events(diagram.events, one))


# -- replies -------------------------------------------------------------------------------------------------
# The kinds and styles the code below tests, as module constants: it tests them several times for every arrow, and on
# Python 3.11 a module global is read several times faster than a class attribute (even members.Kind's plain ones).
_REQUEST, _REPLY, _ASYNC, _CREATE = Kind.REQUEST, Kind.REPLY, Kind.ASYNC, Kind.CREATE
_CALL_STYLE, _REPLY_STYLE = Style.CALL, Style.REPLY
_ALT = FragmentKind.ALT
_ACTOR = ParticipantKind.ACTOR
_PUBLISHED_TO = (ParticipantKind.QUEUE, ParticipantKind.COLLECTIONS)  # a tuple: members compare by identity, no hash
_DRAWN_CALL, _DRAWN_OTHER = Drawn(Style.CALL), Drawn(Style.OTHER)
_DRAWN_BY_KIND = {_REQUEST: _DRAWN_CALL, _REPLY: Drawn(_REPLY_STYLE),
                  _ASYNC: Drawn(Style.ASYNC)}
# Read in C: no Python call per message or open call they are applied to.
_ID, _RETURNS = attrgetter("id"), attrgetter("returns")


class _Place(NamedTuple):
    """Where an event sits: in which branch of which fragment (itself somewhere, ``outer``; None: the top level)."""

    fragment: Fragment
    branch: int  # its index in the fragment
    outer: _Place | None
    depth: int  # how many fragments enclose the event


# callee -> the requests to it still open, oldest first (their senders await the replies). Tuples: shared by the
# states of several branches, never copied.
OpenCalls = dict[str, tuple[Message, ...]]


class _Evidence:
    """One document-order walk (branches start from the state before their fragment; a call left open on any
    path stays open after it) that pairs reply-styled arrows with calls and records what the pairing shows."""

    # Slots: with more attributes than a shared-key instance dict holds (30 on Python 3.11), every attribute would
    # be read through a plain dict; one _Evidence is made per diagram and its attributes are read per message.
    __slots__ = ("_bars", "_closable", "_dashed_requests", "_last_by_pair", "_last_by_participant", "_participants",
                 "_process_candidates", "_queues", "_standing", "activates", "after_delay", "alt_after", "answers",
                 "callbacks", "closed", "closed_complete", "completions", "create_answers", "dashed",
                 "dashed_publishes", "dashed_self", "drawn", "early_replies", "innermost", "messages", "older",
                 "places", "replies_of", "solid_answers", "solid_back", "solid_unanswering", "some_calls_only",
                 "stray", "stream", "styles", "unclosed")

    def __init__(self, diagram: Diagram, facts: DrawnFacts, dashed_requests: frozenset[int] = frozenset()) -> None:
        self.drawn = facts.arrows
        self._dashed_requests = dashed_requests  # dashed arrows read as requests (see dashed_requests())
        self.messages: list[Message] = []  # in document order, collected by the walk
        self.styles: list[Drawn] = []  # how each of them was drawn (read once: later steps consult it often)
        self.places: list[_Place | None] = []  # where each of them sits (None: at the top level)
        # The reply-styled arrows (not `return`, not the reply half of `A <-> B`) from a participant to another (or
        # to nobody), in document order: the ones kinds() reads.
        self.dashed: list[Message] = []
        self._participants = diagram.participants
        self._queues: set[str] | None = None  # see _queue_ids()
        self._bars: dict[str, list[int | None]] = {}  # participant -> its open activations (the request, if any)
        self.early_replies: dict[int, int] = {}  # request id -> line of a stray reply drawn just before it
        self._last_by_participant: dict[str | None, int] | None = None  # see _last_of_participant()
        self._last_by_pair: dict[tuple[str | None, str | None], int] | None = None  # see _last_between()
        self.answers: dict[int, int] = {}  # request id -> id of the arrow that answers it
        self.innermost: set[int] = set()  # reply-styled arrows answering their sender's newest open call
        self.older: set[int] = set()  # ... answering an older open call of their sender
        self.stray: set[int] = set()  # ... answering nothing open
        self.callbacks: set[int] = set()  # reply-styled arrows labelled with an HTTP request line
        self.stream: set[int] = set()  # further parts of a streamed answer
        self.completions: set[int] = set()  # stray arrows that complete an answered request asynchronously
        self.after_delay: set[int] = set()  # stray arrows after a delay (`...`): a new exchange, not an answer
        self.create_answers: set[int] = set()  # arrows answering a creation drawn as a call
        self.solid_answers: set[int] = set()  # solid arrows whose label is an answer (`Return status`) answering one
        self.solid_unanswering: set[int] = set()  # ... answering nothing open: one-way, not a request
        self.dashed_publishes: set[int] = set()  # stray dashed arrows to a queue or topic: a publish
        self.dashed_self = 0  # dashed arrows to oneself: the author's dashes are not (only) replies
        self.replies_of: dict[int, list[int]] = {}  # request id -> every arrow that answers it on some path
        self.alt_after: list[tuple[Message, Fragment, _Place | None]] = []  # an alt directly after a request, where
        # `activate X` right after a message to X, and how that message was drawn
        self._process_candidates: list[tuple[Activation, Message, Drawn]] = []
        self._standing: list[Activation] = []  # `activate X` with no message just before it
        self.solid_back: dict[int, Message] = {}  # request id -> a solid arrow straight back while it was newest
        self.activates: set[int] = set()  # requests that activate their callee
        self.closed: set[int] = set()  # requests whose callee's activation ends by `deactivate` before it acts
        self._closable: dict[str, int] = {}  # callee -> the request that just activated it, until it acts
        self.closed_complete = False  # set by kinds(): closed calls are this diagram's way to draw a call
        self.some_calls_only = False  # set by kinds(): replies are drawn for some calls only
        self._walk(diagram.events)
        # requests whose activation of the callee is never ended (document order)
        self.unclosed: set[int] = {request for bars in self._bars.values() for request in bars if request is not None} \
            if self._bars else set()
        if self.stray:
            self._find_streams()

    def _walk(self, events: tuple[Event, ...]) -> None:
        open_calls: OpenCalls = {}
        saved: list[tuple[OpenCalls, list[OpenCalls]]] = []  # per fragment being read: its start, each branch's end
        # The event lists being read, innermost last, each with the place its events sit in. An explicit stack, not
        # recursion (a diagram nested hundreds of levels deep is walked like any other), and no generator of steps
        # in between: this loop runs for every event of every diagram.
        reading: list[tuple[Iterator[Event], _Place | None]] = [(iter(events), None)]
        requests_seen: list[Message] = []
        previous: Event | None = None  # the last message or activation, whatever fragments lie between
        last_message: Message | None = None
        last_drawn = _DRAWN_OTHER  # how last_message was drawn
        since_delay = False
        drawn_of, dashed_requests = self.drawn, self._dashed_requests
        messages, styles, places = self.messages, self.styles, self.places
        stray, answers, solid_back, activates, closable = \
            self.stray, self.answers, self.solid_back, self.activates, self._closable
        while reading:
            events_left, place = reading[-1]
            for event in events_left:
                # isinstance() both dispatches and narrows the type (no assert per event); messages first, as most
                # events are messages.
                if isinstance(event, Message):
                    message_id = event.id
                    drawn = drawn_of.get(message_id)
                    if dashed_requests and message_id in dashed_requests:
                        drawn = _DRAWN_CALL
                    elif drawn is None:  # a message no importer described (a found note)
                        drawn = _DRAWN_BY_KIND.get(event.kind, _DRAWN_OTHER)
                    if event.activate or event.deactivate:
                        self._bar_changes(event)
                    if stray and previous is not None and previous.__class__ is Message \
                            and previous.id in stray and event.kind is _REQUEST \
                            and (event.sender, event.receiver) == (previous.receiver, previous.sender):
                        self.early_replies[message_id] = previous.location.line
                    messages.append(event)
                    styles.append(drawn)
                    places.append(place)
                    # What the arrow shows, read here rather than in a method called per message (this runs for
                    # every message of every diagram): it answers an open call, opens one, or neither.
                    sender, receiver = event.sender, event.receiver
                    style = drawn.style
                    if sender in closable:  # (never None: only callees are keys)
                        del closable[sender]  # the callee acted: its call did not just run and close
                    if sender is None or receiver is None:
                        if sender is not None and style is _REPLY_STYLE and not drawn.returns \
                                and not drawn.answered_in_place:
                            self.dashed.append(event)  # a dashed arrow to nobody (kinds() reads it all the same)
                    elif sender == receiver:
                        if style is _REPLY_STYLE:
                            self.dashed_self += 1
                    elif drawn.answered_in_place:  # `A <-> B`: the request on the same line is answered by this half
                        calls = open_calls.get(sender, ())
                        if isinstance(previous, Message) and calls and calls[-1] is previous:
                            answers[previous.id] = message_id
                            open_calls[sender] = calls[:-1]
                    elif style is _REPLY_STYLE or drawn.returns:
                        if style is _REPLY_STYLE and not drawn.returns:
                            self.dashed.append(event)
                        self._answer(event, drawn, open_calls, requests_seen, since_delay)
                    elif style is not _CALL_STYLE:
                        pass
                    elif event.label[:1] not in _NO_ANSWER_INITIALS and event.kind is _REQUEST \
                            and _RESPONSE_LABEL.match(event.label):  # _labelled_as_answer(), without a call
                        self._solid_answer(event, open_calls)
                    elif event.kind is _REQUEST or event.kind is _CREATE \
                            or (dashed_requests and message_id in dashed_requests):
                        calls = open_calls.get(sender, ())
                        if calls and calls[-1].sender == receiver and calls[-1].id not in solid_back:
                            solid_back[calls[-1].id] = event
                        open_calls[receiver] = open_calls.get(receiver, ()) + (event,)  # noqa: RUF005 - cheaper than unpacking
                        requests_seen.append(event)
                        closable[receiver] = message_id
                        if event.activate:
                            activates.add(message_id)
                    previous = last_message = event
                    last_drawn = drawn
                    since_delay = False
                elif isinstance(event, Activation):
                    self._activation(event, previous, last_message, last_drawn)
                    previous = event
                elif isinstance(event, Fragment):
                    if event.kind is _ALT and previous is not None \
                            and last_message is not None and last_message.kind is _REQUEST:
                        self.alt_after.append((last_message, event, place))
                    # The state before the fragment is never changed again: each branch starts from a copy of it.
                    saved.append((open_calls, []))
                    open_calls = dict(open_calls)
                    first = _Place(event, 0, place, 1 if place is None else place.depth + 1)
                    reading.append((iter(event.branches[0].events if event.branches else ()), first))
                    break  # its contents first; the list below resumes after it
                elif isinstance(event, Destruction):
                    self._bars.pop(event.participant, None)
                elif isinstance(event, Delay):
                    since_delay = True
            else:  # this list is read to its end
                reading.pop()
                if place is None:
                    continue
                start, ends = saved[-1]
                fragment, index = place.fragment, place.branch + 1
                if index < len(fragment.branches):  # the next branch starts from the state before the fragment
                    ends.append(open_calls)
                    open_calls = dict(start)
                    reading.append((iter(fragment.branches[index].events),
                                    _Place(fragment, index, place.outer, place.depth)))
                else:
                    saved.pop()
                    open_calls = _union([start, *ends, open_calls])

    def _answer(self, message: Message, drawn: Drawn, open_calls: OpenCalls,
                requests_seen: list[Message], since_delay: bool) -> None:
        sender, receiver = message.sender or "", message.receiver or ""
        # Without a "/" the label cannot be a request line: the markup and spaces removed are never one.
        if not drawn.returns and "/" in message.label and _HTTP_REQUEST.match(_MARKUP.sub("", message.label).strip()):
            self.callbacks.add(message.id)
            return
        calls = open_calls.get(sender, ())
        if message.reply_to is not None:
            index = next((i for i, call in enumerate(calls) if call.id == message.reply_to), None)
        else:
            index = _newest_from(calls, receiver)
        if index is None:
            self.stray.add(message.id)
            if not drawn.returns and receiver in self._queue_ids():
                self.dashed_publishes.add(message.id)
            elif since_delay and not drawn.returns:
                self.after_delay.add(message.id)
            elif self._completes(receiver, sender, requests_seen):
                self.completions.add(message.id)
            return
        (self.innermost if index == len(calls) - 1 else self.older).add(message.id)
        if calls[index].kind is _CREATE:
            self.create_answers.add(message.id)  # "ready" after a create drawn as a call: fine, not pairable
        self.answers[calls[index].id] = message.id
        self.replies_of.setdefault(calls[index].id, []).append(message.id)
        open_calls[sender] = calls[:index] + calls[index + 1:]

    def _queue_ids(self) -> set[str]:
        """The queues and topics, which are published to: they need not answer. Found when first asked (a stray
        dashed arrow, a diagram's unanswered calls): most diagrams never ask."""
        if self._queues is None:
            self._queues = {p.id for p in self._participants if p.kind in _PUBLISHED_TO}
        return self._queues

    def _solid_answer(self, message: Message, open_calls: OpenCalls) -> None:
        """A solid arrow labelled as an answer: it answers the sender's newest call from the receiver, if any is
        open, and is never itself a call awaiting a reply. It is no evidence about the diagram's dashes."""
        calls = open_calls.get(message.sender or "", ())
        index = _newest_from(calls, message.receiver)
        if index is None:
            self.solid_unanswering.add(message.id)
            return
        self.solid_answers.add(message.id)
        self.answers[calls[index].id] = message.id
        self.replies_of.setdefault(calls[index].id, []).append(message.id)
        open_calls[message.sender or ""] = calls[:index] + calls[index + 1:]

    def _bar_changes(self, event: Message) -> None:
        """Activation bars in document order, as both tools draw them: which request's arrow started each (an
        ``activate``/``deactivate`` line changes them in _activation())."""
        if event.deactivate and event.sender is not None and self._bars.get(event.sender):
            self._bars[event.sender].pop()
        if event.activate and event.receiver is not None:
            self._bars.setdefault(event.receiver, []).append(event.id if event.kind is _REQUEST else None)

    def _completes(self, waiting: str, sender: str, requests_seen: list[Message]) -> bool:
        """True when ``waiting``'s answered requests reached ``sender`` only through others."""
        first_hops = {r.receiver for r in requests_seen if r.sender == waiting and r.id in self.answers}
        if not first_hops or sender in first_hops:
            return False
        calls: dict[str | None, set[str]] = {}
        for request in requests_seen:
            if request.receiver is not None:
                calls.setdefault(request.sender, set()).add(request.receiver)
        reached, frontier = set(first_hops), list(first_hops)
        while frontier:
            for callee in calls.get(frontier.pop(), ()):
                if callee not in reached:
                    reached.add(callee)
                    frontier.append(callee)
        return sender in reached

    def _activation(self, activation: Activation, previous: Event | None, last_message: Message | None,
                    last_drawn: Drawn) -> None:
        participant = activation.participant
        bars = self._bars.setdefault(participant, [])  # (see _bar_changes())
        if activation.active:
            bars.append(None)  # an explicit `activate` may start a process, not a call: only arrow flags count
            if last_message is not None and (last_message.receiver == participant or (
                    last_drawn.answered_in_place and last_message.sender == participant)):
                self._process_candidates.append((activation, last_message, last_drawn))
            elif not isinstance(previous, Message):
                self._standing.append(activation)  # `activate X` out of the blue: a service that is running
            if isinstance(previous, Message) and previous.receiver == participant \
                    and previous.kind is _REQUEST and last_drawn.style is _CALL_STYLE:
                self.activates.add(previous.id)
            return
        if bars:
            bars.pop()
        request = self._closable.pop(participant, None)
        if request is not None:  # `A -> B`, `activate B`, `deactivate B`: the call ran with nothing to return
            self.closed.add(request)

    def dashed_requests(self) -> frozenset[int]:
        if not self.stray:
            return frozenset()
        return self._dashed_requests_found()

    def _dashed_requests_found(self) -> frozenset[int]:
        """A dashed arrow answered at once by a dashed arrow back that otherwise answers nothing is a request drawn
        dashed (`Server --> Client : need credentials?` / `Client --> Server : credentials`), not an answer to an
        older call of the same pair — when that call still gets its answer later (`Server --> Client :
        subscribed`). Otherwise the dashed arrow is the call's only answer, and the arrow back is the stray one."""
        found: set[int] = set()
        answering = self.innermost | self.older
        messages, styles = self.messages, self.styles
        for index, (first, second) in enumerate(itertools.pairwise(messages)):
            if first.id in answering and second.id in self.stray \
                    and (second.sender, second.receiver) == (first.receiver, first.sender) \
                    and styles[index + 1].style is _REPLY_STYLE and not styles[index].returns \
                    and self._answered_again_later(first, index + 2):
                found.add(first.id)
        return frozenset(found)

    def _answered_again_later(self, answer: Message, start: int) -> bool:
        """True when a dashed arrow from position ``start`` on, in the same direction as ``answer``, answers nothing
        as things stand: it is the answer the call gets once ``answer`` is read as a request."""
        return any(message.id in self.stray and message.sender == answer.sender
                   and message.receiver == answer.receiver and drawn.style is _REPLY_STYLE
                   for message, drawn in zip(self.messages[start:], self.styles[start:], strict=True))

    def _find_streams(self) -> None:
        """Three or more answers in a row from one participant to another: one streamed answer."""
        run: list[Message] = []
        answering = set(self.answers.values())
        for message, drawn in [*zip(self.messages, self.styles, strict=True), (None, _DRAWN_OTHER)]:
            if run and message is not None and message.sender == run[0].sender \
                    and message.receiver == run[0].receiver and message.id in self.stray \
                    and drawn.style is _REPLY_STYLE:
                run.append(message)
                continue
            if len(run) >= STREAM_RUN:
                self.stream.update(m.id for m in run[1:])
            if message is not None and message.id in answering:
                run = [message]
            elif run:  # (no new empty list per message outside a run)
                run = []

    # -- the convention and the kinds it gives ---------------------------------------------------------------
    def convention(self, declares: bool) -> Convention:
        counted_stray = self.dashed_self
        if self.stray:  # (the sets below hold only stray arrows: without one, all are empty)
            counted_stray += len(self.stray - self.stream - self.completions - self.after_delay - self.dashed_publishes)
        answering = len(self.innermost) + len(self.stream)
        dashed = answering >= 1 and answering >= counted_stray
        returns = any(map(_RETURNS, self.styles))  # read in C: this runs for every message of every diagram
        draws = dashed or returns
        # Every answered request is one of the walk's messages (ids are unique): counted by set operations in C.
        answered = len(self.answers)
        activated = len(self.activates.intersection(self.answers)) if answered else 0
        marked = activated >= 2 and activated * 4 >= answered * 3
        return Convention(dashed_replies=dashed, draws_replies=draws, declares=declares,
                          calls_marked_by_activation=marked)

    def kinds(self, convention: Convention) -> tuple[dict[int, MessageKind], dict[int, str]]:
        kinds: dict[int, MessageKind] = {}
        # Made once, not per message: reply-styled arrows that are one-way sends, and those answering a call.
        sends = self.callbacks | self.stream | self.completions | self.after_delay | self.create_answers \
            | self.dashed_publishes
        answering = self.innermost | self.older
        for message in self.dashed:
            if message.id in sends:
                kinds[message.id] = _ASYNC
            elif convention.dashed_replies or message.id in answering:
                kinds[message.id] = _REPLY
            else:
                kinds[message.id] = _ASYNC
        for request in self._dashed_requests:
            kinds[request] = _REQUEST
        for answer in self.solid_answers:
            kinds[answer] = _REPLY
        for arrow in self.solid_unanswering:
            kinds[arrow] = _ASYNC
        one_way: dict[int, str] = {}
        if convention.draws_replies:
            self._one_way_requests(convention, kinds, one_way)
        for request_id in one_way:
            kinds[request_id] = _ASYNC
        return kinds, one_way

    def _one_way_requests(self, convention: Convention, kinds: dict[int, MessageKind], one_way: dict[int, str]
                          ) -> None:
        # One pass over the messages for three questions: who answers anyone, which pairs have an answered call,
        # and which calls may await a reply (as things stand before the loop below reads solid arrows back).
        repliers: set[str | None] = set()
        answered_pairs: set[tuple[str | None, str | None]] = set()
        calls: list[Message] = []
        answers = self.answers
        for message, drawn in zip(self.messages, self.styles, strict=True):
            kind = kinds.get(message.id, message.kind)
            if kind is _REPLY and not drawn.answered_in_place:
                repliers.add(message.sender)
            if message.id in answers:
                answered_pairs.add((message.sender, message.receiver))
            elif message.kind is _REQUEST and kind is not _REPLY and drawn.style is _CALL_STYLE \
                    and message.sender is not None and message.receiver is not None \
                    and message.sender != message.receiver:
                calls.append(message)
        unanswered: list[Message] = []
        for request in calls:
            if kinds.get(request.id) is _REPLY:  # the solid arrow back of a call before it (below)
                continue
            back = self.solid_back.get(request.id)
            if back is not None and back.id not in answers and kinds.get(back.id) is not _ASYNC:
                kinds[back.id] = _REPLY  # answered by a solid arrow straight back
                answers[request.id] = back.id
            else:
                unanswered.append(request)
        if not unanswered:
            return
        # People being told something, queues and topics being published to: they need not answer.
        sinks = {p.id for p in self._participants if p.kind is _ACTOR} | self._queue_ids()
        answered = 0  # answered requests
        answered_labels: set[tuple[str | None, str]] = set()  # (caller, folded label) of every answered call
        for message in self.messages:
            if message.id in answers:
                if message.kind is _REQUEST:
                    answered += 1
                if folded := _fold(message.label):
                    answered_labels.add((message.sender, folded))
        # Calls that are surely calls, whatever the callee's habits: their own activation is never ended (the
        # return is missing, not the call), the same request is answered elsewhere, or it is the one call left
        # unanswered in a diagram that answers its others — counting only calls to systems (not to a person or a
        # queue) that do not say they are an event, a notification or a log entry. (Only whether exactly one is left
        # matters: the label search stops at the second.)
        calls_left: list[Message] = []
        if answered >= 1:
            for request in unanswered:
                if request.receiver not in sinks and not _ONE_WAY_WORDS.search(request.label):
                    calls_left.append(request)
                    if len(calls_left) > 1:
                        break
        only_one = len(calls_left) == 1
        sure = {r.id for r in unanswered if r.id in self.unclosed}
        sure |= {r.id for r in unanswered if (r.sender, _fold(r.label)) in answered_labels}
        # The one call left unanswered is surely a call — unless the author closed its activation at once
        # (`activate B` / `deactivate B`, the callee doing nothing): that says the call ran with nothing to return.
        lone_call = calls_left[0].id if only_one else None
        if lone_call is not None:
            sure.add(lone_call)
        candidates: list[Message] = []
        for request in unanswered:
            if request.id in self.early_replies:
                one_way[request.id] = f"its reply is drawn before it (line {self.early_replies[request.id]})"
            elif convention.calls_marked_by_activation and request.id not in self.activates:
                one_way[request.id] = "this diagram marks its calls with activations, and this one has none"
            elif request.receiver in sinks and (request.receiver, request.sender) not in answered_pairs:
                one_way[request.id] = f"{request.receiver} is a person or a queue and never answers this caller"
            elif request.id in sure:
                candidates.append(request)
            elif request.receiver not in repliers:
                one_way[request.id] = f"{request.receiver} never answers anyone in this diagram"
            else:
                candidates.append(request)
        closed = [r for r in candidates if r.id in self.closed and (r.id not in sure or r.id == lone_call)]
        final = [r for r in closed if self._callee_done(r)]
        if len(closed) >= 2 or final:
            self.closed_complete = len(closed) >= 2
            for request in closed if len(closed) >= 2 else final:
                one_way[request.id] = "its callee's activation is closed by `deactivate` before it acts: the " \
                    "call ran, with nothing to return"
            candidates = [r for r in candidates if r.id not in one_way]
        unsure = [r for r in candidates if r.id not in sure]
        if unsure and answered < len(candidates):
            self.some_calls_only = True
            reason = f"replies are drawn for only {answered} of {answered + len(candidates)} calls in this diagram"
            one_way.update((request.id, reason) for request in unsure)
            return
        # Answered elsewhere by the same callee to the same caller: missing here. Only answered to others: missing
        # when the diagram answers (nearly) all its calls, or this is its only unanswered one.
        others = [r for r in unsure if (r.receiver, r.sender) not in answered_pairs]
        if len(others) > 1 and answered < 3 * len(others):
            reason = f"{len(others)} calls to participants that answer other callers have no reply: replies to " \
                "them are drawn only sometimes"
            one_way.update((request.id, reason) for request in others)

    def _last_of_participant(self) -> dict[str | None, int]:
        """The id of each participant's last message (a missing end, None, becomes a key too, which no lookup asks
        for). Made when first asked: only calls closed by `deactivate` ask."""
        if self._last_by_participant is None:
            self._last_by_participant = {}
            for message in self.messages:  # (a plain loop: dict(zip(...)) costs several times more on Python 3.11)
                self._last_by_participant[message.sender] = self._last_by_participant[message.receiver] = message.id
        return self._last_by_participant

    def _last_between(self) -> dict[tuple[str | None, str | None], int]:
        """The id of the last message between each ordered pair. Made when first asked, by processes()."""
        if self._last_by_pair is None:
            self._last_by_pair = {(message.sender, message.receiver): message.id for message in self.messages}
        return self._last_by_pair

    def _callee_done(self, request: Message) -> bool:
        """True when the callee takes no part in anything after the call (its activation closed, its work done)."""
        return self._last_of_participant().get(request.receiver or "", 0) <= request.id

    def implied_replies(self, kinds: dict[int, MessageKind]) -> list[tuple[_Place, Message]]:
        """Alt branches that answer the request just before the alt by their guard ("not found" → a retry, or a
        note): (the branch, the reply the guard stands for), in document order."""
        implied: list[tuple[_Place, Message]] = []
        if not self.alt_after:  # as in most diagrams
            return implied
        next_id = max(map(_ID, self.messages), default=0) + 1
        for request, alt, place in self.alt_after:
            answering = set(self.replies_of.get(request.id, ()))
            if not answering or kinds.get(request.id, request.kind) is not _REQUEST:
                continue
            inside = [[m for m in walk_events(branch.events) if isinstance(m, Message)] for branch in alt.branches]
            if not any(m.id in answering for messages in inside for m in messages):
                continue
            for index, (branch, messages) in enumerate(zip(alt.branches, inside, strict=True)):
                if any(m.id in answering for m in messages):
                    continue
                retried = any(m.sender == request.sender and m.receiver == request.receiver
                              and m.kind is _REQUEST for m in messages)
                if messages and not retried:
                    continue
                implied.append((_Place(alt, index, place, 1 if place is None else place.depth + 1),
                                Message(next_id, _REPLY, request.receiver, request.sender,
                                        f"({' '.join(branch.guard.split())})", branch.location, reply_to=request.id)))
                next_id += 1
        return implied

    def processes(self, kinds: dict[int, MessageKind], convention: Convention) -> frozenset[Location]:
        """`activate X` right after a message to X that awaits no reply (in a diagram that draws replies; any
        message in one that draws none), when X sends nothing back to that sender later — or with no message
        just before it at all: X runs as a process from there on, not as a call that should end."""
        if not self._standing and not self._process_candidates:  # as in most diagrams
            return frozenset()
        found = {activation.location for activation in self._standing}
        for activation, message, drawn in self._process_candidates:
            awaits = kinds.get(message.id, message.kind) is _REQUEST and convention.draws_replies \
                and not drawn.answered_in_place
            if not awaits and self._last_between().get((activation.participant, message.sender or ""), 0) <= message.id:
                found.add(activation.location)  # (no answer back: the table is made only if a candidate asks)
        return frozenset(found)


def _newest_from(calls: tuple[Message, ...], caller: str | None) -> int | None:
    """The index of the newest of ``calls`` made by ``caller``, if any. (A plain loop, not next() over a generator:
    this runs for every reply-styled arrow.)"""
    for index in range(len(calls) - 1, -1, -1):
        if calls[index].sender == caller:
            return index
    return None


def _union(states: list[OpenCalls]) -> OpenCalls:
    """A call open on any path through the fragment stays open after it (in the order the calls were made)."""
    merged: OpenCalls = dict(states[0])
    for state in states[1:]:
        if state == merged:  # as in most fragments, whose branches answer the calls they make: compared in C
            continue
        for callee, calls in state.items():
            known = merged.get(callee)
            if known is calls:
                continue
            if not known:
                merged[callee] = calls
                continue
            # Most branches only add calls to the ones open before them, or only answer some of those: then one
            # state starts with the other (compared in C; message ids are unique, so no call is counted twice).
            if len(calls) > len(known) and calls[:len(known)] == known:
                merged[callee] = tuple(sorted(calls, key=_ID))
                continue
            if len(calls) < len(known) and known[:len(calls)] == calls:
                continue
            ids = set(map(_ID, known))
            extra = tuple(call for call in calls if call.id not in ids)
            if extra:
                merged[callee] = tuple(sorted((*known, *extra), key=_ID))
    return merged


def _rebuilt(diagram: Diagram, evidence: _Evidence, kinds: dict[int, MessageKind],
             implied: list[tuple[_Place, Message]]) -> Diagram:
    """The diagram with the judged kinds and the replies that alt guards stand for (the diagram itself when
    neither changes anything).

    Only what changes is rebuilt: the branches holding a changed message or an implied reply, the fragments
    around them (innermost first, so a fragment is rebuilt after the ones it holds) and the top level. Every
    other branch and fragment is kept as the very same object, and none is walked.
    """
    if not kinds and not implied:
        return diagram
    replaced: dict[int, Event] = {}  # id of a changed message or fragment -> its new version
    starts = [place for place, _ in implied]
    for message, where in zip(evidence.messages, evidence.places, strict=True):
        kind = kinds.get(message.id)
        if kind is not None and kind is not message.kind:
            replaced[id(message)] = _with_kind(message, kind)
            if where is not None:
                starts.append(where)
    if not replaced and not implied:
        return diagram
    replies = {(id(place.fragment), place.branch): reply for place, reply in implied}
    branches: set[tuple[int, int]] = set()  # (id of the fragment, branch index)
    fragments: dict[int, tuple[int, Fragment]] = {}  # id of the fragment -> (the deepest level it sits at, it)
    seen: set[int] = set()  # places already followed outwards (one per branch as the walk read it)
    for start in starts:
        place: _Place | None = start
        while place is not None and id(place) not in seen:
            seen.add(id(place))
            fragment = place.fragment
            branches.add((id(fragment), place.branch))
            fragments[id(fragment)] = (max(place.depth, fragments.get(id(fragment), (0, fragment))[0]), fragment)
            place = place.outer

    def events_rebuilt(events: tuple[Event, ...], lead: tuple[Event, ...] = ()) -> tuple[Event, ...]:
        # replaced.get(id(event), event) for every event, called from C: no Python step per event.
        return lead + tuple(map(replaced.get, map(id, events), events))

    for _, fragment in sorted(fragments.values(), key=lambda entry: entry[0], reverse=True):
        replaced[id(fragment)] = _with_branches(fragment, tuple(
            _with_events(branch, events_rebuilt(branch.events, (reply,) if (reply := replies.get(key)) else ()))
            if (key := (id(fragment), index)) in branches else branch
            for index, branch in enumerate(fragment.branches)))
    return replace(diagram, events=events_rebuilt(diagram.events))


# The model's dataclasses copied with one field changed: dataclasses.replace() costs about twice the constructor,
# and a rebuilt diagram copies every changed message and the branches and fragments around it.
# tests/test_import_conventions.py checks that these copy every field.
def _with_kind(message: Message, kind: MessageKind) -> Message:
    return Message(message.id, kind, message.sender, message.receiver, message.label, message.location,
                   message.reply_to, message.activate, message.deactivate)


def _with_events(branch: Branch, events: tuple[Event, ...]) -> Branch:
    return Branch(branch.guard, events, branch.location)


def _with_branches(fragment: Fragment, branches: tuple[Branch, ...]) -> Fragment:
    return Fragment(fragment.kind, branches, fragment.location, fragment.leaves)


def _map_events(events: tuple[Event, ...], one: Callable[[Event], Event],
                prefix: Callable[[Fragment, int], tuple[Event, ...]] = lambda fragment, index: ()
                ) -> tuple[Event, ...]:
    """``events`` with ``one`` applied to every non-fragment event and ``prefix`` events put at the start of each
    branch, fragments rebuilt around them — with a stack, not recursion. A branch (or a whole fragment) in which
    nothing changes is kept as the very same object."""
    result: list[list[Event]] = [[]]
    changed: list[bool] = [False]  # per open list: did anything in it change?
    pending: list[tuple[Fragment, list[Branch], list[bool]]] = []
    for step in steps(events):
        if isinstance(step, Enter):
            pending.append((step.fragment, [], []))
        elif isinstance(step, BranchStart):
            fragment, branches, flags = pending[-1]
            if step.index > 0:
                flags.append(changed.pop())
                branches.append(_closed_branch(fragment, step.index - 1, result.pop(), flags[-1]))
            lead = prefix(fragment, step.index)
            result.append(list(lead))
            changed.append(bool(lead))
        elif isinstance(step, Leave):
            fragment, branches, flags = pending.pop()
            if fragment.branches:
                flags.append(changed.pop())
                branches.append(_closed_branch(fragment, len(fragment.branches) - 1, result.pop(), flags[-1]))
            if any(flags):
                result[-1].append(replace(fragment, branches=tuple(branches)))
                changed[-1] = True
            else:
                result[-1].append(fragment)
        elif not isinstance(step, Fragment):
            mapped = one(step)
            result[-1].append(mapped)
            if mapped is not step:
                changed[-1] = True
    return tuple(result[0]) if changed[0] else events


def _closed_branch(fragment: Fragment, index: int, events: list[Event], changed: bool = True) -> Branch:
    branch = fragment.branches[index]
    return replace(branch, events=tuple(events)) if changed else branch
