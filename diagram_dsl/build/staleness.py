"""What a build has to do, decided from hashes alone (no flow is run here).

``diagram-dsl check`` uses the same plan to report missing, stale and orphaned outputs and the temp
files of interrupted builds. Files are read through ``read_regular_file``: never through a symlink,
never a folder or device, and only at paths the project itself defines or a checked manifest names.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from pathlib import Path

from diagram_dsl.build.fingerprint import code_fingerprint, sha256_bytes, sha256_file
from diagram_dsl.build.manifest import Manifest, read_manifest
from diagram_dsl.fsutil import NotARegularFile, leftover_temp_files, read_regular_file
from diagram_dsl.project import Project, looks_like_output


class Status(enum.Enum):
    FRESH = "fresh"
    STALE = "stale"
    NEW = "new"


class Why(enum.Enum):
    """Why a flow (or the catalog page) must be rebuilt."""

    NOT_BUILT = "not built yet"
    RENDERER_CHANGED = "renderer changed"
    CODE_CHANGED = "diagram-dsl code changed"
    SOURCE_CHANGED = "source changed"
    OUTPUT_MISSING = "is missing"
    OUTPUT_MODIFIED = "was modified after the build"
    OUTPUT_NOT_A_FILE = "is not a regular file (a symlink, folder or device); diagram-dsl did not write it"
    PAGE_EDITED = "is missing or was edited by hand"


@dataclass(frozen=True)
class Reason:
    why: Why
    path: str = ""  # the file concerned (an output, the page), posix relative to the root
    detail: str = ""  # e.g. "native 0.1.0 -> plantuml 1.2026.8"

    def __str__(self) -> str:
        if self.path:
            return f"{self.path} {self.why.value}"
        return f"{self.why.value} ({self.detail})" if self.detail else self.why.value


@dataclass(frozen=True)
class FlowPlan:
    source: str  # posix path relative to the root
    status: Status
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class BuildPlan:
    manifest: Manifest
    code_hash: str
    flows: tuple[FlowPlan, ...]
    deleted: tuple[str, ...]  # manifest entries whose source is gone
    orphans: tuple[str, ...]  # output-named files in the output folder that no current flow's entry claims
    leftovers: tuple[str, ...]  # temp files of interrupted writes (output folder, manifest and page folders)
    docs_reason: Reason | None  # why the catalog page must be rewritten; None when it is current

    @property
    def up_to_date(self) -> bool:
        return (all(f.status is Status.FRESH for f in self.flows) and not self.deleted and not self.orphans
                and not self.leftovers and self.docs_reason is None and not self.manifest.problem)


def plan_build(project: Project, renderer: str, renderer_version: str) -> BuildPlan:
    root = project.root
    manifest = read_manifest(project)
    code_hash = code_fingerprint(renderer, project.shared_source_helpers(), project.output_settings_key())
    global_reasons: list[Reason] = []
    if manifest.renderer != renderer or manifest.renderer_version != renderer_version:
        was = _renderer_label(manifest.renderer or "none", manifest.renderer_version)
        global_reasons.append(Reason(Why.RENDERER_CHANGED,
                                     detail=f"{was} -> {_renderer_label(renderer, renderer_version)}"))
    if manifest.code_hash != code_hash:
        global_reasons.append(Reason(Why.CODE_CHANGED))
    plans: list[FlowPlan] = []
    seen: set[str] = set()
    for path in project.source_files():
        key = path.relative_to(root).as_posix()
        seen.add(key)
        entry = manifest.flows.get(key)
        if entry is None:
            plans.append(FlowPlan(key, Status.NEW, (Reason(Why.NOT_BUILT),)))
            continue
        reasons = list(global_reasons)
        if sha256_file(path) != entry.source_hash:
            reasons.append(Reason(Why.SOURCE_CHANGED))
        reasons += [reason for output, digest in sorted(entry.outputs.items())
                    if (reason := output_reason(project, output, digest)) is not None]
        plans.append(FlowPlan(key, Status.STALE if reasons else Status.FRESH, tuple(reasons)))
    deleted = tuple(sorted(key for key in manifest.flows if key not in seen))
    claimed = {output for key, entry in manifest.flows.items() if key in seen for output in entry.outputs}
    # With no usable manifest every output would look orphaned: say the one true thing (the manifest) instead.
    orphans = () if manifest.problem else tuple(p for p in _output_named_files(project) if p not in claimed)
    leftovers = tuple(project.relative(path) for path in leftover_temp_files(build_folders(project)))
    return BuildPlan(manifest, code_hash, tuple(plans), deleted, orphans, leftovers,
                     _docs_reason(project, manifest, global_reasons))


def _renderer_label(name: str, version: str) -> str:
    """``native 0.1.0 (...)``: the version string, which normally starts with the renderer's name already."""
    return version if version.startswith(name) else f"{name} {version}".strip()


def output_reason(project: Project, output: str, digest: str) -> Reason | None:
    """Why one recorded output no longer matches its record, or None when it does."""
    try:
        data = read_regular_file(project.root / output)
    except NotARegularFile:
        return Reason(Why.OUTPUT_NOT_A_FILE, output)
    except OSError as error:
        return Reason(Why.OUTPUT_MODIFIED, output, detail=error.strerror or str(error))
    if data is None:
        return Reason(Why.OUTPUT_MISSING, output)
    return None if sha256_bytes(data) == digest else Reason(Why.OUTPUT_MODIFIED, output)


def build_folders(project: Project) -> list[Path]:
    """The folders a build writes files into (where an interrupted write can leave a temp file)."""
    folders = [project.output_dir, project.manifest_path.parent]
    if project.page_path is not None:
        folders.append(project.page_path.parent)
    return folders


def _output_named_files(project: Project) -> list[str]:
    """Files in the output folder named like an output of this tool; anything else there is not ours to judge."""
    try:
        entries = list(os.scandir(project.output_dir))
    except OSError:
        return []
    return sorted(project.relative(project.output_dir / entry.name) for entry in entries
                  if looks_like_output(entry.name) and not entry.is_dir(follow_symlinks=False))


def _docs_reason(project: Project, manifest: Manifest, global_reasons: list[Reason]) -> Reason | None:
    page = project.page
    if page is None:
        return None
    shown = page.path.as_posix()
    recorded = manifest.docs.get(shown)
    if recorded is None:
        return Reason(Why.NOT_BUILT, detail=shown)
    if sha256_file(project.root / page.path, follow_symlinks=False) != recorded:
        return Reason(Why.PAGE_EDITED, shown)
    return global_reasons[0] if global_reasons else None
