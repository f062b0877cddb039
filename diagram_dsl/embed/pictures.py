"""The pictures a docs build shows: the committed output when it is current, else drawn once for the build.

"Current" is decided exactly as ``diagram-dsl build`` decides it (``plan_build``: hashes of the source, the code
and every recorded output), so a site never shows a stale committed picture and never needs committed ones.
What is drawn is kept in memory by the flow's model, so ``mkdocs serve`` redraws only flows that changed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from diagram_dsl.build.manifest import read_manifest
from diagram_dsl.build.staleness import Status, plan_build
from diagram_dsl.catalog import LoadedFlow
from diagram_dsl.model import FlowModel
from diagram_dsl.project import Project
from diagram_dsl.renderers.base import RenderError, RenderOptions, get_renderer

Wanted = tuple[LoadedFlow, str, str]  # (flow, theme, format)


@dataclass(frozen=True)
class Picture:
    name: str  # the file name the project's build gives it: <n>-<slug>[.<theme>].<png|svg>
    path: Path | None  # the committed output, when it is current
    data: bytes | None  # drawn for this docs build otherwise

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()


def picture_name(project: Project, flow: LoadedFlow, theme: str, fmt: str) -> str:
    return project.output_path(flow.metadata, fmt, theme).name


class PictureStore:
    """Hands out pictures for one project; one store may serve many builds (``mkdocs serve``)."""

    def __init__(self, renderer: str | None = None, options: RenderOptions | None = None) -> None:
        self.renderer = renderer
        self.options = options or RenderOptions()
        self._drawn: dict[tuple[FlowModel, str, str], tuple[bytes, bytes]] = {}
        self._lock = threading.Lock()
        self.reused = 0  # committed outputs handed out, for reports and tests
        self.rendered = 0  # flows drawn (per theme)

    def pictures(self, project: Project, wanted: Iterable[Wanted]) -> tuple[dict[Wanted, Picture], list[str]]:
        """Each wanted picture, and one located line per flow that could not be drawn."""
        renderer = self.renderer or project.renderer
        wanted = list(dict.fromkeys(wanted))
        if not wanted:
            return {}, []
        fresh = self._fresh_sources(project, renderer)
        found: dict[Wanted, Picture] = {}
        missing: list[Wanted] = []
        for item in wanted:
            flow, theme, fmt = item
            path = project.output_path(flow.metadata, fmt, theme)
            committed = (project.relative(flow.path) in fresh and fmt in project.formats and theme in project.themes
                         and path.is_file())
            if committed:
                found[item] = Picture(path.name, path, None)
                self.reused += 1
            else:
                missing.append(item)
        problems = self._draw(renderer, missing, found, project)
        return found, problems

    def _fresh_sources(self, project: Project, renderer: str) -> set[str]:
        manifest = read_manifest(project)
        if manifest.renderer != renderer:
            return set()
        # The recorded version is trusted (as `check` does when it cannot ask the tool): asking would import the
        # renderer — Pillow, fonts, a JVM's version — for nothing when every picture is current. Sources, code and
        # outputs are still compared by hash.
        plan = plan_build(project, renderer, manifest.renderer_version)
        return {flow.source for flow in plan.flows if flow.status is Status.FRESH}

    def _draw(self, renderer: str, missing: list[Wanted], found: dict[Wanted, Picture], project: Project
              ) -> list[str]:
        problems: list[str] = []
        by_theme: dict[str, list[LoadedFlow]] = {}
        for flow, theme, _ in missing:
            if (flow.model, theme, renderer) not in self._drawn and flow not in by_theme.setdefault(theme, []):
                by_theme[theme].append(flow)
        failed: set[tuple[Path, str]] = set()
        for theme, flows in by_theme.items():
            problems += self._render(renderer, theme, flows, failed)
        for item in missing:
            flow, theme, fmt = item
            if (flow.path, theme) in failed:
                continue
            png, svg = self._drawn[(flow.model, theme, renderer)]
            found[item] = Picture(picture_name(project, flow, theme, fmt), None, png if fmt == "png" else svg)
        return problems

    def _render(self, renderer: str, theme: str, flows: list[LoadedFlow], failed: set[tuple[Path, str]]
                ) -> list[str]:
        problems: list[str] = []
        options = replace(self.options, theme=theme)
        try:
            with get_renderer(renderer).session(options) as session:
                for flow in flows:
                    try:
                        rendered = session.render(flow.model)
                    except RenderError as error:
                        failed.add((flow.path, theme))
                        problems.append(_located(flow, f"cannot draw the {theme} picture: {error}"))
                        continue
                    with self._lock:
                        self._drawn[(flow.model, theme, renderer)] = (rendered.png, rendered.svg)
                        self.rendered += 1
        except RenderError as error:  # the renderer's tool could not start: one line for the batch
            for flow in flows:
                failed.add((flow.path, theme))
            problems.append(f"renderer {renderer!r} failed: {error}")
        return problems


def _located(flow: LoadedFlow, message: str) -> str:
    where = str(flow.metadata.location)
    return message if message.startswith(where) else f"{where}: {message}"
