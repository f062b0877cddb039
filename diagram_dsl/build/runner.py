"""Run a build: validate, emit and render the stale flows, write every file atomically.

Flows with validator errors are not rendered; the others still are. Work is spread over
processes for the native renderer; tool-backed renderers share one session (one server,
one browser) in this process. The manifest is written last, so an interrupted build is
simply redone on the next run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from diagram_dsl.build.fingerprint import sha256_bytes, sha256_file
from diagram_dsl.build.manifest import FlowEntry, Manifest, write_manifest
from diagram_dsl.build.staleness import Status, plan_build
from diagram_dsl.catalog import Catalog, LoadedFlow, load_catalog
from diagram_dsl.emit import emit_mermaid, emit_plantuml
from diagram_dsl.errors import DiagramDslError
from diagram_dsl.fsutil import atomic_write_bytes, atomic_write_text
from diagram_dsl.model import FlowModel
from diagram_dsl.project import Project, load_project, output_stem
from diagram_dsl.renderers.base import RenderError, RenderOptions, get_renderer

Progress = Callable[[str, int, int], None]  # (what happened, flows rendered so far, flows to render)


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)  # one located line per problem
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (f"built {len(self.built)}, unchanged {self.unchanged}, failed {len(self.failed)}, "
                f"removed {len(self.removed)} in {self.seconds:.2f} s")


Pictures = dict[str, tuple[bytes, bytes]]  # theme -> (PNG, SVG) of one flow


def render_outputs(flow: FlowModel, files: dict[tuple[str, str | None], Path], pictures: Pictures
                   ) -> dict[Path, bytes]:
    """The bytes of each output asked for in ``files`` ((format, theme) -> path)."""
    texts = {"puml": emit_plantuml, "mmd": emit_mermaid}
    outputs: dict[Path, bytes] = {}
    for (extension, theme), path in files.items():
        if theme is None:
            outputs[path] = texts[extension](flow.diagram).encode("utf-8")
        else:
            png, svg = pictures[theme]
            outputs[path] = png if extension == "png" else svg
    return outputs


def _rendered_in_themes(
    renderer_name: str, flows: list[LoadedFlow], options: RenderOptions, jobs: int, themes: tuple[str, ...]
) -> Iterator[tuple[LoadedFlow, Pictures | str]]:
    """Each flow's pictures in every theme, or the first error met for it."""
    if len(themes) == 1:
        for flow, result in _rendered(renderer_name, flows, replace(options, theme=themes[0]), jobs):
            yield flow, result if isinstance(result, str) else {themes[0]: result}
        return
    per_theme = [list(_rendered(renderer_name, flows, replace(options, theme=theme), jobs)) for theme in themes]
    for index, flow in enumerate(flows):
        results = [rendered[index][1] for rendered in per_theme]
        error = next((result for result in results if isinstance(result, str)), None)
        yield flow, error if error is not None else {
            theme: result for theme, result in zip(themes, results, strict=True) if not isinstance(result, str)}


def _render_in_worker(task: tuple[str, FlowModel, RenderOptions]) -> tuple[bytes, bytes] | str:
    renderer_name, flow, options = task
    try:
        with get_renderer(renderer_name).session(options) as session:
            rendered = session.render(flow)
    except RenderError as error:
        return str(error)
    except Exception as error:  # noqa: BLE001 - a renderer bug fails this flow with a message, not the build
        return _internal_error(flow, error)
    return rendered.png, rendered.svg


def _internal_error(flow: FlowModel, error: Exception) -> str:
    return (f"{flow.metadata.location}: internal renderer error ({type(error).__name__}: {error}); the other flows "
            "were built — please report this with the flow attached")


class _SessionFailed(Exception):
    """The renderer's tool could not be started; no flow of this batch was rendered."""


def _validation_errors(flow: LoadedFlow) -> list[str]:
    from diagram_dsl.validate import validate  # imported late: a no-op build never needs networkx

    findings = validate(flow.model.diagram, flow.metadata, allow=flow.metadata.allow)
    return [str(f) for f in findings if f.severity.value == "error"]


def _rendered(
    renderer_name: str, flows: list[LoadedFlow], options: RenderOptions, jobs: int
) -> Iterator[tuple[LoadedFlow, tuple[bytes, bytes] | str]]:
    renderer = get_renderer(renderer_name)
    if renderer_name != "native" or jobs <= 1 or len(flows) <= 1:
        try:
            with renderer.session(options) as session:
                for flow in flows:
                    try:
                        rendered = session.render(flow.model)
                    except RenderError as error:
                        yield flow, str(error)
                        continue
                    except Exception as error:  # noqa: BLE001 - see _internal_error
                        yield flow, _internal_error(flow.model, error)
                        continue
                    yield flow, (rendered.png, rendered.svg)
        except RenderError as error:  # the session itself could not start (or stop): one message, not one per flow
            raise _SessionFailed(f"renderer {renderer_name!r} failed: {error}") from None
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(flows))) as pool:
        tasks = [(renderer_name, flow.model, options) for flow in flows]
        yield from zip(flows, pool.map(_render_in_worker, tasks), strict=True)


