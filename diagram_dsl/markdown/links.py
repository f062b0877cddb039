"""Image links into the generated diagrams: they must exist and show the flow their section is about.

The user's own document linked 19 of 20 diagrams under names that no flow produces
(``2-login-with-database-read.png`` under "User Registration Flow"). Names come from
each flow's title, so a link is judged against the catalog, not just the disk.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from diagram_dsl.catalog import Catalog, LoadedFlow
from diagram_dsl.fsutil import atomic_write_text
from diagram_dsl.markdown.scan import ImageLink, image_links
from diagram_dsl.naming import slugify
from diagram_dsl.project import Project, output_stem


@dataclass(frozen=True)
class LinkProblem:
    file: Path
    line: int
    code: str  # DOC200 no such diagram, DOC201 wrong flow for the section, DOC202 path does not resolve
    message: str
    target: str
    fixed_target: str | None  # what --fix writes, None when the right flow cannot be told


def _flow_named(text: str, catalog: Catalog) -> LoadedFlow | None:
    """The flow a heading or alt text names: ``"2. User Registration Flow"`` -> flow 2."""
    stripped = re.sub(r"^\s*\d+\s*[.)]\s*", "", text)
    slug = slugify(stripped)
    if not slug:
        return None
    for flow in catalog.flows:
        if flow.metadata.slug == slug:
            return flow
    return None


def _expected_flow(link: ImageLink, catalog: Catalog) -> LoadedFlow | None:
    for heading in reversed(link.headings):
        flow = _flow_named(heading.text, catalog)
        if flow is not None:
            return flow
    return _flow_named(link.alt, catalog)


def _produced(catalog: Catalog) -> dict[str, LoadedFlow]:
    names: dict[str, LoadedFlow] = {}
    for flow in catalog.flows:
        for extension in ("png", "svg"):
            names[f"{output_stem(flow.metadata)}.{extension}"] = flow
    return names


def _resolves(md_file: Path, target: str, root: Path) -> bool:
    relative = target.split("#", 1)[0].split("?", 1)[0]
    return (md_file.parent / relative).exists() or (root / relative.lstrip("/")).exists()


def _retarget(target: str, md_file: Path, project: Project, flow: LoadedFlow, extension: str) -> str:
    """Swap the file name; if the folder part does not resolve either, point at the real folder from this file."""
    name = f"{output_stem(flow.metadata)}.{extension}"
    folder = posixpath.dirname(target)
    candidate = f"{folder}/{name}" if folder else name
    if _resolves(md_file, candidate, project.root) or not (project.output_dir / name).exists():
        return candidate
    return Path(os.path.relpath(project.output_dir / name, md_file.parent)).as_posix()


def check_links(md_file: Path, text: str, catalog: Catalog) -> list[LinkProblem]:
    root = catalog.root
    markers = catalog.project.diagram_link_markers()
    produced = _produced(catalog)
    problems: list[LinkProblem] = []
    for link in image_links(text):
        if not any(marker in link.target.replace("\\", "/") for marker in markers):
            continue
        name = posixpath.basename(link.target.split("#", 1)[0].split("?", 1)[0])
        extension = name.rsplit(".", 1)[-1] if "." in name else "png"
        expected = _expected_flow(link, catalog)
        linked = produced.get(name)
        fix = None if expected is None else _retarget(link.target, md_file, catalog.project, expected, extension)
        if linked is None:
            hint = (f"; the section is about flow {expected.metadata.number} ({expected.metadata.title})"
                    if expected else "")
            problems.append(LinkProblem(md_file, link.line, "DOC200",
                                        f"image {link.target!r} is not a diagram any flow produces{hint}",
                                        link.target, fix))
        elif expected is not None and linked is not expected:
            problems.append(LinkProblem(
                md_file, link.line, "DOC201",
                f"image {link.target!r} shows flow {linked.metadata.number} ({linked.metadata.title}) but the "
                f"section is about flow {expected.metadata.number} ({expected.metadata.title})", link.target, fix))
        elif not _resolves(md_file, link.target, root):
            right = _retarget(link.target, md_file, catalog.project, linked, extension)
            problems.append(LinkProblem(md_file, link.line, "DOC202",
                                        f"image {link.target!r} does not resolve from this file (run make diagrams?)",
                                        link.target, right if right != link.target else None))
    return problems


def fix_links(md_file: Path, text: str, problems: list[LinkProblem]) -> int:
    """Rewrite each fixable link target on its line; returns how many were rewritten."""
    lines = text.splitlines(keepends=True)
    fixed = 0
    for problem in problems:
        if problem.fixed_target is None or problem.file != md_file:
            continue
        line = lines[problem.line - 1]
        if problem.target in line:
            lines[problem.line - 1] = line.replace(f"({problem.target}", f"({problem.fixed_target}", 1).replace(
                f"src=\"{problem.target}\"", f"src=\"{problem.fixed_target}\"", 1)
            fixed += 1
    if fixed:
        atomic_write_text(md_file, "".join(lines))
    return fixed
