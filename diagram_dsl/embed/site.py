"""A docs build's view of the project's flows: loaded once, validated on first use, looked up by the pages.

A docs build asks for flows many times (every page, every directive, every rebuild of ``mkdocs serve``),
so the loaded flows are kept per project and reloaded only when a source file, a shared helper or
pyproject.toml changed (by modification time and size) — running the flow modules is the costly part.
Loading runs the flow modules exactly as ``diagram-dsl check`` does, nothing more. The validator (and
networkx) is imported only when findings are asked for, so a caller that validates elsewhere never pays for it.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from diagram_dsl.catalog import Catalog, LoadedFlow, load_catalog
from diagram_dsl.model import Location
from diagram_dsl.project import PYPROJECT, Project, load_project

if TYPE_CHECKING:
    from diagram_dsl.validate import Finding

FAIL_LEVELS = ("error", "warning")  # which findings fail a docs build: errors only, or warnings too

Signature = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class DocsFlows:
    project: Project
    catalog: Catalog
    signature: Signature

    @functools.cached_property
    def findings(self) -> tuple[Finding, ...]:
        """Every flow's findings and every load error (SEQ000), sorted."""
        return tuple(flow_findings(self.catalog))

    @property
    def flows(self) -> tuple[LoadedFlow, ...]:
        return self.catalog.flows

    def lookup(self, key: str, base: Path | None = None) -> LoadedFlow | None:
        """The flow ``key`` names: a number, slug, ``<n>-<slug>`` stem, source file name, or a path to the source
        (relative to ``base`` — the page's folder — or to the project root)."""
        key = key.strip()
        found = self.catalog.find(key)
        if found is not None:
            return found
        for folder in (base, self.project.root):
            if folder is None:
                continue
            candidate = (folder / key).resolve()
            for flow in self.catalog.flows:
                if flow.path == candidate:
                    return flow
        return None

    def findings_of(self, flow: LoadedFlow) -> list[Finding]:
        shown = flow.metadata.location.file
        return [finding for finding in self.findings if finding.location.file == shown]

    def load_problems(self) -> list[str]:
        """One line per source that failed to load, for messages about a flow that cannot be found."""
        return [str(error) for error in self.catalog.errors]

    def watched_files(self) -> list[Path]:
        """What a docs server should watch: the sources folder (new flows appear there) and pyproject.toml."""
        return [self.project.sources_dir, self.project.root / PYPROJECT]


def alt_text(flow: LoadedFlow) -> str:
    """What a picture of the flow says to someone who cannot see it: the flow's description, else its title."""
    meta = flow.metadata
    return meta.description.strip() or meta.title


def fails(severity: str, level: str) -> bool:
    """Whether a finding of ``severity`` fails a docs build that fails on ``level`` ("error" or "warning")."""
    return severity == "error" or (level == "warning" and severity == "warning")


def flow_findings(catalog: Catalog) -> list[Finding]:
    """Findings of every flow (each honouring its own ``allow``), duplicates, and load errors (SEQ000, or the rule
    a DSL misuse breaks)."""
    from diagram_dsl.validate import validate
    from diagram_dsl.validate.findings import make_finding
    from diagram_dsl.validate.rules_metadata import check_duplicates

    findings: list[Finding] = []
    for error in catalog.errors:
        hint = f" ({error.hint})" if error.hint else ""
        findings.append(make_finding(error.code, error.location or Location(PYPROJECT, 1), f"{error.message}{hint}"))
    for flow in catalog.flows:
        findings += validate(flow.model.diagram, flow.metadata)
    findings += check_duplicates(flow.metadata for flow in catalog.flows)
    return sorted(findings)


def signature(project: Project) -> Signature:
    """Modification time and size of everything that shapes the loaded flows."""
    paths: Iterable[Path] = [*project.source_files(), *project.shared_source_helpers(), project.root / PYPROJECT]
    marks = []
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            continue
        marks.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(marks)


_cache: dict[Path, DocsFlows] = {}
_cache_lock = threading.Lock()


def docs_flows(root_or_project: Path | Project) -> DocsFlows:
    """The project's flows, loaded and validated — again only when a source or the settings changed."""
    project = root_or_project if isinstance(root_or_project, Project) else load_project(root_or_project)
    with _cache_lock:
        current = signature(project)
        cached = _cache.get(project.root)
        if cached is not None and cached.signature == current and cached.project == project:
            return cached
        loaded = DocsFlows(project, load_catalog(project), current)
        _cache[project.root] = loaded
        return loaded


def find_root(start: Path) -> Path:
    """The project a docs folder belongs to: the nearest folder at or above ``start`` with a pyproject.toml
    (docs/conf.py and docs/mkdocs.yml usually sit below it), else ``start`` itself."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / PYPROJECT).is_file():
            return folder
    return start
