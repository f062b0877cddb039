"""Markdown docs: diagram links that resolve to the right flow, and inline sequence diagrams that parse."""

from __future__ import annotations

from pathlib import Path

from diagram_dsl.catalog import Catalog
from diagram_dsl.markdown.document import MarkdownDocument
from diagram_dsl.markdown.links import LinkProblem, check_links, fix_links
from diagram_dsl.markdown.scan import markdown_files
from diagram_dsl.model import Location
from diagram_dsl.validate.findings import Finding, Severity


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _as_finding(problem: LinkProblem, root: Path) -> Finding:
    fix = (f"; use ({problem.fixed_target}) — `diagram-dsl check --fix` rewrites it"
           if problem.fixed_target else "; point it at the flow's generated-diagrams/ file")
    return Finding(Location(_display(problem.file, root), problem.line), problem.code, Severity.ERROR,
                   problem.message + fix)


def check_doc_links(catalog: Catalog, paths: list[Path], *, fix: bool = False) -> list[Finding]:
    """Findings for every drifted image link in the Markdown files under ``paths`` (default: the project)."""
    findings: list[Finding] = []
    # A file that never names an output folder links no diagram: it is not parsed at all.
    folders = [marker.rstrip("/").encode() for marker in catalog.project.diagram_link_markers()]
    for found in markdown_files(catalog.root, paths):
        # Through a symlink: links resolve from the file it points to, and a fix is written there.
        md_file = found.resolve()
        raw = md_file.read_bytes()
        if not any(folder in raw.replace(b"\\", b"") for folder in folders):
            continue
        document = MarkdownDocument(raw)
        problems = check_links(md_file, document, catalog)
        if fix and fix_links(md_file, document, problems):
            problems = check_links(md_file, MarkdownDocument(md_file.read_bytes()), catalog)
        findings.extend(_as_finding(problem, catalog.root) for problem in problems)
    return findings
