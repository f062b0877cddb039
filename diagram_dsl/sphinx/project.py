"""What the directive and the link check share: the project's flows for this Sphinx process, warnings in the
Sphinx way, and pictures placed where Sphinx collects images from.

Everything here is per process and keyed by the project, so parallel reading (``-j``) is safe: workers load the
flows themselves, and pictures are written atomically under the doctree folder, so two workers writing the
same picture write the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from diagram_dsl.catalog import LoadedFlow
from diagram_dsl.embed.pictures import PictureStore, Wanted
from diagram_dsl.embed.site import FAIL_LEVELS, DocsFlows, docs_flows, find_root
from diagram_dsl.errors import DiagramDslError
from diagram_dsl.fsutil import atomic_write_bytes
from diagram_dsl.project import PICTURE_FORMATS, RENDERERS, load_project
from diagram_dsl.project import output_stem as stem_of

logger = logging.getLogger("diagram_dsl.sphinx")
CACHE_FOLDER = "diagram-dsl"  # under the doctree folder: pictures drawn for this build

_stores: dict[tuple[Path, str | None], PictureStore] = {}


def flows_for(env: BuildEnvironment) -> DocsFlows:
    configured = env.config.diagram_dsl_root
    root = Path(env.srcdir, configured).resolve() if configured else find_root(Path(env.srcdir))
    if env.config.diagram_dsl_fail_on not in FAIL_LEVELS:
        raise ExtensionError(f"diagram_dsl_fail_on must be one of {', '.join(FAIL_LEVELS)}")
    if env.config.diagram_dsl_renderer not in (None, *RENDERERS):
        raise ExtensionError(f"diagram_dsl_renderer must be one of {', '.join(RENDERERS)}")
    try:
        return docs_flows(load_project(root))
    except DiagramDslError as error:
        raise ExtensionError(f"diagram-dsl: {error}") from None


def note_sources(env: BuildEnvironment, flows: DocsFlows, flow: LoadedFlow) -> None:
    """Editing the flow (or a helper it may import, or the settings) re-reads the page."""
    env.note_dependency(str(flow.path))
    for helper in flows.project.shared_source_helpers():
        env.note_dependency(str(helper))


def place_pictures(env: BuildEnvironment, flows: DocsFlows, flow: LoadedFlow, theme: str, fmt: str | None
                   ) -> str | None:
    """Write the flow's picture(s) under the doctree folder; the image URI for the current document.

    Without a format both SVG and PNG are written and the URI ends in ``.*``: each builder picks its best.
    """
    renderer = env.config.diagram_dsl_renderer
    store = _stores.setdefault((flows.project.root, renderer), PictureStore(renderer))
    formats = (fmt,) if fmt else PICTURE_FORMATS
    wanted: list[Wanted] = [(flow, theme, each) for each in formats]
    pictures, problems = store.pictures(flows.project, wanted)
    for problem in problems:
        logger.warning(problem, type="diagram-dsl", subtype="render")
    if len(pictures) != len(wanted):
        return None
    folder = Path(env.doctreedir) / CACHE_FOLDER / theme
    stem = stem_of(flow.metadata)
    for (_, _, each), picture in pictures.items():
        atomic_write_bytes(folder / f"{stem}.{each}", picture.read())
    document_folder = Path(env.doc2path(env.docname)).parent
    relative = Path(os.path.relpath(folder / stem, document_folder)).as_posix()
    return f"{relative}.{fmt or '*'}"
