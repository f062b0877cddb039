"""The server's side of the loader process (``worker.py``): send a path, get a ``Snapshot``.

One request is in flight at a time, so answers come back in order. A flow that does not finish loading
within the project's ``load-timeout`` gets the worker killed (a fresh one starts for the next request)
and is reported at its file; so is one that ends the worker. Stopping closes the worker's stdin, which
ends it; one that does not end promptly is killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import pickle
import sys
from pathlib import Path

from diagram_dsl.model import Location
from diagram_dsl.preview.snapshot import LoadProblem, Snapshot
from diagram_dsl.preview.worker import READY

_HEADER = 8
STOP_GRACE = 3.0  # seconds the worker gets to end by itself before it is killed
START_TIMEOUT = 120.0  # seconds a fresh worker may take to import and warm up (a busy machine is slow)


class FlowLoader:
    def __init__(self, root: Path, *, timeout: float, wrap_width: int = 260) -> None:
        self.root = root
        self.timeout = timeout
        self.wrap_width = wrap_width
        self._process: asyncio.subprocess.Process | None = None
        self._lock = asyncio.Lock()
        self._next_id = 0

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def start(self) -> None:
        """A warm worker, started if there is none (or the last one died)."""
        if self._process is not None and self._process.returncode is None:
            return
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "diagram_dsl.preview.worker",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=1 << 26)
        self._process = process
        assert process.stdout is not None
        try:
            greeting = await asyncio.wait_for(process.stdout.readexactly(len(READY)), START_TIMEOUT)
        except (TimeoutError, asyncio.IncompleteReadError) as error:
            await self._discard()
            raise ConnectionError("the preview's loader process did not start") from error
        if greeting != READY:
            await self._discard()
            raise ConnectionError(f"the preview's loader process said {greeting!r} instead of being ready")

    async def load(self, path: Path, shown: str) -> Snapshot:
        """The flow at ``path`` as loaded now; a hang or a crash while loading is that flow's load problem."""
        async with self._lock:
            await self.start()
            try:
                return await asyncio.wait_for(self._ask(path), self.timeout)
            except TimeoutError:
                await self._discard()
                return problem_snapshot(path, shown, f"the module did not finish loading within {self.timeout:g} s",
                                        "an endless loop or a long wait at module level? (load-timeout in "
                                        "[tool.diagram-dsl] sets the limit)")
            except (ConnectionError, asyncio.IncompleteReadError, OSError):
                status = await self._discard()
                return problem_snapshot(path, shown, f"the module ended the process loading it (exit status "
                                        f"{status})", "a flow module only defines a flow: no os._exit, no signals")

    async def _ask(self, path: Path) -> Snapshot:
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        self._next_id += 1
        request = {"id": self._next_id, "path": str(path), "root": str(self.root), "wrap_width": self.wrap_width}
        process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
        await process.stdin.drain()
        size = int.from_bytes(await process.stdout.readexactly(_HEADER), "big")
        answer_id, snapshot = pickle.loads(await process.stdout.readexactly(size))  # our own worker's answer
        if answer_id != self._next_id or not isinstance(snapshot, Snapshot):
            raise ConnectionError(f"the loader answered request {answer_id}, expected {self._next_id}")
        return snapshot

    async def _discard(self) -> int | None:
        """Kills the worker (if it still runs) and returns its exit status."""
        process, self._process = self._process, None
        if process is None:
            return None
        if process.returncode is None:
            process.kill()
        return await process.wait()

    async def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
            with contextlib.suppress(ConnectionError, OSError):
                await process.stdin.wait_closed()
        try:
            await asyncio.wait_for(process.wait(), STOP_GRACE)
        except TimeoutError:
            process.kill()
            await process.wait()


def problem_snapshot(path: Path, shown: str, message: str, hint: str = "") -> Snapshot:
    """A flow that could not be loaded for a reason found outside it (a timeout, a crash, the loader failing)."""
    return Snapshot(str(path), shown, problem=LoadProblem(Location(shown, 1), message, hint))


def shown_path(path: Path, root: Path) -> str:
    """How findings name ``path``: relative to the project root when inside it, else as given."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
