"""Committed outputs must match the sources: none missing, stale or orphaned, drawn by the project's renderer."""

from __future__ import annotations

from diagram_dsl.build.staleness import Status, Why, plan_build
from diagram_dsl.model import Location
from diagram_dsl.project import Project
from diagram_dsl.validate.findings import Finding, Severity

_FIX = "run `make diagrams` (or `diagram-dsl check --fix`) and commit the outputs"


def check_outputs(project: Project, renderer: str | None = None, renderer_version: str | None = None
                  ) -> list[Finding]:
    """Compare sources, the manifest and the files on disk — by hash, without rendering anything.

    The outputs must come from ``project.renderer`` (``[tool.diagram-dsl] renderer``): outputs drawn by
    another renderer are stale, whatever the manifest says.
    """
    name = renderer or project.renderer
    if renderer_version is None:
        renderer_version = _version(name, project)
    plan = plan_build(project, name, renderer_version)
    manifest_file = project.manifest.as_posix()
    findings: list[Finding] = []

    def add(file: str, code: str, message: str) -> None:
        findings.append(Finding(Location(file, 1), code, Severity.ERROR, message))

    if plan.manifest.problem:
        add(manifest_file, "OUT301", f"{plan.manifest.problem}, so no output counts as built; {_FIX}")
    for flow in plan.flows:
        if flow.status is Status.NEW and not plan.manifest.problem:
            add(flow.source, "OUT300", f"flow has no generated outputs yet; {_FIX}")
        elif flow.status is Status.STALE:
            missing = all(reason.why is Why.OUTPUT_MISSING for reason in flow.reasons)
            what = "outputs are missing" if missing else "outputs are stale"
            add(flow.source, "OUT300" if missing else "OUT301",
                f"{what} ({'; '.join(str(reason) for reason in flow.reasons)}); {_FIX}")
    for source in plan.deleted:
        add(manifest_file, "OUT302", f"the manifest still lists {source}, which no longer exists; {_FIX}")
    for orphan in plan.orphans:
        add(orphan, "OUT302", "no flow produces this file (renamed or deleted flow?); the build deletes only what "
            f"its manifest says it wrote, so delete it by hand if nothing needs it, or {_FIX}")
    for leftover in plan.leftovers:
        add(leftover, "OUT302", f"temp file left by an interrupted build; {_FIX} (the next build removes it)")
    stale = any(f.code == "OUT301" for f in findings)
    if plan.docs_reason is not None and project.page is not None and not stale:
        add(project.page.path.as_posix(), "OUT303", f"the catalog page is out of date ({plan.docs_reason}); {_FIX}")
    return findings


def _version(name: str, project: Project) -> str:
    from diagram_dsl.build.manifest import read_manifest
    from diagram_dsl.renderers.base import RenderError, get_renderer

    try:
        return get_renderer(name).version()
    except RenderError:
        manifest = read_manifest(project)  # cannot ask the tool here; trust the record if it is this renderer's
        return manifest.renderer_version if manifest.renderer == name else ""
