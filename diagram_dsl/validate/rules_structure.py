"""Rules on the declared structure: participants (SEQ100-SEQ102) and fragment shape (SEQ130-SEQ132)."""

from __future__ import annotations

from diagram_dsl.model import Diagram, Fragment, FragmentKind, Location
from diagram_dsl.validate.findings import Finding, make_finding
from diagram_dsl.validate.survey import Survey

# Kinds are compared by identity in tuples, never hashed: on Python 3.11 an enum's hash is a Python-level call.
# Fragments whose guard is printed as the condition readers need (group: its title).
_NEEDS_GUARD = (FragmentKind.ALT, FragmentKind.OPT, FragmentKind.LOOP, FragmentKind.BREAK, FragmentKind.CRITICAL,
                FragmentKind.GROUP)
# The kinds with further branches, and the keyword that opens them (``FragmentKind.allows_branches`` and
# ``branch_keyword``, which build their tables on every call).
_BRANCH_KEYWORDS = tuple((kind, kind.branch_keyword) for kind in FragmentKind if kind.allows_branches)
_BRANCHING = tuple(kind for kind, _ in _BRANCH_KEYWORDS)


def _branch_keyword(kind: FragmentKind) -> str | None:
    for branching, keyword in _BRANCH_KEYWORDS:
        if kind is branching:
            return keyword
    return None


def check_participants(diagram: Diagram, surveyed: Survey) -> list[Finding]:
    findings: list[Finding] = []
    by_id: dict[str, Location] = {}
    by_label: dict[tuple[str | None, str], Location] = {}  # labels need only be unique within a box
    used = surveyed.first_reference
    for participant in diagram.participants:
        label = " ".join(participant.label.split())
        if participant.id not in used:
            findings.append(make_finding("SEQ102", participant.location,
                                         f"participant {label!r} is declared but never used"))
        label_key = (participant.box, label.casefold())
        if participant.id in by_id:
            findings.append(make_finding("SEQ101", participant.location,
                                         f"participant id {participant.id!r} is already declared at line "
                                         f"{by_id[participant.id].line}"))
        elif label_key in by_label:
            findings.append(make_finding("SEQ101", participant.location,
                                         f"participant label {label!r} is already used at line "
                                         f"{by_label[label_key].line}"))
        by_id.setdefault(participant.id, participant.location)
        by_label.setdefault(label_key, participant.location)
    for reference, event in used.items():
        if reference not in by_id:
            findings.append(make_finding("SEQ100", event.location,
                                         f"{type(event).__name__.lower()} refers to {reference!r}, which is not "
                                         "declared in this flow"))
    return findings


# An opt or break that opens a branch whose guard already names the condition needs no guard of its own
# (`alt isValid == 0` → `break` → ...): the branch's guard is the break's condition.
_INHERITS_GUARD = (FragmentKind.OPT, FragmentKind.BREAK)


def check_fragments(fragments: tuple[Fragment, ...]) -> list[Finding]:
    """``fragments``: every fragment of the flow in document order, outer before inner (``Survey.fragments``)."""
    findings: list[Finding] = []
    conditioned: set[int] = set()  # id() of fragments that open a branch with a condition of its own
    for fragment in fragments:
        _check_fragment(fragment, findings, inherits=id(fragment) in conditioned)
        has_branches = fragment.kind in _BRANCHING
        for index, branch in enumerate(fragment.branches):
            first = branch.events[0] if branch.events else None
            if isinstance(first, Fragment) and first.kind in _INHERITS_GUARD \
                    and ((index > 0 and has_branches) or branch.guard.strip()):
                conditioned.add(id(first))
    return findings


def _check_fragment(fragment: Fragment, findings: list[Finding], *, inherits: bool) -> None:
    """Appends the fragment's findings to ``findings`` (one list for the flow rather than one per fragment)."""
    kind, branches, where = fragment.kind, fragment.branches, fragment.location
    for branch in branches:  # a loop rather than any() over a generator, which costs more to make and close
        if branch.events:
            break
    else:
        findings.append(make_finding("SEQ130", where, f"{kind.value} fragment is empty: it holds no events"))
        return
    if kind not in _BRANCHING and len(branches) > 1:
        findings.append(make_finding("SEQ130", branches[1].location,
                                     f"{kind.value} cannot have further branches (only alt, par and critical do)"))
    keyword = _branch_keyword(kind) if len(branches) == 1 else None
    first_guard = branches[0].guard.strip()
    if keyword is not None and first_guard.casefold() == keyword:
        findings.append(make_finding("SEQ130", where,
                                     f"{kind.value} has a single branch, given as {keyword!r}: the branch needs its "
                                     "own guard (or use opt)"))
    elif kind in _NEEDS_GUARD and not first_guard and not inherits:
        findings.append(make_finding("SEQ131", where, f"{kind.value} has no guard: say which condition it stands for"))
    if len(branches) > 1:
        for branch in branches:
            if not branch.events:
                guard = " ".join(branch.guard.split())
                findings.append(make_finding("SEQ132", branch.location,
                                             f"branch {guard!r} of {kind.value} is empty" if guard
                                             else f"a branch of {kind.value} is empty"))
