"""Hand-written diagrams (``.puml``, ``.mmd``, Markdown blocks): imported, then validated like flows.

Real diagrams often draw no replies at all; unless ``strict``, such a diagram gets one SEQ115
note instead of one SEQ110 per request (see the README's import semantics).
"""

from __future__ import annotations

from pathlib import Path

from diagram_dsl.importers.discover import load_diagrams
from diagram_dsl.validate import Replies, validate
from diagram_dsl.validate.findings import Finding, make_finding


def check_diagram_files(paths: list[Path], *, strict: bool) -> tuple[int, list[Finding]]:
    """(how many diagrams were checked, their findings) for the files and folders in ``paths``."""
    findings: list[Finding] = []
    count = 0
    for path in paths:
        for item in load_diagrams(path):
            count += 1
            if item.error is not None:
                hint = f" ({item.error.hint})" if item.error.hint else ""
                findings.append(make_finding("IMP001", item.error.location or item.origin,
                                             item.error.message + hint))
                continue
            assert item.diagram is not None
            replies: Replies = "explicit" if strict or item.replies_drawn else "implicit"
            findings.extend(validate(item.diagram, replies=replies))
    return count, findings
