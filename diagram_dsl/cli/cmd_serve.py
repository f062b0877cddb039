"""``diagram-dsl serve``: a live preview in the browser, redrawn the moment a flow's source is saved."""

from __future__ import annotations

import asyncio
import errno
import signal
import socket
import threading
import time
from pathlib import Path

import click

DEFAULT_PORT = 8000


def _threads_left(grace: float) -> list[str]:
    """Threads still running ``grace`` seconds after the stop (helper pools end when the event loop closes)."""
    deadline = time.monotonic() + grace
    for thread in threading.enumerate():
        if thread is not threading.main_thread():
            thread.join(max(0.0, deadline - time.monotonic()))
    return [t.name for t in threading.enumerate() if t is not threading.main_thread() and t.is_alive()]


def _bind(host: str, port: int, explicit: bool) -> socket.socket:
    from diagram_dsl.preview.server import bind

    try:
        return bind(host, port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE and not explicit:
            return bind(host, 0)  # the default port is taken: any free one will do
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror or error}"
                                   + (" (pass --port 0 for a free port)" if error.errno == errno.EADDRINUSE else "")
                                   ) from None


@click.command("serve")
@click.argument("flows", nargs=-1)
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help=f"Port to listen on (default {DEFAULT_PORT}, or a free one if it is taken); 0 picks a free one.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on. Anything but loopback shows your sources to your network.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the default browser.")
@click.pass_obj
def command(root: Path, flows: tuple[str, ...], port: int | None, host: str, open_browser: bool) -> None:
    """Preview flows in the browser while you write them.

    Every flow of the project (or the FLOWs given: files anywhere, or numbers, slugs or file names of the
    project's flows) is drawn with its findings; saving a source redraws its page at once, and a flow
    that does not load says why at its line. Hover a drawn element for its file:line, click it to open it.

    \b
    Example:
      diagram-dsl serve --open
      diagram-dsl serve sources/21_order_refund.py --port 0
    """
    from diagram_dsl.preview.server import PreviewSettings, is_loopback, run_preview
    from diagram_dsl.preview.targets import TargetError, resolve_targets

    try:
        targets = resolve_targets(root, flows)
    except TargetError as error:
        raise click.UsageError(str(error)) from None
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}: anyone who can reach it sees your flows and their paths", err=True)
    sock = _bind(host, DEFAULT_PORT if port is None else port, explicit=port is not None)
    start_key = targets.files[0].stem if len(targets.files) == 1 else None
    settings = PreviewSettings(targets.root, targets.files, targets.folder, host=host, port=port or 0,
                               open_browser=open_browser, load_timeout=targets.load_timeout, start_key=start_key)
    try:
        stopped_by = asyncio.run(run_preview(settings, sock, lambda line: click.echo(line)))
    except KeyboardInterrupt:
        stopped_by = signal.SIGINT  # Ctrl-C while the flows were still loading
    finally:
        sock.close()
    lingering = _threads_left(3.0)
    if lingering:
        click.echo(f"warning: threads still running after stop: {', '.join(lingering)}", err=True)
    click.echo("preview stopped")
    if stopped_by is not None:
        raise click.exceptions.Exit(128 + int(stopped_by))
