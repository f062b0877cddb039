"""Committed outputs must match the sources: none missing, stale or orphaned."""

from __future__ import annotations

from diagram_dsl.build.manifest import read_manifest
from diagram_dsl.build.staleness import Status, plan_build
from diagram_dsl.model import Location
from diagram_dsl.project import Project
from diagram_dsl.validate.findings import Finding, Severity

_FIX = "run `make diagrams` (or `diagram-dsl check --fix`) and commit the outputs"


def check_outputs(project: Project, renderer: str | None = None, renderer_version: str | None = None
                  ) -> list[Finding]:
    """Compare sources, the manifest and the files on disk — by hash, without rendering anything."""
    manifest = read_manifest(project)
    name = renderer or manifest.renderer or "native"
    if renderer_version is None:
        from diagram_dsl.renderers.base import RenderError, get_renderer

        try:
            renderer_version = get_renderer(name).version()
        except RenderError:
            renderer_version = manifest.renderer_version  # cannot ask the tool here; trust the record
    plan = plan_build(project, name, renderer_version)
    findings: list[Finding] = []
    for flow in plan.flows:
        where = Location(flow.source, 1)
        if flow.status is Status.NEW:
            findings.append(Finding(where, "OUT300", Severity.ERROR, f"flow has no generated outputs yet; {_FIX}"))
        elif flow.status is Status.STALE:
            missing = [r for r in flow.reasons if r.endswith("is missing")]
            code = "OUT300" if missing and len(missing) == len(flow.reasons) else "OUT301"
            what = "outputs are missing" if code == "OUT300" else "outputs are stale"
            findings.append(Finding(where, code, Severity.ERROR, f"{what} ({'; '.join(flow.reasons)}); {_FIX}"))
    for source in plan.deleted:
        findings.append(Finding(Location(project.manifest.as_posix(), 1), "OUT302", Severity.ERROR,
                                f"the manifest still lists {source}, which no longer exists; {_FIX}"))
    for orphan in plan.orphans:
        findings.append(Finding(Location(orphan, 1), "OUT302", Severity.ERROR,
                                f"no flow produces this file (renamed or deleted flow?); {_FIX}"))
    if plan.docs_reason and project.page is not None and not any(f.code == "OUT301" for f in findings):
        findings.append(Finding(Location(project.page.path.as_posix(), 1), "OUT303", Severity.ERROR,
                                f"the catalog page is out of date ({plan.docs_reason}); {_FIX}"))
    return findings
