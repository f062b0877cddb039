"""Image links to generated pictures inside docs sites: which picture a link names, and whether it shows the flow
its section is about (the same judgement ``diagram-dsl check`` makes for Markdown, for any markup).

Names follow the build: ``<n>-<slug>.png`` / ``.svg`` for the first theme, ``<n>-<slug>.<theme>.png`` for others.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass

from diagram_dsl.catalog import Catalog, LoadedFlow
from diagram_dsl.naming import slugify
from diagram_dsl.project import PICTURE_FORMATS, THEMES, Project


@dataclass(frozen=True)
class Named:
    flow: LoadedFlow
    theme: str
    format: str


@dataclass(frozen=True)
class Drift:
    code: str  # DOC200 no flow draws this picture, DOC201 the section is about another flow
    message: str


def picture_names(catalog: Catalog) -> dict[str, Named]:
    """Every picture file name a flow of the catalog can have, in every theme."""
    project = catalog.project
    names: dict[str, Named] = {}
    for flow in catalog.flows:
        for theme in (*project.themes, *(t for t in THEMES if t not in project.themes)):
            for fmt in PICTURE_FORMATS:
                names.setdefault(project.output_path(flow.metadata, fmt, theme).name, Named(flow, theme, fmt))
    return names


def points_at_outputs(target: str, project: Project) -> bool:
    """Whether a link target is meant as one of the project's generated pictures (by its folder name)."""
    normal = target.replace("\\", "/")
    return any(marker in normal for marker in project.diagram_link_markers())


def target_name(target: str) -> str:
    return posixpath.basename(target.split("#", 1)[0].split("?", 1)[0])


def flow_named(text: str, catalog: Catalog) -> LoadedFlow | None:
    """The flow a heading or alt text names: ``"2. User Registration Flow"`` -> flow 2."""
    slug = slugify(re.sub(r"^\s*\d+\s*[.)]\s*", "", text))
    if not slug:
        return None
    return next((flow for flow in catalog.flows if flow.metadata.slug == slug), None)


def judge(target: str, headings: Sequence[str], alt: str, catalog: Catalog,
          names: dict[str, Named] | None = None) -> tuple[Named | None, Drift | None]:
    """The picture ``target`` names (None if no flow draws it) and what is wrong with the link, if anything.

    ``headings`` are the titles of the sections around the link, outermost first.
    """
    names = picture_names(catalog) if names is None else names
    named = names.get(target_name(target))
    expected = next((flow for heading in reversed(headings) if (flow := flow_named(heading, catalog))), None)
    expected = expected or flow_named(alt, catalog)
    about = (f"; the section is about flow {expected.metadata.number} ({expected.metadata.title})"
             if expected is not None else "")
    if named is None:
        return None, Drift("DOC200", f"image {target!r} is not a diagram any flow produces{about}")
    if expected is not None and named.flow is not expected:
        meta = named.flow.metadata
        return named, Drift("DOC201", f"image {target!r} shows flow {meta.number} ({meta.title}) but the section "
                                      f"is about flow {expected.metadata.number} ({expected.metadata.title})")
    return named, None
