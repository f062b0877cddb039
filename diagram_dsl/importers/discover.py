"""Find hand-written diagrams in files and folders: ``.puml``/``.plantuml``, ``.mmd``, Markdown blocks."""

from __future__ import annotations

from pathlib import Path

from diagram_dsl.importers.markdown import code_blocks
from diagram_dsl.importers.mermaid import parse_mermaid
from diagram_dsl.importers.plantuml import parse_plantuml
from diagram_dsl.importers.result import ImportedDiagram, ImportFailure
from diagram_dsl.model import Location

PLANTUML_SUFFIXES = (".puml", ".plantuml", ".pu", ".iuml", ".wsd")
MERMAID_SUFFIXES = (".mmd", ".mermaid")
MARKDOWN_SUFFIXES = (".md", ".markdown")
SUFFIXES = PLANTUML_SUFFIXES + MERMAID_SUFFIXES + MARKDOWN_SUFFIXES
_SKIPPED_FOLDERS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache", ".ruff_cache",
                    ".pytest_cache", ".hypothesis", "build", "dist"}


def load_diagrams(path: Path, *, include_root: Path | None = None) -> list[ImportedDiagram]:
    """Every sequence diagram in ``path`` (a file, or a folder searched recursively in name order).

    Locations name files as they are reached from ``path`` (``docs/flow.md:12``). Other diagram
    types (flowcharts, class diagrams) are skipped; unreadable text gives one failure, never an
    exception. PlantUML ``!include`` reads files under ``include_root`` only (``None``: none).
    """
    if path.is_dir():
        found: list[ImportedDiagram] = []
        for file in diagram_files(path):
            found.extend(load_file(file, include_root=include_root))
        return found
    if not path.exists():
        return [_failure(path, "no such file or folder", "check the path")]
    if path.suffix.lower() not in SUFFIXES:
        return [_failure(path, f"not a diagram file ({path.suffix or 'no suffix'})",
                         "give a .puml, .plantuml, .mmd or .md file, or a folder")]
    return load_file(path, include_root=include_root)


def diagram_files(folder: Path) -> list[Path]:
    files: list[Path] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.is_dir():
            if entry.name not in _SKIPPED_FOLDERS and not entry.name.startswith(".") and not entry.is_symlink():
                files.extend(diagram_files(entry))
        elif entry.suffix.lower() in SUFFIXES and entry.is_file():  # not a FIFO: reading one would never end
            files.append(entry)
    return files


def load_file(path: Path, *, include_root: Path | None = None) -> list[ImportedDiagram]:
    shown = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [_failure(path, f"not UTF-8 text (byte {error.start})", "save the file as UTF-8")]
    except OSError as error:
        return [_failure(path, f"cannot be read: {error.strerror}", "check the file's permissions")]
    suffix = path.suffix.lower()
    if suffix in PLANTUML_SUFFIXES:
        return parse_plantuml(text, shown, include_root=include_root)
    if suffix in MERMAID_SUFFIXES:
        return parse_mermaid(text, shown)
    found: list[ImportedDiagram] = []
    for block in code_blocks(text):
        if block.language == "mermaid":
            found.extend(parse_mermaid(block.text, shown, block.first_line))
        else:
            found.extend(parse_plantuml(block.text, shown, block.first_line, include_root=include_root))
    return found


def _failure(path: Path, message: str, hint: str) -> ImportedDiagram:
    suffix = path.suffix.lower()
    language = "mermaid" if suffix in MERMAID_SUFFIXES else "plantuml" if suffix in PLANTUML_SUFFIXES else "markdown"
    location = Location(str(path), 1)
    return ImportedDiagram(location, language, None, ImportFailure(message, location, hint), replies_drawn=False)


def project_root(path: Path) -> Path:
    """The folder a PlantUML ``!include`` in ``path`` may read from: the nearest folder above it holding a
    ``pyproject.toml`` or ``.git`` (the project), else the folder ``path`` is in (or ``path`` itself)."""
    start = path.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / "pyproject.toml").is_file() or (candidate / ".git").exists():
            return candidate
    return folder
