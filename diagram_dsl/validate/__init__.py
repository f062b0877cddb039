"""The validator: rule-coded, path-aware findings for a flow, compiler style.

``validate(diagram)`` walks the flow's events once, building a control-flow graph
of them (``cfg``) and collecting what the other rules need (``survey``), runs one dataflow
pass over it to pair requests with replies and activations with deactivations
(``dataflow``, ``pairing``), checks the
participant graph (``rules_graph``), the declared structure
(``rules_structure``) and, given metadata, the catalog fields
(``rules_metadata``). Findings are sorted by file and line. Warnings listed in
``allow`` (and in the metadata's own ``allow``) are dropped; errors never are.

``replies``: ``"explicit"`` (the default) pairs every request with a reply;
``"implicit"`` is for diagrams that never draw replies (many imported ones):
one SEQ115 info instead of one SEQ110 per request; ``"auto"`` picks implicit
when the diagram has requests and no reply at all.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from typing import Literal

from diagram_dsl.model import Diagram, FlowModel, Location, MessageKind, Metadata, walk_events
from diagram_dsl.validate.cfg import build_cfg
from diagram_dsl.validate.dataflow import check_pairing
from diagram_dsl.validate.findings import RULES, Finding, Rule, Severity, explain, make_finding
from diagram_dsl.validate.hints import with_dsl_hints
from diagram_dsl.validate.rules_glyphs import check_glyphs
from diagram_dsl.validate.rules_graph import check_reachability
from diagram_dsl.validate.rules_metadata import check_duplicates, check_metadata
from diagram_dsl.validate.rules_structure import check_fragments, check_participants
from diagram_dsl.validate.rules_text import check_text

__all__ = ["RULES", "Finding", "Replies", "Rule", "Severity", "explain", "validate", "validate_catalog"]

Replies = Literal["explicit", "implicit", "auto"]
_ERROR = Severity.ERROR  # bound once: on Python 3.11 reading a member from its enum class is slow


def validate(
    diagram: Diagram,
    metadata: Metadata | None = None,
    *,
    allow: tuple[str, ...] = (),
    replies: Replies = "explicit",
    processes: frozenset[Location] = frozenset(),
    reachability: bool = True,
) -> list[Finding]:
    """``processes``: explicit ``activate`` events (by location) that mark a process running rather than a call
    (hand-written diagrams, ``importers.conventions``): never reported as never ended or ended on some paths.
    ``reachability=False`` leaves out SEQ103 (and the participant graph it needs)."""
    # The pass allocates many long-lived small objects and makes no reference cycles; without pausing Python's
    # cyclic collector, it rescans them over and over and a 100,000-event flow takes twice as long as it should.
    # (Paused here rather than in a context manager: that costs more than validating a small diagram's messages.)
    collecting = gc.isenabled()
    gc.disable()
    try:
        cfg, surveyed = build_cfg(diagram.events)
        messages = surveyed.messages
        implicit = replies == "implicit" or (
            replies == "auto"
            and any(m.kind is MessageKind.REQUEST for m in messages)
            and not any(m.kind is MessageKind.REPLY for m in messages)
        )
        findings = check_participants(diagram, surveyed)
        findings += check_text(diagram, surveyed, metadata)
        findings += check_fragments(surveyed.fragments)
        if reachability:
            findings += check_reachability(diagram, messages)
        findings += check_pairing(diagram, messages, cfg, implicit=implicit, processes=processes)
    finally:
        if collecting:
            gc.enable()
    if implicit:
        findings.append(make_finding("SEQ115", diagram.location,
                                     "replies are implicit in this diagram; request/response pairing not checked"))
    waived = set(allow)
    if metadata is not None:  # a flow written in the DSL: its catalog fields, and fixes worded in the DSL
        findings += check_metadata(metadata)
        # flows this project draws: say what no pinned font has
        findings += check_glyphs(diagram, walk_events(diagram.events))
        waived |= set(metadata.allow)
        findings = with_dsl_hints(findings)
    if waived:
        findings = [f for f in findings if f.severity is _ERROR or f.code not in waived]
    return sorted(findings)


def validate_catalog(flows: Iterable[FlowModel]) -> list[Finding]:
    """Every flow's findings (each honouring its own ``allow``) plus numbers and slugs used twice."""
    models = list(flows)
    findings: list[Finding] = []
    for flow in models:
        findings += validate(flow.diagram, flow.metadata)
    findings += check_duplicates(flow.metadata for flow in models)
    return sorted(findings)
