"""Load flow modules in forked worker processes, so no module can end, hang or steer the process that checks it.

Each module runs in its own child (``os.fork``: the parent has already imported the DSL, so a child
costs about a millisecond) in its own process group, with stdin, stdout and stderr on /dev/null and
``sys.argv`` set to the module's path. The child sends back the frozen model (pickled; the parent
accepts nothing but model classes) or a located failure, then ends. ``sys.exit``, ``os._exit``,
``KeyboardInterrupt``, argparse, a crash, an endless loop or a thread that never ends cost that one
module a SEQ000 finding; the other modules are unaffected. A module past its time is interrupted by
an alarm inside the child (so the message names the line it was running), and killed with everything
it started — its whole process group — if it ignores that. Every child is reaped before this returns,
also on Ctrl-C.

Where ``os.fork`` does not exist (Windows), modules load in this process without the protections.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import os
import pickle
import selectors
import signal
import struct
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from diagram_dsl.dsl.location import display_path
from diagram_dsl.loading.execute import (
    Failure,
    Loaded,
    LoadTimedOut,
    execute_source,
    frame_line,
    refuse_exit,
    running_threads,
)
from diagram_dsl.model import Location

_REAL_EXIT = os._exit
_HEADER = struct.Struct(">Q")  # length of the pickled result that follows
_GRACE = 2.0  # seconds a child gets after its own alarm to report the line it was stuck on, before it is killed
_TRUSTED_MODULES = ("diagram_dsl.model", "diagram_dsl.loading.execute")
Outcome = Loaded | Failure


def can_isolate() -> bool:
    return hasattr(os, "fork") and hasattr(os, "setpgid") and hasattr(signal, "setitimer") \
        and hasattr(signal, "pthread_sigmask")


def default_jobs(count: int) -> int:
    """Modules loading at once. Each worker is mostly waiting to be scheduled, and starting them all lets the
    caller do its own work (importing the validator) meanwhile; a few hanging modules never hold the others up."""
    return max(1, min(count, 32))


def load_isolated(paths: Sequence[Path], timeout: float, jobs: int | None = None) -> list[Outcome]:
    """Each module's outcome, in the order given."""
    with LoadBatch(paths, timeout, jobs) as batch:
        return batch.outcomes()


class LoadBatch:
    """Modules loading in worker processes: started when it is made, collected by ``outcomes()``.

    Use it as a context manager: leaving the block stops and reaps every worker still running, also on an
    exception or Ctrl-C, so no worker outlives its caller.
    """

    def __init__(self, paths: Sequence[Path], timeout: float, jobs: int | None = None) -> None:
        self.paths = list(paths)
        self.timeout = timeout
        self._isolated = can_isolate()
        self._slots = jobs or default_jobs(len(self.paths))
        self._waiting = list(enumerate(self.paths))
        self._running: dict[int, _Worker] = {}
        self._outcomes: dict[int, Outcome] = {}
        self._selector = selectors.DefaultSelector()
        if self._isolated:
            try:
                self._start_more()
            except BaseException:
                self.close()
                raise

    def __enter__(self) -> LoadBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def outcomes(self) -> list[Outcome]:
        """Each module's outcome, in the order given; waits for the workers."""
        if not self._isolated:
            return [execute_source(path, _module_name(path)) for path in self.paths]
        try:
            while self._waiting or self._running:
                self._start_more()
                self._collect()
        finally:
            self.close()
        return [self._outcomes[index] for index in range(len(self.paths))]

    def _start_more(self) -> None:
        while self._waiting and len(self._running) < self._slots:
            index, path = self._waiting.pop(0)
            # Ctrl-C is held back from the fork until the worker is registered: delivered in between, it would leave
            # a child that close() does not know of, loading on (a hanging module: until its timeout) after this
            # process has ended. Held, it is delivered as soon as the mask is restored, and close() reaps the child.
            mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                worker = _spawn(index, path, self.timeout, mask)
                self._running[worker.fd] = worker
                self._selector.register(worker.fd, selectors.EVENT_READ, worker)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)

    def _collect(self) -> None:
        pause = max(0.0, min(worker.deadline for worker in self._running.values()) - time.monotonic())
        for key, _ in self._selector.select(pause):
            worker = key.data
            if worker.read_some():
                self._done(worker, timed_out=False)
        now = time.monotonic()
        for worker in [w for w in self._running.values() if w.deadline <= now]:
            self._done(worker, timed_out=True)

    def _done(self, worker: _Worker, *, timed_out: bool) -> None:
        self._selector.unregister(worker.fd)
        del self._running[worker.fd]
        self._outcomes[worker.index] = worker.finish(timed_out=timed_out)

    def close(self) -> None:
        """Stop and reap every worker still running (idempotent)."""
        for worker in list(self._running.values()):
            self._done(worker, timed_out=True)
        self._waiting.clear()
        self._selector.close()


def _module_name(path: Path) -> str:
    return f"_diagram_dsl_source_{path.stem}"


