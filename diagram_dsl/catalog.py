"""Flow discovery: every flow module of a project, loaded into models.

Where sources and outputs live is the project's business (``diagram_dsl.project``). Each
``sources/*.py`` module runs in its own worker process (``diagram_dsl.loading``) and hands back
the one ``Flow`` it defines; nothing is validated or rendered here. A module that fails is
reported with its file and line (SEQ000), a flow that cannot be named — empty title, a number out
of range — with SEQ160; the other flows still load. Two flows sharing a number or slug both load:
the validator reports the clash and both are still checked.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

from diagram_dsl.dsl.location import display_paths_relative_to
from diagram_dsl.errors import LoadError
from diagram_dsl.loading import Failure, LoadBatch, Loaded, load_isolated
from diagram_dsl.model import FlowModel, Metadata
from diagram_dsl.naming import is_safe_slug
from diagram_dsl.project import DEFAULT_LOAD_TIMEOUT, Project, load_project, output_stem

__all__ = ["Catalog", "LoadedFlow", "PendingCatalog", "load_catalog", "load_flow_file", "number_from_file_name",
           "output_stem", "start_catalog"]

MAX_FLOW_NUMBER = 999_999  # numbers name files (``<n>-<slug>.png``); a bound keeps every name short and valid
_NUMBERED_FILE = re.compile(r"^(\d{1,6})_")


@dataclass(frozen=True)
class LoadedFlow:
    path: Path  # absolute path of the source module
    model: FlowModel
    source_hash: str = ""  # sha256 of exactly the bytes that were run to build ``model``

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
    with start_catalog(root_or_project) as pending:
        return pending.wait()


def start_catalog(root_or_project: Path | Project) -> PendingCatalog:
    """Start loading every flow of a project; ``wait()`` for the catalog (use it as a context manager)."""
    project = root_or_project if isinstance(root_or_project, Project) else load_project(root_or_project)
    return PendingCatalog(project)


class PendingCatalog:
    """A project's flow modules loading in their workers, so the caller can do other work meanwhile."""

    def __init__(self, project: Project) -> None:
        self.project = project
        with display_paths_relative_to(project.root):  # the workers inherit it: locations relative to the root
            self._paths = project.source_files()
            self._batch = LoadBatch(self._paths, project.load_timeout)

    def __enter__(self) -> PendingCatalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self._batch.close()

    def wait(self) -> Catalog:
        flows: list[LoadedFlow] = []
        errors: list[LoadError] = []
        with display_paths_relative_to(self.project.root):
            for path, outcome in zip(self._paths, self._batch.outcomes(), strict=True):
                try:
                    flows.append(_named(path, outcome, standalone=False))
                except LoadError as error:
                    errors.append(error)
        flows.sort(key=lambda f: f.metadata.number)
        return Catalog(self.project, tuple(flows), tuple(errors))


def load_flow_file(path: Path, *, timeout: float = DEFAULT_LOAD_TIMEOUT) -> LoadedFlow:
    """One flow module anywhere, in or out of a project; raise ``LoadError`` naming file and line.

    A flow outside a project needs no number: it is only checked, never built.
    """
    (outcome,) = load_isolated([path.absolute()], timeout)
    return _named(path.absolute(), outcome, standalone=True)


def number_from_file_name(path: Path) -> int | None:
    """``12_order_refund.py`` -> 12: the number a flow gets when ``Flow()`` has no ``number=``."""
    match = _NUMBERED_FILE.match(path.name)
    return int(match.group(1)) if match else None


def _named(path: Path, outcome: Loaded | Failure, *, standalone: bool) -> LoadedFlow:
    """The loaded flow with its number settled, or the LoadError saying why it cannot be used."""
    if isinstance(outcome, Failure):
        raise LoadError(outcome.message, outcome.location, hint=outcome.hint, code=outcome.code)
    meta = outcome.model.metadata
    number = meta.number
    if not outcome.number_given:
        number = number_from_file_name(path) or (1 if standalone else 0)  # only checked, so any number does
        if number == 0:
            raise LoadError("the flow has no number", meta.location, code="SEQ160",
                            hint=f"pass Flow(number=N, ...) or name the file NN_{path.name.lstrip('_0123456789')}")
    if not meta.title.strip():
        raise LoadError("title is empty", meta.location, code="SEQ160",
                        hint="give Flow(title=...) a few words; the slug and the output names come from it")
    if not 1 <= number <= MAX_FLOW_NUMBER:
        raise LoadError(f"flow number {_describe_number(number)} is out of range", meta.location, code="SEQ160",
                        hint=f"use a whole number from 1 to {MAX_FLOW_NUMBER}")
    if not is_safe_slug(meta.slug):
        what = f"title {meta.title!r} gives no usable slug" if not meta.slug else f"unsafe slug {meta.slug!r}"
        raise LoadError(what, meta.location, code="SEQ160",
                        hint="a slug is lowercase letters and digits joined by single hyphens, from the title or "
                             "slug=")
    model = outcome.model if number == meta.number else replace(outcome.model, metadata=replace(meta, number=number))
    return LoadedFlow(path.resolve(), model, outcome.source_hash)


def _describe_number(number: int) -> str:
    """The number as written, or its size when printing it would be silly (or, past 4,300 digits, refused)."""
    if abs(number) < 10**12:
        return str(number)
    return f"{'-' if number < 0 else ''}(about {math.floor(math.log10(abs(number))) + 1} digits)"
