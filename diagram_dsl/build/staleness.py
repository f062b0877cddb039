"""What a build has to do, decided from hashes alone (no flow is run here).

``diagram-dsl check`` uses the same plan to report missing, stale and orphaned outputs.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from diagram_dsl.build.fingerprint import code_fingerprint, sha256_file
from diagram_dsl.build.manifest import Manifest, read_manifest
from diagram_dsl.project import Project


class Status(enum.Enum):
    FRESH = "fresh"
    STALE = "stale"
    NEW = "new"


@dataclass(frozen=True)
class FlowPlan:
    source: str  # posix path relative to the root
    status: Status
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class BuildPlan:
    manifest: Manifest
    code_hash: str
    flows: tuple[FlowPlan, ...]
    deleted: tuple[str, ...]  # manifest entries whose source is gone
    orphans: tuple[str, ...]  # files in the output folder that no manifest entry claims
    docs_reason: str  # why the catalog page must be rewritten, "" when it is current

    @property
    def up_to_date(self) -> bool:
        return (all(f.status is Status.FRESH for f in self.flows) and not self.deleted and not self.orphans
                and not self.docs_reason)


def plan_build(project: Project, renderer: str, renderer_version: str) -> BuildPlan:
    root = project.root
    manifest = read_manifest(project)
    code_hash = code_fingerprint(renderer, project.shared_source_helpers(), project.output_settings_key())
    global_reasons: list[str] = []
    if manifest.renderer != renderer or manifest.renderer_version != renderer_version:
        global_reasons.append(f"renderer changed ({manifest.renderer or 'none'} {manifest.renderer_version} -> "
                              f"{renderer} {renderer_version})".replace("  ", " "))
    if manifest.code_hash != code_hash:
        global_reasons.append("diagram-dsl code changed")
    plans: list[FlowPlan] = []
    seen: set[str] = set()
    for path in project.source_files():
        key = path.relative_to(root).as_posix()
        seen.add(key)
        entry = manifest.flows.get(key)
        if entry is None:
            plans.append(FlowPlan(key, Status.NEW, ("not built yet",)))
            continue
        reasons = list(global_reasons)
        if sha256_file(path) != entry.source_hash:
            reasons.append("source changed")
        for output, digest in sorted(entry.outputs.items()):
            actual = sha256_file(root / output)
            if actual is None:
                reasons.append(f"{output} is missing")
            elif actual != digest:
                reasons.append(f"{output} was modified after the build")
        plans.append(FlowPlan(key, Status.STALE if reasons else Status.FRESH, tuple(reasons)))
    deleted = tuple(sorted(key for key in manifest.flows if key not in seen))
    claimed = {output for key, entry in manifest.flows.items() if key in seen for output in entry.outputs}
    output_dir = project.output_dir
    present = sorted(p.relative_to(root).as_posix() for p in output_dir.iterdir()
                     if p.is_file() and not p.name.startswith(".")) if output_dir.is_dir() else []
    orphans = tuple(p for p in present if p not in claimed)
    docs_reason = ""
    page = project.page
    recorded = None if page is None else manifest.docs.get(page.path.as_posix())
    if page is None:
        pass
    elif recorded is None:
        docs_reason = f"{page.path} not generated yet"
    elif sha256_file(root / page.path) != recorded:
        docs_reason = f"{page.path} is missing or was edited by hand"
    elif global_reasons:
        docs_reason = global_reasons[0]
    return BuildPlan(manifest, code_hash, tuple(plans), deleted, orphans, docs_reason)
