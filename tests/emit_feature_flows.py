"""One small flow per model feature: the inputs of the emitter golden files."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

import strategies
from hypothesis import strategies as st

from diagram_dsl import Flow, Scores
from diagram_dsl.model import (
    Activation,
    Box,
    Branch,
    Delay,
    Destruction,
    Diagram,
    Divider,
    Event,
    Fragment,
    FragmentKind,
    Location,
    Message,
    MessageKind,
    Note,
    Participant,
    ParticipantKind,
    Reference,
    Space,
)


def _flow(title: str = "Feature") -> Flow:
    return Flow(number=90, title=title, description="One feature.", scores=Scores(5, 5, "Medium"))


def participant_kinds() -> Diagram:
    flow = _flow("Participant Kinds")
    kinds = [flow.actor("User"), flow.participant("Plain"), flow.boundary("Edge"), flow.control("Ctrl"),
             flow.entity("Thing"), flow.database("Store"), flow.queue("Bus"), flow.collections("Many")]
    for target in kinds[1:]:
        kinds[0].send(target, "hi")
    return flow.build().diagram


def aliases_and_multiline() -> Diagram:
    flow = _flow("Aliases")
    user = flow.actor("End User", id="u")
    ctrl = flow.control("Order\nController")
    user.send(ctrl, "two\nlines")
    return flow.build().diagram


def boxes() -> Diagram:
    flow = _flow("Boxes")
    with flow.box("Front", color="#E8F0FE"):
        web = flow.participant("Web")
    with flow.box("Back"):
        api = flow.participant("API")
    web.send(api, "call")
    return flow.build().diagram


def arrows() -> Diagram:
    flow = _flow("Arrows")
    a, b = flow.participant("A"), flow.participant("B")
    flow.found(a, "from outside")
    with a.call(b, "sync") as call:
        b.step("self")
        call.reply("reply")
    a.send(b, "async")
    a.lose("lost toward B", toward=b)
    a.lose("lost to nowhere")
    return flow.build().diagram


def create_destroy() -> Diagram:
    flow = _flow("Create Destroy")
    a, tmp, other = flow.participant("A"), flow.participant("Tmp"), flow.participant("Other")
    a.create(tmp, "new")
    a.send(tmp, "work")
    a.destroy(tmp, "kill")
    a.send(other, "hi")
    flow.end_of_life(other)
    return flow.build().diagram


def activations() -> Diagram:
    flow = _flow("Activations")
    a, b = flow.participant("A"), flow.participant("B")
    flow.activate(a)
    with a.call(b, "do") as call:
        call.reply("done")
    flow.deactivate(a)
    return flow.build().diagram


def delay_then_lifeline_changes() -> Diagram:
    """PlantUML refuses activate/destroy statements between a delay and the next message."""
    flow = _flow("Delay Then Activation")
    a, b = flow.participant("A"), flow.participant("B")
    a.send(b, "start")
    flow.delay("an hour")
    flow.note("still waiting", over=a)
    flow.activate(a)
    a.send(b, "resume")
    flow.deactivate(a)
    flow.delay()
    flow.end_of_life(b)
    return flow.build().diagram


def lifeline_corner_cases() -> Diagram:
    """Ends and restarts with no message between, and an end of life after the lifeline's last message."""
    flow = _flow("Lifeline Corner Cases")
    a, b, c = flow.participant("A"), flow.participant("B"), flow.participant("C")
    flow.activate(a)
    a.send(b, "first")
    flow.deactivate(a)
    flow.activate(a)  # PlantUML: "already done" unless the pair cancels out
    with a.call(b, "work") as call:
        call.reply("done")
    flow.activate(b)  # right after the reply that ended b's activation
    b.send(c, "more")
    flow.deactivate(b)
    flow.deactivate(a)
    c.send(a, "last words")
    flow.end_of_life(c)  # Mermaid: must be tied to c's message before it, not to a's next one
    a.send(b, "after")
    return flow.build().diagram


def notes() -> Diagram:
    flow = _flow("Notes")
    a, b, c = flow.participant("A"), flow.participant("B"), flow.participant("C")
    flow.note("left", left_of=a)
    flow.note("right", right_of=b)
    flow.note("over one", over=c)
    flow.note("over three", over=[a, b, c])
    return flow.build().diagram


def fragments() -> Diagram:
    flow = _flow("Fragments")
    a, b = flow.participant("A"), flow.participant("B")
    with flow.alt("ok"):
        a.send(b, "yes")
    with flow.else_("not ok"):
        a.send(b, "no")
    with flow.opt("maybe"):
        a.send(b, "perhaps")
    with flow.loop("3 times"):
        a.send(b, "again")
    with flow.par("left"):
        a.send(b, "one")
    with flow.and_("right"):
        b.send(a, "two")
    with flow.critical("atomic"):
        a.send(b, "commit")
    with flow.option("failed"):
        a.send(b, "rollback")
    with flow.break_("give up"):
        a.send(b, "abort")
    with flow.group("cleanup"):
        a.send(b, "tidy")
    return flow.build().diagram


def decorations() -> Diagram:
    flow = _flow("Decorations")
    a, b = flow.participant("A"), flow.participant("B")
    flow.autonumber(10, 5)
    a.send(b, "first")
    flow.ref("see Login", over=[a, b])
    flow.divider("Phase 2")
    flow.delay("later")
    flow.space()
    flow.space(40)
    a.send(b, "second")
    return flow.build().diagram