@dataclass
class _Worker:
    index: int
    path: Path
    pid: int
    fd: int
    timeout: float
    deadline: float
    received: bytearray = field(default_factory=bytearray)
    eof: bool = False

    def read_some(self) -> bool:
        """Read what the child sent; True once its whole result is in (or it closed the pipe without one)."""
        try:
            chunk = os.read(self.fd, 1 << 20)
        except OSError:
            chunk = b""
        if not chunk:
            self.eof = True
            return True
        self.received += chunk
        return self._complete()

    def _complete(self) -> bool:
        if len(self.received) < _HEADER.size:
            return False
        length: int = _HEADER.unpack_from(self.received)[0]
        return len(self.received) >= _HEADER.size + length

    def finish(self, *, timed_out: bool) -> Outcome:
        """Stop the child and everything it started, reap it, and say what it did."""
        _kill_group(self.pid)
        status = _reap(self.pid)
        os.close(self.fd)
        where = Location(display_path(str(self.path)), 1)
        if self._complete():
            (length,) = _HEADER.unpack_from(self.received)
            try:
                result = _ModelUnpickler(io.BytesIO(bytes(self.received[_HEADER.size:_HEADER.size + length]))).load()
            except Exception as error:  # noqa: BLE001 - whatever came down the pipe, it is not a model
                return Failure(f"the module's flow could not be passed back from its worker ({error})", where)
            if isinstance(result, Loaded | Failure):
                return result
            return Failure("the module's worker sent back something that is not a flow", where)
        if timed_out:
            return Failure(f"did not finish loading within {self.timeout:g} s (stopped)", where,
                           hint="an endless loop or a blocked call? raise [tool.diagram-dsl] load-timeout if it "
                                "is really that slow")
        return Failure(f"the module ended its worker process while loading ({_describe(status)})", where,
                       hint="a flow module only builds a flow: remove the exit, kill or crash")


class _ModelUnpickler(pickle.Unpickler):
    """Unpickles flow models and load outcomes only: a module cannot make this process run anything."""

    def find_class(self, module: str, name: str) -> Any:
        if module in _TRUSTED_MODULES:
            value = getattr(importlib.import_module(module), name, None)
            if isinstance(value, type) and value.__module__ == module:
                return value
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a flow model")


def _spawn(index: int, path: Path, timeout: float, signal_mask: set[int | signal.Signals]) -> _Worker:
    """A worker loading ``path``; ``signal_mask``: the signals the child blocks (the parent's own mask, before it
    held Ctrl-C back for the fork)."""
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "fork in a multi-threaded process": see the child
        pid = os.fork()
    if pid == 0:  # the child: never returns
        signal.pthread_sigmask(signal.SIG_SETMASK, signal_mask)
        gc.disable()  # a collection would touch, and so copy, every page shared with the parent
        os.close(read_fd)
        _child(path, write_fd, timeout)
    os.close(write_fd)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)  # also done by the child; whichever runs first wins the race
    os.set_blocking(read_fd, False)
    return _Worker(index, path, pid, read_fd, timeout, time.monotonic() + timeout + _GRACE)


def _child(path: Path, write_fd: int, timeout: float) -> NoReturn:
    """Load ``path`` and write the outcome to ``write_fd``. Only the thread that forked exists here."""
    status = 0
    try:
        _detach(write_fd)
        sys.argv = [str(path)]
        os._exit = refuse_exit
        signal.signal(signal.SIGALRM, _alarm(timeout))
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            outcome = execute_source(path, _module_name(path))
            if isinstance(outcome, Loaded):
                outcome = _wait_for_threads(outcome, path, timeout)
        except LoadTimedOut:
            outcome = Failure(f"did not finish loading within {timeout:g} s", Location(display_path(str(path)), 1))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        _send(write_fd, outcome)
    except BaseException:  # noqa: BLE001 - nothing may escape into the parent's code path
        status = 1
    finally:
        _REAL_EXIT(status)


def _detach(write_fd: int) -> None:
    """Own process group, quiet standard streams, no descriptor of the parent's but the result pipe."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    devnull = os.open(os.devnull, os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(devnull, target)
    os.closerange(3, write_fd)
    os.closerange(write_fd + 1, _max_fd())
    quiet = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives until the child ends
    sys.stdout = sys.stderr = quiet
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115


def _max_fd() -> int:
    try:
        return max(256, int(os.sysconf("SC_OPEN_MAX")))
    except (ValueError, OSError):
        return 65536


def _alarm(timeout: float) -> Any:
    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise LoadTimedOut(timeout)

    return on_alarm


def _wait_for_threads(outcome: Loaded, path: Path, timeout: float) -> Outcome:
    """Like an interpreter at exit, wait for the module's non-daemon threads: loading ends when they do.

    Polled rather than joined: an alarm that interrupts ``Thread.join`` makes Python 3.11 mark the thread
    as stopped while it still runs (bpo-45274's fix), and then it could not be reported.
    """
    try:
        while running_threads():
            time.sleep(0.005)
    except LoadTimedOut:
        live = running_threads()
        if live:
            frame = sys._current_frames().get(live[0].ident or -1)
            where = Location(display_path(str(path)), frame_line(frame, path))
            return Failure(f"did not finish loading within {timeout:g} s: a thread it started ({live[0].name}) is "
                           "still running", where, hint="a flow module only builds a flow: do not start threads")
        raise
    return outcome


def _send(write_fd: int, outcome: Outcome) -> None:
    try:
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # noqa: BLE001 - e.g. a label that is a str subclass defined in the module
        where = outcome.location if isinstance(outcome, Failure) else outcome.model.metadata.location
        payload = pickle.dumps(Failure(f"the flow holds objects that are not plain data ({error})", where),
                               protocol=pickle.HIGHEST_PROTOCOL)
    data = _HEADER.pack(len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(write_fd, view)
        view = view[written:]


def _kill_group(pid: int) -> None:
    for kill, target in ((os.killpg, pid), (os.kill, pid)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(target, signal.SIGKILL)


def _reap(pid: int) -> int:
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            return status
        except ChildProcessError:
            return 0
        except InterruptedError:
            continue


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return f"killed by {name}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
