"""Queries on catalog flows for the per-flow content tests: find participants, messages and fragments by meaning.

Labels are matched with case-insensitive regexes on whitespace-flattened text, so a test states what a
flow must show ("a SET with EX on the cache inside the miss branch") without pinning exact wording.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeVar

import pytest

from diagram_dsl.catalog import Catalog, LoadedFlow, load_catalog
from diagram_dsl.model import (
    Branch,
    Diagram,
    Divider,
    Event,
    Fragment,
    FragmentKind,
    GuideEntry,
    Message,
    MessageKind,
    Note,
    ParticipantKind,
    Reference,
    walk_events,
)
from diagram_dsl.validate import Finding, Severity, validate

ROOT = Path(__file__).resolve().parent.parent
SEED = Path(__file__).resolve().parent / "fixtures" / "seed-sequence-diagram-solutions.md"
REQUEST, REPLY, ASYNC, SELF = MessageKind.REQUEST, MessageKind.REPLY, MessageKind.ASYNC, MessageKind.SELF
ALT, OPT, LOOP, PAR, BREAK = FragmentKind.ALT, FragmentKind.OPT, FragmentKind.LOOP, FragmentKind.PAR, FragmentKind.BREAK

Scope = Diagram | Branch | Iterable[Event]
T = TypeVar("T")


@functools.cache
def catalog(root: Path = ROOT) -> Catalog:
    return load_catalog(root)


def loaded(number: int) -> LoadedFlow:
    found = catalog(ROOT).find(str(number))
    if found is None:
        errors = [str(error) for error in catalog(ROOT).errors]
        pytest.fail(f"flow {number} is missing from sources/ (load errors: {errors})")
    return found


def diagram(number: int) -> Diagram:
    return loaded(number).model.diagram


def flat(text: str) -> str:
    return " ".join(text.split())


def pid(d: Diagram, label: str) -> str:
    """The id of the one participant whose label matches the regex."""
    found = [p.id for p in d.participants if re.search(label, flat(p.label), re.IGNORECASE)]
    assert len(found) == 1, f"expected one participant matching {label!r}, got {found}"
    return found[0]


def kind_of(d: Diagram, participant_id: str) -> ParticipantKind:
    participant = d.participant(participant_id)
    assert participant is not None, f"no participant {participant_id!r}"
    return participant.kind


def events_of(scope: Scope) -> tuple[Event, ...]:
    if isinstance(scope, Diagram | Branch):
        return walk_events(scope.events)
    return walk_events(tuple(scope))


def msgs(scope: Scope, kind: MessageKind | None = None, *, sender: str | None = None,
         receiver: str | None = None, label: str | None = None) -> list[Message]:
    """Messages anywhere inside the scope, in document order, filtered by kind, ends and a label regex."""
    return [m for m in events_of(scope) if isinstance(m, Message)
            and (kind is None or m.kind is kind)
            and (sender is None or m.sender == sender)
            and (receiver is None or m.receiver == receiver)
            and (label is None or re.search(label, flat(m.label), re.IGNORECASE))]


def one(found: list[Message], what: str) -> Message:
    """The first match, where a flow must show the thing at least once."""
    assert found, f"no message: {what}"
    return found[0]


def only(found: Sequence[T], what: str) -> T:
    """The single match, where a flow must show the thing exactly once (one trial call, one dead-letter send)."""
    assert len(found) == 1, f"expected exactly one {what}, found {len(found)}: {[_shown(x) for x in found]}"
    return found[0]


def _shown(found: object) -> str:
    match found:
        case Message(label=label):
            return flat(label)
        case Branch(guard=guard):
            return f"[{flat(guard)}]"
        case Fragment(kind=kind, branches=branches):
            return f"{kind.value} [{' | '.join(flat(b.guard) for b in branches)}]"
    return repr(found)


def frags(scope: Scope, kind: FragmentKind) -> list[Fragment]:
    """Fragments of a kind inside the scope, outermost first."""
    return [f for f in events_of(scope) if isinstance(f, Fragment) and f.kind is kind]


def guarded(branch: Branch, guard: str) -> bool:
    """Whether the branch's guard matches the regex."""
    return re.search(guard, flat(branch.guard), re.IGNORECASE) is not None


def branch_with(fragments: list[Fragment], guard: str) -> Branch:
    found = [b for f in fragments for b in f.branches if guarded(b, guard)]
    assert found, f"no branch guarded by {guard!r} among {[b.guard for f in fragments for b in f.branches]}"
    return found[0]


def branches_with(scope: Scope, kinds: tuple[FragmentKind, ...], guard: str) -> list[Branch]:
    return [b for kind in kinds for f in frags(scope, kind) for b in f.branches if guarded(b, guard)]


