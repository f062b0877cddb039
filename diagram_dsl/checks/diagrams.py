"""Hand-written diagrams (``.puml``, ``.mmd``, Markdown blocks): imported, read under their own conventions, validated.

Each diagram is first asked how it is written (``importers.conventions``: are its dashed arrows
replies, does it draw replies at all, does it declare its participants) and then judged by that:

- a diagram that draws no reply is not checked for missing replies;
- in one that does, a request awaits a reply only where the diagram's convention says so (its
  callee answers somebody, it is marked like the diagram's other calls...); the rest are read as
  one-way messages;
- in a diagram that declares its participants, one created by its first use is SEQ100 there; an
  alias declared again with another label is SEQ101;
- a line the importer cannot read is skipped with a located warning (IMP002); the rest is checked.

Two warnings encode this project's authoring conventions rather than mistakes — SEQ103 (a
participant no message path reaches: a poller or a background job in someone else's diagram) and
SEQ121 (a call from a participant that holds no control) — so they apply to hand-written diagrams
only with ``strict``, which also checks every request as a call.

Info notes (SEQ115 "replies are implicit", SEQ116 "read as one-way", IMP003 "preprocessor") say how
a diagram was read, not what is wrong with it: they are left out of the default output, where a
reader or a CI tool would count them as findings, and included with ``notes`` (``check --strict``).
"""

from __future__ import annotations

from pathlib import Path

from diagram_dsl.importers.conventions import Judged, Undeclared, judge
from diagram_dsl.importers.discover import load_diagrams, project_root
from diagram_dsl.importers.facts import DrawnFacts
from diagram_dsl.importers.result import ImportedDiagram
from diagram_dsl.model import Location
from diagram_dsl.validate import validate
from diagram_dsl.validate.findings import Finding, make_finding

CONVENTION_WARNINGS = frozenset({"SEQ103", "SEQ121"})
_NOTE_CODES = frozenset({"SEQ115", "SEQ116", "IMP003"})
_CONVENTION_WARNINGS_AND_NOTES = CONVENTION_WARNINGS | _NOTE_CODES


def validate_imported(item: ImportedDiagram, *, strict: bool = False, notes: bool | None = None) -> list[Finding]:
    """The findings for one imported diagram; ``notes`` (default: ``strict``) keeps the info notes."""
    assert item.diagram is not None
    keep_notes = strict if notes is None else notes
    file = item.origin.file
    facts = item.facts
    # Most diagrams skip no line and redeclare nothing: those lists are only built when there is something in them.
    findings = _fact_findings(facts, file) if facts.skipped or facts.preprocessor_line is not None else []
    if facts.redeclarations:
        findings += _redeclarations(item)
    judged = judge(item.diagram, facts)
    if judged.undeclared:
        findings += _declaration_findings(judged, file)
    left_out: frozenset[str]
    if strict:
        findings += validate(item.diagram, replies="explicit")
        left_out = frozenset() if keep_notes else _NOTE_CODES
    else:
        findings += _lenient(judged, item.origin, keep_notes)
        left_out = CONVENTION_WARNINGS if keep_notes else _CONVENTION_WARNINGS_AND_NOTES
    if left_out:  # one pass over the findings, whichever codes are left out
        findings = [f for f in findings if f.code not in left_out]
    findings.sort()
    return findings


def _lenient(judged: Judged, origin: Location, notes: bool) -> list[Finding]:
    # SEQ103 is left out (it encodes this project's authoring style; --strict checks it): not even computed. So is
    # the SEQ116 note when notes are left out (it walks every message again for the lines it lists).
    if not judged.convention.draws_replies:
        return validate(judged.diagram, replies="implicit", processes=judged.processes, reachability=False)
    findings = validate(judged.diagram, replies="explicit", processes=judged.processes, reachability=False)
    if judged.one_way and notes:
        lines = sorted({m.location.line for m in judged.diagram.messages() if m.id in judged.one_way})
        shown = ", ".join(str(line) for line in lines[:8]) + (" ..." if len(lines) > 8 else "")
        reasons = "; ".join(sorted(set(judged.one_way.values())))
        findings.append(make_finding("SEQ116", origin,
                                     f"{len(judged.one_way)} request(s) were read as one-way messages (lines "
                                     f"{shown}): {reasons}; --strict checks them as calls"))
    return findings


def _fact_findings(facts: DrawnFacts, file: str) -> list[Finding]:
    findings = [make_finding("IMP002", Location(file, skipped.line),
                             f"{skipped.message}" + (f" ({skipped.hint})" if skipped.hint else "")
                             + ": the line was skipped, the rest of the diagram checked")
                for skipped in facts.skipped]
    if facts.preprocessor_line is not None:
        findings.append(make_finding("IMP003", Location(file, facts.preprocessor_line),
                                     "the diagram uses the PlantUML preprocessor beyond what the checker expands; "
                                     "it was checked as written"))
    return findings


def _declaration_findings(judged: Judged, file: str) -> list[Finding]:
    return [make_finding("SEQ100", Location(file, u.use.line), _undeclared_message(u, judged.convention.declares))
            for u in judged.undeclared]


def _undeclared_message(undeclared: Undeclared, declares: bool) -> str:
    name = " ".join(undeclared.name.split())
    meant = f" (did you mean {' '.join(undeclared.read_as_name.split())!r}?)" if undeclared.read_as else ""
    if declares:
        return f"participant {name!r} is used here without a declaration, but this diagram declares its " \
            f"participants{meant}"
    return f"participant {name!r} is brought into being by this {undeclared.use.statement} and takes part in no " \
        f"message{meant}"


def _redeclarations(item: ImportedDiagram) -> list[Finding]:
    file = item.origin.file
    labels = {p.id: p.label for p in item.diagram.participants} if item.diagram else {}
    return [make_finding("SEQ101", Location(file, r.line),
                         f"{labels.get(r.participant, r.participant)!r} is declared again with the label "
                         f"{' '.join(r.label.split())!r}; line {r.first_line} declared it as "
                         f"{' '.join(r.first_label.split())!r}")
            for r in item.facts.redeclarations]


def check_diagram_files(paths: list[Path], *, strict: bool, notes: bool | None = None, root: Path | None = None
                        ) -> tuple[int, list[Finding]]:
    """(how many diagrams were checked, their findings) for the files and folders in ``paths``.

    ``root``: the project root, the only folder PlantUML ``!include`` may read from (default: the nearest
    folder above each path holding a ``pyproject.toml`` or ``.git``).
    """
    findings: list[Finding] = []
    count = 0
    for path in paths:
        for item in load_diagrams(path, include_root=root or project_root(path)):
            count += 1
            if item.error is not None:
                hint = f" ({item.error.hint})" if item.error.hint else ""
                findings.append(make_finding("IMP001", item.error.location or item.origin,
                                             item.error.message + hint))
                continue
            findings.extend(validate_imported(item, strict=strict, notes=notes))
    return count, findings

