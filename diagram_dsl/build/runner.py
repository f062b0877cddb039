"""Run a build: validate, emit and render the stale flows, write every file atomically.

Flows with validator errors are not rendered; the others still are. Work is spread over
processes for the native renderer; tool-backed renderers share one session (one server,
one browser) in this process.

What a build promises:
- One build at a time per checkout (``project_lock``); a second one waits, then finds nothing to do.
- The manifest records the hash of the source bytes that were run, and is written last: an edit saved
  while a build runs, or a build killed at any point, leaves the affected flows stale, never "built".
- It deletes only outputs the previous manifest says it wrote (and that still hold what it wrote),
  directly inside the output folder, never through a symlink; plus temp files of its own killed writes.
- A flow that fails to load keeps its outputs and its manifest entry, and the catalog page stays as it
  was until every flow loads again.
- A file that cannot be written (read-only folder, disk full, file-size limit) stops the build with one
  line naming the path and the OS error; nothing is half-written and the old manifest stays.
- A build with another renderer than the project's (``project.renderer``) is a preview: it writes into
  a git-ignored folder beside the outputs (``Project.preview``) and never touches the committed files.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from diagram_dsl.build.fingerprint import sha256_bytes
from diagram_dsl.build.manifest import FlowEntry, Manifest
from diagram_dsl.build.staleness import BuildPlan, Status, plan_build
from diagram_dsl.errors import DiagramDslError
from diagram_dsl.fsutil import atomic_write_bytes, project_lock, read_regular_file
from diagram_dsl.model import FlowModel
from diagram_dsl.project import PICTURE_FORMATS, Project, load_project, output_stem
from diagram_dsl.renderers.base import RenderError, RenderOptions, get_renderer

if TYPE_CHECKING:
    from diagram_dsl.catalog import Catalog, LoadedFlow

# A build with nothing to do decides so from hashes alone; the loader, the emitters and the process pool are
# imported only when something is rebuilt (see _Build.run and the functions below).

Progress = Callable[[str, int, int], None]  # (what happened, flows rendered so far, flows to render)
PREVIEW_IGNORE = "# diagram-dsl preview outputs (a renderer other than the project's): never committed\n*\n"


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)  # one located line per problem
    warnings: list[str] = field(default_factory=list)  # validator warnings of the flows validated by this build
    notes: list[str] = field(default_factory=list)  # worth knowing, not failures (e.g. an unusable manifest)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    output_dir: str = ""  # where the outputs went, posix relative to the root (a preview folder for previews)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        warned = f", {len(self.warnings)} warning(s)" if self.warnings else ""
        return (f"built {len(self.built)}, unchanged {self.unchanged}, failed {len(self.failed)}, "
                f"removed {len(self.removed)}{warned} in {self.seconds:.2f} s")


class BuildWriteError(Exception):
    """A file could not be written; the build stops and says which and why, in one line."""

    def __init__(self, project: Project, path: Path, error: OSError) -> None:
        try:
            shown = project.relative(path)
        except ValueError:
            shown = str(path)
        reason = error.strerror or str(error)
        number = f" [Errno {error.errno}]" if error.errno else ""
        super().__init__(f"{shown}: error: cannot write: {reason}{number}; nothing was half-written and the flows "
                         "it concerns stay stale")


Pictures = dict[str, tuple[bytes, bytes]]  # theme -> (PNG, SVG) of one flow


def render_outputs(flow: FlowModel, files: dict[tuple[str, str | None], Path], pictures: Pictures
                   ) -> dict[Path, bytes]:
    """The bytes of each output asked for in ``files`` ((format, theme) -> path)."""
    from diagram_dsl.emit import emit_mermaid, emit_plantuml

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
    if _in_workers(renderer_name, jobs, flows):
        yield from _rendered_by_workers(renderer_name, flows, options, jobs, themes)
        return
    if len(themes) == 1:
        for flow, result in _rendered(renderer_name, flows, replace(options, theme=themes[0])):
            yield flow, result if isinstance(result, str) else {themes[0]: result}
        return
    per_theme = [list(_rendered(renderer_name, flows, replace(options, theme=theme))) for theme in themes]
    for index, flow in enumerate(flows):
        results = [rendered[index][1] for rendered in per_theme]
        error = next((result for result in results if isinstance(result, str)), None)
        yield flow, error if error is not None else {
            theme: result for theme, result in zip(themes, results, strict=True) if not isinstance(result, str)}


def _render_in_worker(task: tuple[str, FlowModel, RenderOptions, tuple[str, ...]]) -> Pictures | str:
    """One flow in every theme, one after the other in this worker: the text shaping and glyph masks, which carry no
    colour, are made once for all its themes instead of once per theme in another cold worker."""
    renderer_name, flow, options, themes = task
    pictures: Pictures = {}
    for theme in themes:
        try:
            with get_renderer(renderer_name).session(replace(options, theme=theme)) as session:
                rendered = session.render(flow)
        except RenderError as error:
            return str(error)
        except Exception as error:  # noqa: BLE001 - a renderer bug fails this flow with a message, not the build
            return _internal_error(flow, error)
        pictures[theme] = (rendered.png, rendered.svg)
    return pictures


def _internal_error(flow: FlowModel, error: Exception) -> str:
    return (f"{flow.metadata.location}: internal renderer error ({type(error).__name__}: {error}); the other flows "
            "were built — please report this with the flow attached")


class _SessionFailed(Exception):
    """The renderer's tool could not be started, or its workers died; the rest of this batch was not rendered."""


