"""Content hashes that decide whether an output is current — computed without running any flow.

A flow's outputs depend on its source file, on the project code that turns a flow into
files (model, DSL, emitters, the chosen renderer) and on the renderer's version. Hashing
files is cheap, so a build with nothing to do never imports a flow, Pillow or networkx.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import diagram_dsl
import diagram_dsl.renderers as renderers_package
from diagram_dsl.fsutil import read_regular_file

_PACKAGE = Path(diagram_dsl.__file__).resolve().parent
_RENDERERS = Path(renderers_package.__file__).resolve().parent

# What turns a source into output bytes. The validator, CLI and importers are absent on purpose:
# changing them cannot change an output.
_CODE_INPUTS = (
    _PACKAGE / "model.py",
    _PACKAGE / "model_drafts.py",
    _PACKAGE / "project.py",  # output names and the page's place
    _PACKAGE / "naming.py",
    _PACKAGE / "catalog.py",
    _PACKAGE / "dsl",
    _PACKAGE / "emit",
    _PACKAGE / "catalog_page.py",  # the catalog page is rebuilt with the outputs
    _PACKAGE / "glyphs.py",  # the pinned fonts and what the native renderer draws with them
    _RENDERERS / "base.py",
)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path, *, follow_symlinks: bool = True) -> str | None:
    """The hash of a regular file; None when it is missing or is not one (a folder, FIFO, device...)."""
    try:
        data = read_regular_file(path, follow_symlinks=follow_symlinks)
    except OSError:
        return None
    return None if data is None else sha256_bytes(data)


def _python_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
    return []


def code_fingerprint(renderer: str, shared_sources: list[Path], settings: str = "") -> str:
    """One hash over the code that shapes outputs for ``renderer``, the project's shared source helpers and the
    settings that change what is written (formats, catalog page)."""
    digest = hashlib.sha256()
    if settings:
        digest.update(b"settings:" + settings.encode() + b"\0")
    inputs = [*_CODE_INPUTS, _RENDERERS / renderer, _RENDERERS / f"{renderer}.py"]
    for base in inputs:
        for path in _python_files(base):
            anchor = _RENDERERS.parent if path.is_relative_to(_RENDERERS.parent) else path.parent
            digest.update(path.relative_to(anchor).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    for path in sorted(shared_sources):
        digest.update(b"source:" + path.name.encode() + b"\0" + (sha256_file(path) or "unreadable").encode())
    return digest.hexdigest()
