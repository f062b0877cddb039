"""Which flows ``serve`` and ``watch`` follow: the project's sources folder, or the FLOW arguments given.

A FLOW argument is a source file anywhere (with or without a project around it), or a flow of the
project named by its number, slug or file stem — matched on file names, so no flow module runs here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from diagram_dsl.errors import DiagramDslError
from diagram_dsl.project import DEFAULT_LOAD_TIMEOUT, load_project


class TargetError(DiagramDslError):
    """A FLOW argument names nothing that can be previewed, or there is no project to preview."""


@dataclass(frozen=True)
class Targets:
    root: Path  # what findings' file names are relative to
    files: tuple[Path, ...]  # flows named on the command line
    folder: Path | None  # the sources folder, when no flow was named
    load_timeout: float


def _by_name(sources: list[Path], key: str) -> Path | None:
    for path in sources:
        match = re.match(r"^(\d+)_(.*)$", path.stem)
        number, slug = (match.group(1), match.group(2).replace("_", "-")) if match else ("", path.stem)
        if key in (path.stem, path.name, slug) or (key.isdigit() and number and int(key) == int(number)):
            return path
    return None


def resolve_targets(root: Path, flows: tuple[str, ...]) -> Targets:
    if not flows:
        project = load_project(root)
        if not project.sources_dir.is_dir():
            raise TargetError(f"{project.root} has no {project.sources}/ folder: run inside a diagram-dsl project, "
                              "pass --root PATH, or name flow files: `diagram-dsl serve sketch.py`")
        return Targets(project.root, (), project.sources_dir, project.load_timeout)
    project = load_project(root)
    files: list[Path] = []
    for key in flows:
        candidate = Path(key)
        for path in (candidate, project.root / candidate):
            if path.is_file():
                files.append(path.resolve())
                break
        else:
            found = _by_name(project.source_files(), key)
            if found is None:
                raise TargetError(f"{key}: no such file, and no flow in {project.sources}/ with that number, slug "
                                  "or file name")
            files.append(found.resolve())
    for path in files:
        if path.suffix != ".py":
            raise TargetError(f"{path}: a flow is a Python file (.py)")
    inside = all(path.is_relative_to(project.root) for path in files)
    root_shown = project.root if inside or project.sources_dir.is_dir() else Path.cwd().resolve()
    timeout = project.load_timeout if project.sources_dir.is_dir() else DEFAULT_LOAD_TIMEOUT
    return Targets(root_shown, tuple(dict.fromkeys(files)), None, timeout)