def _rendered(
    renderer_name: str, flows: list[LoadedFlow], options: RenderOptions
) -> Iterator[tuple[LoadedFlow, tuple[bytes, bytes] | str]]:
    """The flows drawn one after the other through one session of the renderer, in this process."""
    try:
        with get_renderer(renderer_name).session(options) as session:
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
        raise _SessionFailed(f"error: renderer {renderer_name!r} failed: {error}") from None


def _in_workers(renderer_name: str, jobs: int, flows: list[LoadedFlow]) -> bool:
    """Native flows are drawn by worker processes; tool-backed renderers share one session in this process."""
    return renderer_name == "native" and jobs > 1 and len(flows) > 1


def _rendered_by_workers(
    renderer_name: str, flows: list[LoadedFlow], options: RenderOptions, jobs: int, themes: tuple[str, ...]
) -> Iterator[tuple[LoadedFlow, Pictures | str]]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=min(jobs, len(flows))) as pool:
        futures = [pool.submit(_render_in_worker, (renderer_name, flow.model, options, themes)) for flow in flows]
        for index, (flow, future) in enumerate(zip(flows, futures, strict=True)):
            try:
                result = future.result()
            except BrokenProcessPool:
                for pending in futures:
                    pending.cancel()
                left = len(flows) - index
                raise _SessionFailed(
                    f"{flow.metadata.location.file}: error: a render worker was killed while drawing this flow; "
                    f"{left} flow(s) were not rendered and keep their old outputs — run the build again") from None
            yield flow, result


def _preload(renderer_name: str) -> None:
    """Import the validator, the emitters and the renderer's drawing code now, once: render workers forked later
    inherit them instead of each importing them again."""
    import importlib

    import diagram_dsl.emit
    import diagram_dsl.validate  # noqa: F401 - imported for its side effect: loaded once, before any fork

    try:
        module = importlib.import_module(f"diagram_dsl.renderers.{renderer_name}")
    except ImportError:
        return  # a renderer registered by name only (tests, plugins): nothing to preload
    preload = getattr(module, "preload", None)
    if callable(preload):
        preload()


def run_build(
    root_or_project: Path | Project, *, renderer_name: str | None = None, options: RenderOptions | None = None,
    jobs: int | None = None, force: bool = False, progress: Progress = lambda line, done, total: None,
) -> BuildReport:
    """Build what changed. ``renderer_name`` defaults to the project's; another one gives a preview build."""
    started = time.perf_counter()
    project = root_or_project if isinstance(root_or_project, Project) else load_project(root_or_project)
    renderer_name = renderer_name or project.renderer
    target = project if renderer_name == project.renderer else project.preview(renderer_name)
    with project_lock(project.root):
        report = _Build(target, renderer_name, options or RenderOptions(), jobs or os.cpu_count() or 1, force,
                        progress).run(preview=target is not project)
    report.seconds = time.perf_counter() - started
    return report


def _options_label(options: RenderOptions) -> str:
    """Render options that change the pictures, when they are not the defaults ``make diagrams`` uses.

    Recorded with the renderer's version, so outputs drawn with ``--scale 2`` read as stale to a ``check``
    that expects the project's defaults, instead of passing as if they were the committed look.
    """
    default = RenderOptions()
    changed = [f"{name} {getattr(options, name)}" for name in ("scale", "wrap_width")
               if getattr(options, name) != getattr(default, name)]
    return f" ({', '.join(changed)})" if changed else ""


