"""Runs the preview: binds 127.0.0.1 (port 0 picks a free port), prints the URL, stops cleanly on Ctrl-C.

On SIGINT or SIGTERM the event streams end at once, uvicorn closes the connections, and the loader
process, the watcher and any PlantUML/Mermaid session are stopped before this returns: nothing the
preview started outlives it.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import signal
import socket
import threading
import webbrowser
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import uvicorn

from diagram_dsl.preview.app import create_app
from diagram_dsl.preview.loader import FlowLoader
from diagram_dsl.preview.workspace import Workspace

DEFAULT_HOST = "127.0.0.1"
GRACEFUL_SECONDS = 3.0  # longest uvicorn waits for open requests on shutdown


@dataclass(frozen=True)
class PreviewSettings:
    root: Path
    files: tuple[Path, ...] = ()  # flows named on the command line
    folder: Path | None = None  # a sources folder whose flows come and go
    host: str = DEFAULT_HOST
    port: int = 8000
    open_browser: bool = False
    load_timeout: float = 10.0
    start_key: str | None = None  # the flow page --open shows when one flow was named


class _Server(uvicorn.Server):
    """uvicorn, with our own signal handling: the first signal also ends the event streams (they never end on
    their own), and the signal is not re-raised afterwards — the caller decides the exit status."""

    def __init__(self, config: uvicorn.Config, on_exit: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_exit = on_exit
        self.stopped_by: int | None = None

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        original = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self.stopped_by is None:
            self.stopped_by = sig
        self._on_exit()
        super().handle_exit(sig, frame)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one), so the URL is known before serving starts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.set_inheritable(False)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


async def run_preview(settings: PreviewSettings, sock: socket.socket, announce: Callable[[str], None]) -> int | None:
    """Serves until a signal; returns the signal that stopped it (None if uvicorn stopped by itself)."""
    loader = FlowLoader(settings.root, timeout=settings.load_timeout)
    workspace = Workspace(loader, files=settings.files, folder=settings.folder)
    loop = asyncio.get_running_loop()

    def stop_streams() -> None:
        loop.call_soon_threadsafe(workspace.closing.set)
        loop.call_soon_threadsafe(lambda: loop.create_task(workspace.stop_waits()))

    app = create_app(workspace, settings.root, loopback_only=is_loopback(settings.host))
    config = uvicorn.Config(app, log_level="warning", lifespan="off",
                            timeout_graceful_shutdown=int(GRACEFUL_SECONDS), access_log=False)
    server = _Server(config, stop_streams)
    watcher: asyncio.Task[None] | None = None
    try:
        await workspace.start()
        watcher = await workspace.start_watching()
        url = url_of(sock)
        page = f"{url}flow/{settings.start_key}" if settings.start_key else url
        announce(f"preview of {len(workspace.entries)} flow(s) at {page} (Ctrl-C stops it)")
        if settings.open_browser:
            await asyncio.to_thread(webbrowser.open, page)
        await server.serve(sockets=[sock])
    finally:
        workspace.closing.set()
        if watcher is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(watcher, GRACEFUL_SECONDS)
        await workspace.stop()
    return server.stopped_by