def only_branch(scope: Scope, kind: FragmentKind, guard: str) -> Branch:
    """The one branch of a ``kind`` fragment inside the scope whose guard matches the regex."""
    return only(branches_with(scope, (kind,), guard), f"{kind.value} branch guarded by {guard!r}")


def only_fragment(scope: Scope, kind: FragmentKind, guard: str) -> Fragment:
    """The one ``kind`` fragment inside the scope with a branch whose guard matches the regex."""
    found = [f for f in frags(scope, kind) if any(guarded(b, guard) for b in f.branches)]
    return only(found, f"{kind.value} fragment guarded by {guard!r}")


def phase(d: Diagram, divider: str) -> tuple[Event, ...]:
    """The top-level events after the first divider whose text matches the regex, up to the next divider."""
    starts = [i for i, e in enumerate(d.events) if isinstance(e, Divider)
              and re.search(divider, flat(e.text), re.IGNORECASE)]
    assert starts, f"no divider matching {divider!r} among {[e.text for e in d.events if isinstance(e, Divider)]}"
    after = d.events[starts[0] + 1:]
    end = next((i for i, e in enumerate(after) if isinstance(e, Divider)), len(after))
    return after[:end]


def replies_to(scope: Scope, request: Message) -> list[Message]:
    return [m for m in msgs(scope, REPLY) if m.reply_to == request.id]


def notes(scope: Scope) -> list[str]:
    """Note texts inside the scope, flattened, in document order."""
    return [flat(e.text) for e in events_of(scope) if isinstance(e, Note)]


def texts(d: Diagram) -> str:
    """Every note and ref text, flattened: where a point that cannot be drawn is written down."""
    return " | ".join(flat(e.text) for e in walk_events(d.events) if isinstance(e, Note | Reference))


def enclosing(d: Diagram, message: Message) -> list[Fragment]:
    """The fragments whose branches contain the message, outermost first."""
    return [f for f in walk_events(d.events) if isinstance(f, Fragment)
            and any(message in msgs(b) for b in f.branches)]


def fragment_holding(d: Diagram, message: Message, kind: FragmentKind) -> Fragment:
    """The innermost fragment of that kind around the message."""
    holders = [f for f in enclosing(d, message) if f.kind is kind]
    assert holders, f"{message.label!r} is not inside a {kind.value} fragment"
    return holders[-1]


def branch_holding(fragment: Fragment, message: Message) -> Branch:
    return next(b for b in fragment.branches if message in msgs(b))


def validator_problems(number: int) -> list[Finding]:
    """Errors and warnings the validator reports for the flow, after its own waivers."""
    flow = loaded(number)
    return [f for f in validate(flow.model.diagram, flow.metadata) if f.severity is not Severity.INFO]


# -- the seed document ------------------------------------------------------------------------------
def seed_section(number: int) -> str:
    sections = re.split(r"^## ", SEED.read_text(encoding="utf-8"), flags=re.MULTILINE)
    found = [s for s in sections if s.startswith(f"{number}. ")]
    assert len(found) == 1, f"seed has no single section {number}"
    return found[0]


def seed_field(section: str, name: str) -> str:
    match = re.search(rf"\*\*{name}:\*\* (.+)", section)
    assert match, name
    return match.group(1).strip()


def seed_list(section: str, heading: str) -> tuple[str, ...]:
    block = section.split(f"**{heading}:**")[1].split("\n\n")[0]
    return tuple(line[2:].strip() for line in block.splitlines() if line.startswith("- "))


def seed_guides(title: str) -> list[GuideEntry]:
    text = SEED.read_text(encoding="utf-8")
    entries: list[GuideEntry] = []
    guide = section = ""
    for line in text[text.index("## Selection Guide"):].splitlines():
        if line.startswith("## "):
            guide = line[3:].strip()
        elif line.startswith("### "):
            section = line[4:].strip()
        elif (match := re.match(r"- \*\*(.+?)\*\* - (.+)", line)) and match.group(1) == title:
            entries.append(GuideEntry(guide, section, match.group(2).strip()))
    return entries


def assert_metadata_verbatim(number: int) -> None:
    """Title, description, scores, lists and guide entries exactly as the user's document has them."""
    meta = loaded(number).metadata
    section = seed_section(number)
    assert section.startswith(f"{number}. {meta.title}\n")
    assert meta.description == seed_field(section, "Description")
    assert meta.scores.solution_quality == int(seed_field(section, "Solution Quality").split("/")[0])
    assert meta.scores.implementation_difficulty == int(seed_field(section, "Implementation Difficulty").split("/")[0])
    assert meta.scores.performance_level == seed_field(section, "Performance Level")
    assert meta.when_to_use == seed_list(section, "When to Use")
    assert meta.important_points == seed_list(section, "Important Points")
    assert sorted(meta.guides, key=repr) == sorted(seed_guides(meta.title), key=repr)
