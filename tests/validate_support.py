"""Helpers for the validator tests: a fresh flow, its findings, and the line of the next source line."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from diagram_dsl import Flow, Scores
from diagram_dsl.validate import Finding, Replies, validate


def new_flow(*, allow: Sequence[str] = ()) -> Flow:
    return Flow(number=1, title="Test Flow", description="A flow under test.", scores=Scores(5, 5, "High"),
                when_to_use=["tests"], important_points=["none"], allow=allow)


def check(flow: Flow, *, replies: Replies = "explicit") -> list[Finding]:
    model = flow.build()
    return validate(model.diagram, model.metadata, replies=replies)


def next_line() -> int:
    """The line after the caller's: ``line = next_line()`` just above the statement of interest."""
    return sys._getframe(1).f_lineno + 1


def with_code(findings: list[Finding], code: str) -> list[Finding]:
    return [finding for finding in findings if finding.code == code]


def summary(findings: list[Finding]) -> list[tuple[str, int, str]]:
    """(code, line, path) of each finding: what most assertions compare."""
    return [(finding.code, finding.location.line, finding.path) for finding in findings]
