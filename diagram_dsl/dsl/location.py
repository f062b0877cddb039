"""Source locations for DSL calls: the first stack frame outside this package."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from diagram_dsl.model import Location

_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)
_display_root: contextvars.ContextVar[Path | None] = contextvars.ContextVar("display_root", default=None)


@contextlib.contextmanager
def display_paths_relative_to(root: Path) -> Iterator[None]:
    """While loading flows, record file names relative to the project root (``sources/01_x.py``)."""
    token = _display_root.set(root.resolve())
    try:
        yield
    finally:
        _display_root.reset(token)


def display_path(filename: str) -> str:
    root = _display_root.get()
    if root is None:
        return filename
    shown = _relative(os.path.abspath(filename), root)
    return filename if shown is None else shown


@functools.lru_cache(maxsize=1024)
def _relative(absolute: str, root: Path) -> str | None:
    """Every DSL call asks for its file's name; a flow has one file, so this is worked out once."""
    try:
        return Path(absolute).relative_to(root).as_posix()
    except ValueError:
        return None


def caller_location() -> Location:
    """The file and line of the user code that called into the DSL."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not os.path.abspath(filename).startswith(_PACKAGE_DIR + os.sep):
            return Location(display_path(filename), frame.f_lineno)
        frame = frame.f_back  # type: ignore[assignment]
    return Location("<unknown>", 0)
