"""The flows being previewed, kept current: a watcher reloads a flow as soon as its source is saved.

Each flow has a version that grows with every reload; pages wait on ``changed`` and send what is new.
Shared helpers (``sources/_*.py``) reload every flow. ``close`` wakes every waiter so the server's
event streams end at once on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from diagram_dsl.preview.loader import FlowLoader, problem_snapshot, shown_path
from diagram_dsl.preview.snapshot import Snapshot
from diagram_dsl.preview.tools import ToolRenderers

WATCH_STEP_MS = 10  # how long the watcher waits for more changes after one: a save is usually one or two writes


@dataclass
class Entry:
    key: str
    path: Path  # absolute
    snapshot: Snapshot | None = None
    version: int = 0
    drawings: dict[str, str] = field(default_factory=dict)  # tool renderer -> SVG of this version
    drawing_errors: dict[str, str] = field(default_factory=dict)  # tool renderer -> why it could not draw
    noticed_at: float = 0.0  # epoch seconds when the watcher reported the save behind this version (0: startup)


def _key_for(path: Path, taken: Iterable[str]) -> str:
    used = set(taken)
    key = base = "".join(c if c.isalnum() or c in "-_" else "-" for c in path.stem) or "flow"
    counter = 2
    while key in used:
        key, counter = f"{base}-{counter}", counter + 1
    return key


class Workspace:
    """``files``: the flows given on the command line; ``folder``: a sources folder whose ``*.py`` come and go."""

    def __init__(self, loader: FlowLoader, *, files: Iterable[Path] = (), folder: Path | None = None,
                 tools: ToolRenderers | None = None) -> None:
        self.loader = loader
        self.tools = tools or ToolRenderers()
        self.folder = folder.resolve() if folder is not None else None
        self.fixed = [path.resolve() for path in files]
        self.entries: dict[str, Entry] = {}
        self.changed = asyncio.Condition()
        self.closing = asyncio.Event()
        self.generation = 0  # grows with every change to any flow (the index page follows it)

    # -- which files ---------------------------------------------------------------------------------
    def _sources(self) -> list[Path]:
        found = list(self.fixed)
        if self.folder is not None and self.folder.is_dir():
            found += sorted(p.resolve() for p in self.folder.glob("*.py") if not p.name.startswith("_"))
        unique: dict[Path, None] = dict.fromkeys(found)
        return list(unique)

    def _helper(self, path: Path) -> bool:
        return path.suffix == ".py" and path.name.startswith("_")

    def watched_dirs(self) -> list[Path]:
        dirs = {path.parent for path in self.fixed}
        if self.folder is not None:
            dirs.add(self.folder)
        return sorted(d for d in dirs if d.is_dir())

    def entry_for(self, path: Path) -> Entry | None:
        return next((entry for entry in self.entries.values() if entry.path == path), None)

    def ordered(self) -> list[Entry]:
        """The flows to list: by flow number (flows that failed to load last), then by file name; deleted ones
        are left out (a command-line flow stays, saying it is gone)."""
        def key(entry: Entry) -> tuple[int, int, str]:
            model = entry.snapshot.model if entry.snapshot is not None else None
            return (0, model.metadata.number, entry.path.name) if model else (1, 0, entry.path.name)
        listed = [e for e in self.entries.values() if e.snapshot is not None or e.path in self.fixed]
        return sorted(listed, key=key)

    # -- loading -------------------------------------------------------------------------------------
    async def start(self) -> None:
        await self.loader.start()
        for path in self._sources():
            entry = Entry(_key_for(path, self.entries), path)
            self.entries[entry.key] = entry
        await self.reload([entry.path for entry in self.entries.values()])

    async def reload(self, paths: Iterable[Path]) -> None:
        for path in paths:
            entry = self.entry_for(path)
            if entry is None:
                continue
            shown = shown_path(path, self.loader.root)
            try:
                snapshot = await self.loader.load(path, shown)
            except Exception as error:  # noqa: BLE001 - the loader's own failure is shown; the server goes on
                snapshot = problem_snapshot(path, shown, f"the preview's loader failed: {type(error).__name__}: "
                                            f"{error}", "save the file again; if it persists, restart the preview")
            await self._publish(entry, snapshot)

    async def _publish(self, entry: Entry, snapshot: Snapshot | None) -> None:
        async with self.changed:
            entry.snapshot = snapshot
            entry.version += 1
            entry.drawings.clear()
            entry.drawing_errors.clear()
            self.generation += 1
            self.changed.notify_all()

    async def apply(self, changes: set[tuple[watchfiles.Change, str]]) -> list[Entry]:
        """Reload what ``changes`` touched; returns the entries that changed (removed ones with no snapshot)."""
        noticed = time.time()
        paths = {Path(path).resolve() for _, path in changes}
        if any(self._helper(path) for path in paths):
            paths |= {entry.path for entry in self.entries.values()}
        touched: list[Entry] = []
        current = set(self._sources())
        for path in sorted(paths):
            entry = self.entry_for(path)
            if entry is None and path in current:
                entry = Entry(_key_for(path, self.entries), path)
                self.entries[entry.key] = entry
            if entry is None:
                continue
            entry.noticed_at = noticed
            if path.exists():
                await self.reload([path])
            else:
                # Deleted (or renamed away): its page says so, the index drops it, and saving the file again
                # brings the same page back to life.
                await self._publish(entry, None)
            touched.append(entry)
        return touched

    async def changes(self) -> AsyncIterator[list[Entry]]:
        """The entries each save touched, reloaded, until ``closing`` is set."""
        dirs = self.watched_dirs()
        if not dirs:
            await self.closing.wait()
            return
        async for changes in watchfiles.awatch(*dirs, watch_filter=watchfiles.PythonFilter(), step=WATCH_STEP_MS,
                                               stop_event=self.closing, recursive=False):
            touched = await self.apply(changes)
            if touched:
                yield touched

    async def start_watching(self, on_change: Callable[[list[Entry]], Awaitable[None]] | None = None
                             ) -> asyncio.Task[None]:
        """A task reloading on every save until ``closing`` is set; a save made once this returns is seen."""
        async def run() -> None:
            async for touched in self.changes():
                if on_change is not None:
                    await on_change(touched)

        task = asyncio.create_task(run())
        await asyncio.sleep(0)  # the task's first step sets up the file system watches before anyone is told
        return task

    # -- tool renderers ------------------------------------------------------------------------------
    async def drawing(self, entry: Entry, renderer: str) -> tuple[str | None, str]:
        """(SVG, "") of ``entry`` by ``renderer``, or (None, why not); tool drawings are cached per version."""
        snapshot = entry.snapshot
        if snapshot is None or snapshot.model is None:
            return None, ""
        if renderer == "native":
            return snapshot.svg, snapshot.draw_error
        if renderer in entry.drawings:
            return entry.drawings[renderer], ""
        if renderer in entry.drawing_errors:
            return None, entry.drawing_errors[renderer]
        version = entry.version
        try:
            svg = await self.tools.render(renderer, snapshot.model)
        except Exception as error:  # noqa: BLE001 - the tool's message is shown in the page
            if entry.version == version:
                entry.drawing_errors[renderer] = str(error)
            return None, str(error)
        if entry.version == version:
            entry.drawings[renderer] = svg
        return svg, ""

    # -- lifecycle -----------------------------------------------------------------------------------
    async def wait_for_change(self, seen: int, version_of: object) -> None:
        """Until ``version_of()`` differs from ``seen`` or the workspace closes."""
        assert callable(version_of)
        async with self.changed:
            await self.changed.wait_for(lambda: self.closing.is_set() or version_of() != seen)

    async def stop_waits(self) -> None:
        """Wakes every page's event stream so it sees ``closing`` and ends (the server is stopping)."""
        async with self.changed:
            self.changed.notify_all()

    async def stop(self) -> None:
        self.closing.set()
        await self.stop_waits()
        with contextlib.suppress(Exception):
            await self.loader.stop()
        await asyncio.to_thread(self.tools.close)
