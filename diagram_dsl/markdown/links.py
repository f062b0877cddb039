"""Image links into the generated diagrams: they must exist and show the flow their section is about.

The user's own document linked 19 of 20 diagrams under names that no flow produces
(``2-login-with-database-read.png`` under "User Registration Flow"). Names come from
each flow's title, so a link is judged against the catalog, not just the disk.

A fix replaces exactly the bytes of each reported target and nothing else (see ``rewrite.py``).
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from diagram_dsl.catalog import Catalog, LoadedFlow
from diagram_dsl.markdown.document import MarkdownDocument
from diagram_dsl.markdown.rewrite import splice, write_back
from diagram_dsl.markdown.scan import ImageLink, image_links
from diagram_dsl.naming import slugify
from diagram_dsl.project import PICTURE_FORMATS, Project

# Characters a bare Markdown link target cannot hold: such a replacement is written as `<target>`.
_NEEDS_BRACKETS = re.compile(r"[\s()<>]")


@dataclass(frozen=True)
class LinkProblem:
    file: Path
    line: int
    code: str  # DOC200 no such diagram, DOC201 wrong flow for the section, DOC202 path does not resolve
    message: str
    target: str
    fixed_target: str | None  # what --fix writes, None when the right flow cannot be told
    start: int = 0  # the target's bytes in the file
    end: int = 0
    replacement: bytes = b""  # the bytes --fix writes there


@dataclass(frozen=True)
class _Produced:
    flow: LoadedFlow
    extension: str
    theme: str | None


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


def _produced(catalog: Catalog) -> dict[str, _Produced]:
    """Every picture file name a flow produces (all themes) -> which flow, format and theme."""
    project = catalog.project
    names: dict[str, _Produced] = {}
    for flow in catalog.flows:
        for extension in PICTURE_FORMATS:
            for theme in project.themes:
                names[project.output_path(flow.metadata, extension, theme).name] = _Produced(flow, extension, theme)
    return names


def _variant(name: str, project: Project) -> tuple[str, str | None]:
    """``(extension, theme)`` a linked file name asks for: ``7-x.dark.svg`` -> ("svg", "dark")."""
    stem, _, extension = name.rpartition(".")
    extension = extension.lower() if extension.lower() in PICTURE_FORMATS else "png"
    theme = stem.rpartition(".")[2] if "." in stem else None
    return extension, theme if theme in project.themes else None


def _resolves(md_file: Path, path: str, root: Path) -> bool:
    return (md_file.parent / path).exists() or (root / path.lstrip("/")).exists()


def _retarget(link: ImageLink, raw_target: bytes, md_file: Path, project: Project, flow: LoadedFlow,
              extension: str, theme: str | None) -> tuple[str, bytes]:
    """The right target as text and as the bytes to write: the folder part is kept byte for byte when it resolves.

    If the folder part does not resolve either, the target points at the real folder from this file.
    """
    name = project.output_path(flow.metadata, extension, theme).name
    folder = posixpath.dirname(link.path)
    candidate = f"{folder}/{name}" if folder else name
    if _resolves(md_file, candidate, project.root) or not (project.output_dir / name).exists():
        slash = raw_target.rfind(b"/")
        raw_folder = raw_target[:slash + 1] if slash >= 0 else b""
        return candidate, raw_folder + name.encode("ascii")
    relative = Path(os.path.relpath(project.output_dir / name, md_file.parent)).as_posix()
    return relative, os.fsencode(relative)


def _replacement(document: MarkdownDocument, link: ImageLink, new: bytes) -> bytes:
    """A bare Markdown target that would need brackets gets them; quoted and bracketed ones do not."""
    before = document.raw[link.start - 1:link.start]
    bare = before not in (b"<", b'"', b"'", b"=")
    return b"<" + new + b">" if bare and _NEEDS_BRACKETS.search(new.decode("latin-1")) else new


def check_links(md_file: Path, source: MarkdownDocument | str, catalog: Catalog) -> list[LinkProblem]:
    """Drifted image links of one document (a ``str`` is read as UTF-8 text)."""
    document = source if isinstance(source, MarkdownDocument) else MarkdownDocument(source.encode("utf-8"))
    project = catalog.project
    markers = project.diagram_link_markers()
    produced = _produced(catalog)
    problems: list[LinkProblem] = []
    wanted: dict[tuple[int, int], set[bytes]] = {}  # target span -> the bytes each image using it needs there
    for link in image_links(document):
        raw_target = document.raw[link.start:link.end]
        if any(marker in link.target.replace("\\", "/") for marker in markers):
            problem = _judge(link, raw_target, md_file, document, catalog, produced)
            if problem is not None:
                problems.append(problem)
                raw_target = problem.replacement or raw_target
        wanted.setdefault((link.start, link.end), set()).add(raw_target)
    # Images sharing one `[ref]: target` definition get a fix only when they all want the same target.
    return [problem if len(wanted[(problem.start, problem.end)]) == 1 else
            LinkProblem(problem.file, problem.line, problem.code,
                        problem.message + "; other images share its reference definition and need another target",
                        problem.target, None, problem.start, problem.end) for problem in problems]


def _judge(link: ImageLink, raw_target: bytes, md_file: Path, document: MarkdownDocument, catalog: Catalog,
           produced: dict[str, _Produced]) -> LinkProblem | None:
    project = catalog.project
    name = posixpath.basename(link.path)
    extension, theme = _variant(name, project)
    expected = _expected_flow(link, catalog)
    linked = produced.get(name)

    def problem(code: str, message: str, right: LoadedFlow | None) -> LinkProblem:
        fixed: tuple[str, bytes] | None = None
        if right is not None and not link.absolute:
            fixed = _retarget(link, raw_target, md_file, project, right, extension, theme)
            if fixed[0] == link.path:
                fixed = None
        return LinkProblem(md_file, link.line, code, message, link.target, fixed[0] if fixed else None,
                           link.start, link.end, _replacement(document, link, fixed[1]) if fixed else b"")

    if linked is None:
        hint = (f"; the section is about flow {expected.metadata.number} ({expected.metadata.title})"
                if expected else "")
        return problem("DOC200", f"image {link.target!r} is not a diagram any flow produces{hint}", expected)
    if expected is not None and linked.flow is not expected:
        return problem("DOC201", f"image {link.target!r} shows flow {linked.flow.metadata.number} "
                       f"({linked.flow.metadata.title}) but the section is about flow {expected.metadata.number} "
                       f"({expected.metadata.title})", expected)
    if not link.absolute and not _resolves(md_file, link.path, project.root):
        return problem("DOC202", f"image {link.target!r} does not resolve from this file (run make diagrams?)",
                       linked.flow)
    return None


def fix_links(md_file: Path, document: MarkdownDocument, problems: list[LinkProblem]) -> int:
    """Replace the bytes of each fixable target; returns how many targets were rewritten.

    Every other byte of the file stays as it was: encoding, line endings, byte-order mark, final newline.
    """
    replacements = {(p.start, p.end): p.replacement for p in problems
                    if p.fixed_target is not None and p.file == md_file and p.replacement}
    if not replacements:
        return 0
    write_back(md_file, splice(document.raw, ((start, end, new) for (start, end), new in replacements.items())))
    return len(replacements)
