"""Flow discovery: every flow module of a project, loaded into models.

Where sources and outputs live is the project's business (``diagram_dsl.project``). Loading runs
each ``sources/*.py`` module in isolation and collects the one ``Flow``
it defines. Nothing is validated or rendered here. A module that fails is reported
with its file and line; the other flows still load.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from diagram_dsl.dsl import Flow
from diagram_dsl.dsl.location import display_path, display_paths_relative_to
from diagram_dsl.errors import DiagramDslError, LoadError
from diagram_dsl.model import FlowModel, Location, Metadata
from diagram_dsl.naming import is_safe_slug
from diagram_dsl.project import Project, load_project, output_stem


@dataclass(frozen=True)
class LoadedFlow:
    path: Path  # absolute path of the source module
    model: FlowModel

    @property
    def metadata(self) -> Metadata:
        return self.model.metadata


@dataclass(frozen=True)
class Catalog:
    project: Project
    flows: tuple[LoadedFlow, ...]
    errors: tuple[LoadError, ...]

    @property
    def root(self) -> Path:
        return self.project.root

    def find(self, key: str) -> LoadedFlow | None:
        """A flow by number, slug, ``<n>-<slug>`` stem or source file name."""
        for flow in self.flows:
            meta = flow.metadata
            if key in (str(meta.number), meta.slug, output_stem(meta), flow.path.name, flow.path.stem):
                return flow
        return None


def load_catalog(root_or_project: Path | Project) -> Catalog:
    """Every flow of a project, given its root folder or its settings when already read."""
    project = root_or_project if isinstance(root_or_project, Project) else load_project(root_or_project)
    root = project.root
    flows: list[LoadedFlow] = []
    errors: list[LoadError] = []
    numbers: dict[int, LoadedFlow] = {}
    slugs: dict[str, LoadedFlow] = {}
    with display_paths_relative_to(root):
        for path in project.source_files():
            try:
                flow = load_flow_file(path)
            except LoadError as error:
                errors.append(error)
                continue
            meta = flow.metadata
            where = meta.location
            clash = numbers.get(meta.number) or slugs.get(meta.slug)
            if clash is not None:
                errors.append(LoadError(
                    f"flow number {meta.number} / slug {meta.slug!r} is already used by "
                    f"{display_path(str(clash.path))}", where, hint="give this flow a free number and title"))
                continue
            numbers[meta.number] = flow
            slugs[meta.slug] = flow
            flows.append(flow)
    flows.sort(key=lambda f: f.metadata.number)
    return Catalog(project, tuple(flows), tuple(errors))


def load_flow_file(path: Path) -> LoadedFlow:
    """Run one source module and return its flow, or raise ``LoadError`` naming file and line."""
    shown = display_path(str(path))
    module_name = f"_diagram_dsl_source_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise LoadError("cannot be loaded as a Python module", Location(shown, 1))
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except DiagramDslError as error:
        raise LoadError(error.message, error.location or Location(shown, 1), hint=error.hint) from None
    except SyntaxError as error:
        raise LoadError(f"syntax error: {error.msg}", Location(shown, error.lineno or 1)) from None
    except Exception as error:  # noqa: BLE001 - any failure in user code becomes a located message
        raise LoadError(f"{type(error).__name__}: {error}", Location(shown, _failing_line(error, path))) from None
    finally:
        sys.modules.pop(module_name, None)
    found = [value for value in vars(module).values() if isinstance(value, Flow)]
    if not found:
        raise LoadError("defines no flow", Location(shown, 1), hint="assign `flow = Flow(...)` at module level")
    if len(found) > 1:
        raise LoadError(f"defines {len(found)} flows; one module holds one flow", Location(shown, 1),
                        hint="move the others into their own files")
    try:
        model = found[0].build()
    except DiagramDslError as error:
        raise LoadError(error.message, error.location or Location(shown, 1), hint=error.hint) from None
    if not is_safe_slug(model.metadata.slug):
        raise LoadError(f"unsafe slug {model.metadata.slug!r}", model.metadata.location,
                        hint="a slug is lowercase letters and digits joined by single hyphens")
    return LoadedFlow(path.resolve(), model)


def _failing_line(error: BaseException, path: Path) -> int:
    line = 1
    target = str(path.resolve())
    for frame in traceback.extract_tb(error.__traceback__):
        if str(Path(frame.filename).resolve()) == target and frame.lineno:
            line = frame.lineno
    return line
