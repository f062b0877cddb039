"""Run one flow module in this process: read its bytes once, hash them, execute exactly those bytes.

The hash recorded for a build is the hash of the bytes that were executed, so an edit saved while a
build runs leaves the flow stale instead of being recorded as built. Everything a module can do to
stop loading — raise, ``sys.exit``, ``os._exit``, ``KeyboardInterrupt``, argparse, run past its time —
comes back as one located ``Failure``; nothing propagates to the caller.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import traceback
import types
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import NoReturn

from diagram_dsl.dsl import Flow
from diagram_dsl.dsl.location import display_path
from diagram_dsl.errors import DiagramDslError, DslError
from diagram_dsl.fsutil import NotARegularFile, read_regular_file
from diagram_dsl.model import FlowModel, Location

SOURCE_SIZE_LIMIT = 16 * 1024 * 1024  # a flow module is a few kilobytes; anything this large is not one


@dataclass(frozen=True)
class Loaded:
    model: FlowModel
    source_hash: str  # sha256 of exactly the bytes that were executed
    number_given: bool  # False: Flow() had no number= and the file name supplies it


@dataclass(frozen=True)
class Failure:
    message: str
    location: Location
    hint: str = ""
    code: str = "SEQ000"


class LoadTimedOut(BaseException):
    """Raised inside a module that runs past its time (a BaseException, so ``except Exception`` cannot swallow it)."""


class ExitCalled(BaseException):
    """``os._exit`` called by a module while it loads; raised instead of ending the process."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def refuse_exit(status: int) -> NoReturn:
    """Stands in for ``os._exit`` while a module loads in a worker."""
    raise ExitCalled(status)


def execute_source(path: Path, module_name: str) -> Loaded | Failure:
    """Read, hash, compile and run ``path``; return its one flow or a located failure. Never raises."""
    shown = display_path(str(path))
    try:
        data = _read_source(path)
    except OSError as error:
        return Failure(f"cannot read the flow module: {error.strerror or error}", Location(shown, 1))
    if isinstance(data, str):
        return Failure(data, Location(shown, 1))
    digest = hashlib.sha256(data).hexdigest()
    module = types.ModuleType(module_name)
    module.__file__ = str(path)
    sys.modules[module_name] = module  # dataclasses and pickling inside the module look themselves up here
    try:
        code = compile(data, str(path), "exec", dont_inherit=True)
        exec(code, module.__dict__)
    except BaseException as error:  # noqa: BLE001 - whatever a module does while loading becomes a located message
        return _failure(error, path, shown)
    finally:
        sys.modules.pop(module_name, None)
    flows = [value for value in vars(module).values() if isinstance(value, Flow)]
    if not flows:
        return Failure("defines no flow", Location(shown, 1), hint="assign `flow = Flow(...)` at module level")
    if len(flows) > 1:
        return Failure(f"defines {len(flows)} flows; one module holds one flow", Location(shown, 1),
                       hint="move the others into their own files")
    try:
        model = flows[0].build()
    except BaseException as error:  # noqa: BLE001 - as above
        return _failure(error, path, shown)
    return Loaded(model, digest, flows[0].number_given)


def _read_source(path: Path) -> bytes | str:
    """The module's bytes, or why it is not a module; one read, so what is hashed is what runs."""
    try:
        data = read_regular_file(path, limit=SOURCE_SIZE_LIMIT, follow_symlinks=True)
    except NotARegularFile:
        return f"is not a regular file of at most {SOURCE_SIZE_LIMIT // (1024 * 1024)} MB (a folder, FIFO or device?)"
    return "was deleted while loading" if data is None else data


def _failure(error: BaseException, path: Path, shown: str) -> Failure:
    if isinstance(error, DslError):
        return Failure(error.message, error.location or Location(shown, 1), hint=error.hint, code=error.code)
    if isinstance(error, DiagramDslError):
        return Failure(error.message, error.location or Location(shown, 1), hint=error.hint)
    if isinstance(error, SyntaxError) and error.filename == str(path):
        return Failure(f"syntax error: {error.msg}", Location(shown, error.lineno or 1))
    line = failing_line(error.__traceback__, path)
    where = Location(shown, line)
    match error:
        case SystemExit(code=code):
            return Failure(f"the module called sys.exit({code!r}) (or raised SystemExit) while loading", where,
                           hint="a flow module only builds a flow: remove the exit, argparse or main() call")
        case ExitCalled(status=status):
            return Failure(f"the module called os._exit({status}) while loading", where,
                           hint="a flow module only builds a flow: remove the exit")
        case KeyboardInterrupt():
            return Failure("the module raised KeyboardInterrupt while loading", where)
        case LoadTimedOut(args=(seconds, *_)):
            return Failure(f"did not finish loading within {seconds:g} s", where,
                           hint="an endless loop or a long wait? raise [tool.diagram-dsl] load-timeout if it is "
                                "really that slow")
        case RecursionError():
            return Failure("RecursionError: the module recursed too deeply while loading", where)
        case _:
            return Failure(f"{type(error).__name__}: {error}", where)


def failing_line(tb: types.TracebackType | None, path: Path) -> int:
    """The innermost line of ``path`` in a traceback (1 when the module is not on it)."""
    line = 1
    target = os.path.abspath(path)
    for frame in traceback.extract_tb(tb):
        if frame.lineno and os.path.abspath(frame.filename) == target:
            line = frame.lineno
    return line


def frame_line(frame: FrameType | None, path: Path) -> int:
    """The innermost line of ``path`` on a live thread's stack (1 when the module is not on it)."""
    target = os.path.abspath(path)
    while frame is not None:
        if os.path.abspath(frame.f_code.co_filename) == target:
            return frame.f_lineno
        frame = frame.f_back
    return 1


def running_threads() -> list[threading.Thread]:
    """Threads a module started that would keep an ordinary interpreter from exiting."""
    current = threading.current_thread()
    return [t for t in threading.enumerate() if t is not current and not t.daemon and t.is_alive()]
