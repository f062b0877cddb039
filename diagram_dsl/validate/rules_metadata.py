"""Metadata rules: SEQ160 (one flow's required fields, and duplicates across the catalog), SEQ161 (what the catalog
wants besides: description, scores, lists, no placeholder text), SEQ162 (allow=)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from diagram_dsl.model import PERFORMANCE_LEVELS, Metadata
from diagram_dsl.validate.findings import RULES, Finding, Severity, make_finding

SCORE_RANGE = range(0, 11)
# What `diagram-dsl new` and `convert --to python` write for a human to replace ("TODO: one sentence on ...").
_PLACEHOLDER = re.compile(r"\bTODO\b")


def check_metadata(metadata: Metadata) -> list[Finding]:
    """SEQ160 for what every flow needs (a title, a positive number, scores in range when given); SEQ161 for what
    only the catalog wants (a description, scores, when-to-use, important points) and scaffold text never
    replaced, so a quick sketch with just a title is valid."""
    where = metadata.location
    findings: list[Finding] = []

    def problem(message: str) -> None:
        findings.append(make_finding("SEQ160", where, message))

    def missing(message: str) -> None:
        findings.append(make_finding("SEQ161", where, message))

    if metadata.number < 1:
        problem(f"flow number {metadata.number} must be 1 or more")
    if not metadata.title.strip():
        problem("the flow has no title")
    if not metadata.description.strip():
        missing("the flow has no description")
    scores = metadata.scores
    if scores is None:
        missing("the flow has no scores")
    else:
        for what, value in (("solution_quality", scores.solution_quality),
                            ("implementation_difficulty", scores.implementation_difficulty)):
            if not isinstance(value, int) or isinstance(value, bool) or value not in SCORE_RANGE:
                problem(f"{what} score {value!r} is out of range: use a whole number from 0 to 10")
        if scores.performance_level not in PERFORMANCE_LEVELS:
            problem(f"performance_level {scores.performance_level!r} is not one of {', '.join(PERFORMANCE_LEVELS)}")
    for what, values in (("when_to_use", metadata.when_to_use), ("important_points", metadata.important_points)):
        if not any(value.strip() for value in values):
            missing(f"the flow has no {what} entries")
    for what, text in _texts(metadata):
        if _PLACEHOLDER.search(text):
            missing(f"the {what} still holds placeholder text: {' '.join(text.split())!r}")
    findings.extend(check_allow(metadata))
    return findings


def _texts(metadata: Metadata) -> list[tuple[str, str]]:
    """The metadata's free text, named as the Flow(...) arguments are."""
    texts = [("title", metadata.title), ("description", metadata.description)]
    texts += [("when_to_use entry", text) for text in metadata.when_to_use]
    texts += [("important_points entry", text) for text in metadata.important_points]
    return texts


def check_allow(metadata: Metadata) -> list[Finding]:
    findings = []
    for code in metadata.allow:
        rule = RULES.get(code)
        if rule is None:
            findings.append(make_finding("SEQ162", metadata.location, f"allow= names {code!r}, which is no rule code"))
        elif rule.severity is Severity.ERROR:
            findings.append(make_finding("SEQ162", metadata.location,
                                         f"allow= names {code}, an error: errors cannot be waived, fix the flow"))
    return findings


def check_duplicates(metadatas: Iterable[Metadata]) -> list[Finding]:
    """Numbers and slugs used by more than one flow; each later user is reported, naming the first."""
    findings = []
    numbers: dict[int, Metadata] = {}
    slugs: dict[str, Metadata] = {}
    for metadata in metadatas:
        first_number = numbers.setdefault(metadata.number, metadata)
        if first_number is not metadata:
            findings.append(make_finding("SEQ160", metadata.location,
                                         f"flow number {metadata.number} is already used by {first_number.location}"))
        first_slug = slugs.setdefault(metadata.slug, metadata)
        if first_slug is not metadata:
            findings.append(make_finding("SEQ160", metadata.location,
                                         f"slug {metadata.slug!r} is already used by {first_slug.location}"))
    return findings