class _Build:
    """One locked build of ``project`` (the real one, or a preview folder)."""

    def __init__(self, project: Project, renderer_name: str, options: RenderOptions, jobs: int, force: bool,
                 progress: Progress) -> None:
        self.project = project
        self.renderer_name = renderer_name
        self.options = options
        self.jobs = jobs
        self.force = force
        self.progress = progress
        self.report = BuildReport(output_dir=project.output.as_posix())

    def run(self, *, preview: bool) -> BuildReport:
        project, report = self.project, self.report
        if preview:
            self._prepare_preview()
        version = get_renderer(self.renderer_name).version() + _options_label(self.options)
        plan = plan_build(project, self.renderer_name, version)
        if plan.manifest.problem:
            report.notes.append(f"note: {plan.manifest.problem}; every flow is rebuilt and no output is deleted "
                                "on its word")
        if plan.up_to_date and not self.force:
            report.unchanged = len(plan.flows)
            return report
        self._remove_leftovers(plan)
        from diagram_dsl.catalog import start_catalog

        with start_catalog(project) as pending:
            _preload(self.renderer_name)  # while the flow modules load in their workers
            catalog = pending.wait()
        report.failed.extend(f"{e.location}: error {e.code} {e.message}" + (f" ({e.hint})" if e.hint else "")
                             for e in catalog.errors)
        manifest = Manifest(self.renderer_name, version, plan.code_hash)
        clashing = self._clashes(catalog)
        to_build = self._validated(plan, catalog, manifest, clashing)
        try:
            # only the pictures the project keeps: a PNG-only project draws no SVG to throw away
            options = replace(self.options, pictures=tuple(f for f in PICTURE_FORMATS if f in project.formats))
            self._write_rendered(
                _rendered_in_themes(self.renderer_name, to_build, options, self.jobs, project.themes),
                manifest, len(to_build))
        except _SessionFailed as error:
            report.failed.append(str(error))
        except BuildWriteError as error:
            report.failed.append(str(error))
            return report  # the old manifest stays: everything this build touched reads as stale
        # A flow that failed keeps its previous entry: its old outputs stay (and stay stale) instead of vanishing.
        for flow_plan in plan.flows:
            old = plan.manifest.flows.get(flow_plan.source)
            if flow_plan.source not in manifest.flows and old is not None:
                manifest.flows[flow_plan.source] = old
        try:
            self._remove_orphans(plan, manifest)
            self._write_page(catalog, plan, manifest, held=bool(catalog.errors or clashing))
            self._write(project.manifest_path, manifest.to_json().encode("utf-8"))
        except BuildWriteError as error:
            report.failed.append(str(error))
        return report

    def _prepare_preview(self) -> None:
        folder = self.project.output_dir
        self._write(folder / ".gitignore", PREVIEW_IGNORE.encode("utf-8"))
        self.report.notes.append(f"note: preview with {self.renderer_name}: outputs go to {self.project.output}/ "
                                 "(git-ignored); the committed outputs come from the project's renderer "
                                 "([tool.diagram-dsl] renderer)")

    def _remove_leftovers(self, plan: BuildPlan) -> None:
        """Temp files of writes that were killed: no other build is writing now (we hold the lock)."""
        for relative in plan.leftovers:
            with contextlib.suppress(FileNotFoundError):
                (self.project.root / relative).unlink()
            self.progress(f"removed {relative} (left by an interrupted build)", 0, 0)

    def _clashes(self, catalog: Catalog) -> dict[str, list[str]]:
        """Findings for flows that share a number or slug with an earlier one, by source (these are not built)."""
        from diagram_dsl.validate.rules_metadata import check_duplicates  # late: a no-op build never needs it

        clashing: dict[str, list[str]] = {}
        for finding in check_duplicates(flow.metadata for flow in catalog.flows):
            clashing.setdefault(finding.location.file, []).append(str(finding))
        return clashing

    def _validated(self, plan: BuildPlan, catalog: Catalog, manifest: Manifest, clashing: dict[str, list[str]]
                   ) -> list[LoadedFlow]:
        """The flows to render; fresh ones keep their entries, invalid ones are reported and skipped."""
        from diagram_dsl.validate import Severity, validate  # imported late: a no-op build never needs networkx

        root, report = self.project.root, self.report
        statuses = {p.source: p for p in plan.flows}
        to_build: list[LoadedFlow] = []
        for flow in sorted(catalog.flows, key=lambda f: f.path):
            key = flow.path.relative_to(root).as_posix()
            flow_plan, old = statuses.get(key), plan.manifest.flows.get(key)
            if not self.force and flow_plan is not None and flow_plan.status is Status.FRESH and old is not None \
                    and key not in clashing:
                manifest.flows[key] = old
                report.unchanged += 1
                continue
            findings = validate(flow.model.diagram, flow.metadata, allow=flow.metadata.allow)
            errors = [str(f) for f in findings if f.severity is Severity.ERROR] + clashing.get(key, [])
            report.warnings.extend(str(f) for f in findings if f.severity is Severity.WARNING)
            if errors:
                report.failed.extend(errors)
                self.progress(f"not rendered: {key} has {len(errors)} error(s)", 0, 0)
                continue
            to_build.append(flow)
        return to_build

    def _write(self, path: Path, data: bytes) -> None:
        try:
            atomic_write_bytes(path, data)
        except OSError as error:
            raise BuildWriteError(self.project, path, error) from None

    def _write_rendered(self, results: Iterator[tuple[LoadedFlow, Pictures | str]], manifest: Manifest,
                        total: int) -> None:
        project, report, root = self.project, self.report, self.project.root
        for flow, result in results:
            key = flow.path.relative_to(root).as_posix()
            if isinstance(result, str):
                located = result if result.startswith(key) else f"{key}: error: {result}"
                report.failed.append(located)
                self.progress(f"failed: {located}", len(report.built), total)
                continue
            outputs = render_outputs(flow.model, project.output_files(flow.metadata), result)
            for path, data in outputs.items():
                self._write(path, data)
            # The hash of the bytes that were run, not of the file now: an edit saved meanwhile stays stale.
            manifest.flows[key] = FlowEntry(
                key, flow.source_hash, flow.metadata.number, flow.metadata.slug,
                {project.relative(p): sha256_bytes(d) for p, d in sorted(outputs.items())})
            report.built.append(key)
            self.progress(f"built {output_stem(flow.metadata)}", len(report.built), total)

    def _remove_orphans(self, plan: BuildPlan, manifest: Manifest) -> None:
        """Delete outputs the previous manifest says this tool wrote and no flow claims now — if they still hold
        what was written. Paths come from a checked manifest: directly inside the output folder; never followed."""
        claimed = {output for entry in manifest.flows.values() for output in entry.outputs}
        for entry in plan.manifest.flows.values():
            for relative, digest in sorted(entry.outputs.items()):
                if relative in claimed:
                    continue
                path = self.project.root / relative
                try:
                    data = read_regular_file(path)
                except OSError:
                    data = b""  # a symlink, folder or unreadable file is not what we wrote: leave it
                if data is None:
                    continue
                if sha256_bytes(data) != digest:
                    self.report.notes.append(f"{relative}: note: not removed although no flow produces it any "
                                             "more: it changed after diagram-dsl wrote it")
                    continue
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                self.report.removed.append(relative)
                self.progress(f"removed {relative} (no flow produces it)", 0, 0)

    def _write_page(self, catalog: Catalog, plan: BuildPlan, manifest: Manifest, *, held: bool) -> None:
        from diagram_dsl.catalog_page import render_catalog_page

        page = self.project.page
        if page is None:
            return
        shown = page.path.as_posix()
        if held:
            # Writing it now would drop the sections of the flows that did not load (or merge two flows into one
            # number): keep the page as it was until they are fixed.
            manifest.docs.update(plan.manifest.docs)
            self.report.failed.append(f"{shown}: error: catalog page kept as it was: some flows could not be loaded "
                                      "or share a number or slug (see above); it is rewritten once they are fixed")
            return
        try:
            text = render_catalog_page(catalog)
        except DiagramDslError as error:  # e.g. a score out of range: the page waits, the built flows are kept
            manifest.docs.update(plan.manifest.docs)
            self.report.failed.append(f"{error.location}: error: catalog page not written: {error.message}")
            return
        self._write(self.project.root / page.path, text.encode("utf-8"))
        manifest.docs[shown] = sha256_bytes(text.encode("utf-8"))