def run_build(
    root_or_project: Path | Project, *, renderer_name: str = "native", options: RenderOptions | None = None,
    jobs: int | None = None, force: bool = False, progress: Progress = lambda line, done, total: None,
) -> BuildReport:
    started = time.perf_counter()
    project = root_or_project if isinstance(root_or_project, Project) else load_project(root_or_project)
    root = project.root
    options = options or RenderOptions()
    jobs = jobs or os.cpu_count() or 1
    renderer = get_renderer(renderer_name)
    version = renderer.version()
    plan = plan_build(project, renderer_name, version)
    report = BuildReport()
    if plan.up_to_date and not force:
        report.unchanged = len(plan.flows)
        report.seconds = time.perf_counter() - started
        return report

    catalog = load_catalog(project)
    report.failed.extend(f"{e.location}: error: {e.message}" for e in catalog.errors)
    manifest = Manifest(renderer_name, version, plan.code_hash)
    by_source = {flow.path.relative_to(root).as_posix(): flow for flow in catalog.flows}
    statuses = {p.source: p for p in plan.flows}
    to_build: list[LoadedFlow] = []
    for key, flow in sorted(by_source.items()):
        flow_plan = statuses.get(key)
        old = plan.manifest.flows.get(key)
        if not force and flow_plan is not None and flow_plan.status is Status.FRESH and old is not None:
            manifest.flows[key] = old
            report.unchanged += 1
            continue
        errors = _validation_errors(flow)
        if errors:
            report.failed.extend(errors)
            progress(f"not rendered: {key} has {len(errors)} validator error(s)", 0, 0)
            continue
        to_build.append(flow)

    try:
        _write_rendered(project, _rendered_in_themes(renderer_name, to_build, options, jobs, project.themes),
                        manifest, report, progress, len(to_build))
    except _SessionFailed as error:
        report.failed.append(f"error: {error}")
    # A flow that failed keeps its previous entry: its old outputs stay (and stay stale) instead of vanishing.
    for flow_plan in plan.flows:
        old = plan.manifest.flows.get(flow_plan.source)
        if flow_plan.source not in manifest.flows and old is not None:
            manifest.flows[flow_plan.source] = old
    _remove_orphans(project, manifest, report, progress)
    try:
        _write_docs(catalog, manifest)
    except DiagramDslError as error:  # e.g. a score out of range: the page waits, the built flows are kept
        report.failed.append(f"{error.location}: error: catalog page not written: {error.message}")
    write_manifest(project, manifest)
    report.seconds = time.perf_counter() - started
    return report


def _write_rendered(
    project: Project, results: Iterator[tuple[LoadedFlow, Pictures | str]], manifest: Manifest,
    report: BuildReport, progress: Progress, total: int,
) -> None:
    root = project.root
    for flow, result in results:
        key = flow.path.relative_to(root).as_posix()
        if isinstance(result, str):
            located = result if result.startswith(key) else f"{key}: error: {result}"
            report.failed.append(located)
            progress(f"failed: {located}", len(report.built), total)
            continue
        outputs = render_outputs(flow.model, project.output_files(flow.metadata), result)
        for path, data in outputs.items():
            atomic_write_bytes(path, data)
        manifest.flows[key] = FlowEntry(
            key, sha256_file(flow.path) or "", flow.metadata.number, flow.metadata.slug,
            {p.relative_to(root).as_posix(): sha256_bytes(d) for p, d in sorted(outputs.items())})
        report.built.append(key)
        progress(f"built {output_stem(flow.metadata)}", len(report.built), total)


def _remove_orphans(project: Project, manifest: Manifest, report: BuildReport, progress: Progress) -> None:
    root = project.root
    claimed = {output for entry in manifest.flows.values() for output in entry.outputs}
    folder = project.output_dir
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and path.name.startswith(".") and path.name.endswith(".tmp"):
            path.unlink()  # left by a build that was killed mid-write; never a finished output
            continue
        if path.is_file() and not path.name.startswith(".") and relative not in claimed:
            path.unlink()
            report.removed.append(relative)
            progress(f"removed {relative} (no flow produces it)", 0, 0)


def _write_docs(catalog: Catalog, manifest: Manifest) -> None:
    from diagram_dsl.catalog_page import render_catalog_page

    page = catalog.project.page
    if page is None:
        return
    text = render_catalog_page(catalog)
    atomic_write_text(catalog.root / page.path, text)
    manifest.docs[page.path.as_posix()] = sha256_bytes(text.encode("utf-8"))