def hostile_labels() -> Diagram:
    flow = _flow('Title "with" #; ->> @enduml')
    a = flow.actor('say "hi"\nend')
    b = flow.participant("<b>bold</b> & a: b; c")
    a.send(b, "back\\slash # ; -->> @enduml")
    flow.note("end\nelse\n'quote'", over=[a, b])
    with flow.alt("**x** //y// [[link]]"):
        a.send(b, "50% off {curly} ünïcødé 🚀")
    with flow.else_("else"):
        a.send(b, "&amp; &#35; #35; ~tilde~")
    return flow.build().diagram


def empty_labels() -> Diagram:
    """Every text slot left empty or blank: both languages must still accept the diagram."""
    flow = Flow(number=91, title="Empty", description="Blank labels.", scores=Scores(5, 5, "Medium"),
                diagram_title=" ")
    a, b = flow.actor("", id="a"), flow.database(" ", id="b")
    with flow.box(""):
        c = flow.participant("", id="c")
    with a.call(b, "") as call:
        flow.note("", over=[a, b])
        call.reply(" ")
    with flow.alt(""):
        a.send(b, "")
    with flow.else_(""):
        a.send(c, "")
    with flow.group(""):
        a.send(b, "")
    flow.ref("", over=[a])
    flow.divider("")
    flow.delay("")
    flow.found(b, "")
    a.lose("")
    return flow.build().diagram


FEATURES: dict[str, Callable[[], Diagram]] = {
    "participant_kinds": participant_kinds,
    "aliases_and_multiline": aliases_and_multiline,
    "boxes": boxes,
    "arrows": arrows,
    "create_destroy": create_destroy,
    "activations": activations,
    "delay_then_lifeline_changes": delay_then_lifeline_changes,
    "lifeline_corner_cases": lifeline_corner_cases,
    "notes": notes,
    "fragments": fragments,
    "decorations": decorations,
    "hostile_labels": hostile_labels,
    "empty_labels": empty_labels,
}


# -- generated flows that use every feature ------------------------------------------------------------
@st.composite
def every_feature_diagrams(draw: st.DrawFn, *, hostile: bool = True) -> Diagram:
    """``strategies.diagrams`` plus what it does not draw: boxes, found/lost/create/destroy arrows,
    explicit activations, end of life, space and groups; labels hostile when asked."""
    base = draw(strategies.diagrams(hostile=hostile))
    labels = st.one_of(strategies.PLAIN_WORDS, strategies.HOSTILE_LABELS) if hostile else strategies.PLAIN_WORDS
    where = Location(strategies.FILE, 900)
    first, second = base.participants[0].id, base.participants[1].id
    boxed = draw(st.integers(1, len(base.participants)))
    boxes = (Box("box1", draw(labels), draw(st.sampled_from([None, "#E8F0FE", "LightBlue", "#abc"])), where),)
    temp = Participant("temp_worker", draw(labels), draw(st.sampled_from(list(ParticipantKind))), where)
    boxed_participants = [replace(p, box="box1") if index < boxed else p for index, p in enumerate(base.participants)]
    participants = (*boxed_participants, temp)
    next_id = len(base.messages()) + 100
    extra_before: tuple[Event, ...] = (
        Message(next_id, MessageKind.FOUND, None, first, draw(labels), where),
        Activation(second, True, where),
        Message(next_id + 1, MessageKind.ASYNC, second, first, draw(labels), where),
        Activation(second, False, where),
    )
    extra_after: tuple[Event, ...] = (
        Space(draw(st.sampled_from([None, 25])), where),
        Message(next_id + 2, MessageKind.CREATE, first, temp.id, draw(labels), where),
        Fragment(FragmentKind.GROUP, (Branch(draw(labels), (
            Message(next_id + 3, MessageKind.ASYNC, first, temp.id, draw(labels), where),
            Message(next_id + 4, MessageKind.LOST, temp.id, first, draw(labels), where),
        ), where),), where),
        Message(next_id + 5, MessageKind.DESTROY, first, temp.id, draw(labels), where),
        Message(next_id + 6, MessageKind.LOST, second, None, draw(labels), where),
        Destruction(second, where),
    )
    return replace(base, participants=participants, boxes=boxes,
                   events=extra_before + base.events + extra_after)


# -- labels built from the pieces that break escaping ---------------------------------------------------
PRINTABLE_PIECES = (*"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ abcXYZ019é🚀", "@enduml", "end", "else", "\\n", "<br/>",
                    "&#35;", "#59;", "**", "--", "//", "[[", "]]", "<U+0041>", "%%", "->>", "-x", "note over", "|||",
                    "== x ==")
CONTROL_PIECES = ("\t", "\n", "\r", "\u2028", "\x00", "\x07", "\x1b", "\u0085", "\u200b", "\ufeff")


def wild_labels(diagram: Diagram, rng: random.Random, pieces: tuple[str, ...]) -> Diagram:
    """The same diagram with every text (title, names, box titles, labels, guards) drawn from ``pieces``."""

    def wild() -> str:
        return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))

    def remap(event: Event) -> Event:
        if isinstance(event, Message):
            return replace(event, label=wild())
        if isinstance(event, Note | Reference | Divider | Delay):
            return replace(event, text=wild())
        if isinstance(event, Fragment):
            return replace(event, branches=tuple(
                replace(branch, guard=wild(), events=tuple(remap(inner) for inner in branch.events))
                for branch in event.branches))
        return event

    return replace(diagram, title=wild(),
                   participants=tuple(replace(p, label=wild()) for p in diagram.participants),
                   boxes=tuple(replace(box, title=wild()) for box in diagram.boxes),
                   events=tuple(remap(event) for event in diagram.events))
