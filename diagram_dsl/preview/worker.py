"""The preview's loader process: loads, validates and draws one flow per request.

Flow modules are Python and run as code, so they never run inside the server: the server starts this
process (``python -m diagram_dsl.preview.worker``), which imports the validator and the native renderer
and warms their caches once, then loads each saved flow in a few milliseconds. Whatever a module does
ends here, not in the server: ``sys.exit`` and exceptions become a load problem at the module's line;
an endless loop, ``os._exit`` or a crash ends or stalls this process, and the server restarts it
(``loader.py``) and reports the flow. Modules a flow imported are forgotten after each load, so an
edited helper module is seen on the next save.

Protocol: one JSON request per line on stdin; each answer on stdout is an 8-byte big-endian length
and a pickle of ``(request id, Snapshot)``. Only this process and the server, its parent, write and
read those pipes. End of stdin ends the process.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any, BinaryIO

from diagram_dsl.model import Location
from diagram_dsl.preview.snapshot import LoadProblem, Snapshot

_HEADER = 8
READY = b"ready\n"  # written once the caches are warm: load timeouts count from here


def build_snapshot(path: Path, root: Path, wrap_width: int) -> Snapshot:
    """Load, validate and draw ``path`` in this process."""
    from diagram_dsl.catalog import load_flow_file
    from diagram_dsl.dsl.location import display_path, display_paths_relative_to
    from diagram_dsl.errors import LoadError
    from diagram_dsl.validate import validate

    started = time.perf_counter()
    with display_paths_relative_to(root):
        shown = display_path(str(path))
        try:
            flow = load_flow_file(path)
        except LoadError as error:
            problem = LoadProblem(error.location or Location(shown, 1), error.message, error.hint)
            return Snapshot(str(path), shown, problem=problem, seconds=time.perf_counter() - started)
        except BaseException as error:  # noqa: BLE001 - sys.exit() and the like in a flow module end up here
            problem = LoadProblem(Location(shown, _failing_line(error, path)), _describe(error))
            return Snapshot(str(path), shown, problem=problem, seconds=time.perf_counter() - started)
    model = flow.model
    findings = tuple(validate(model.diagram, model.metadata))
    svg, spots, draw_error = _draw(model, findings, wrap_width)
    return Snapshot(str(path), shown, model=model, findings=findings, svg=svg, hotspots=spots, draw_error=draw_error,
                    seconds=time.perf_counter() - started)


def _draw(model: Any, findings: tuple[Any, ...], wrap_width: int) -> tuple[str | None, tuple[Any, ...], str]:
    from diagram_dsl.preview.hotspots import hotspots, with_hotspots
    from diagram_dsl.renderers.base import RenderOptions
    from diagram_dsl.renderers.native import layout_flow
    from diagram_dsl.renderers.native.svg import render_svg

    try:
        layout = layout_flow(model, RenderOptions(wrap_width=wrap_width))
        svg = render_svg(layout).decode("utf-8")
        spots = hotspots(layout, model.diagram, model.metadata.location)
    except Exception as error:  # noqa: BLE001 - a drawing bug must not hide the findings
        return None, (), f"the native renderer could not draw this flow: {type(error).__name__}: {error}"
    return with_hotspots(svg, spots, findings), spots, ""


def _describe(error: BaseException) -> str:
    if isinstance(error, SystemExit):
        return f"the module called sys.exit({error.code!r}); a flow module only defines a flow"
    if isinstance(error, KeyboardInterrupt):
        return "the module raised KeyboardInterrupt"
    return f"{type(error).__name__}: {error}"


def _failing_line(error: BaseException, path: Path) -> int:
    line = 1
    target = str(path.resolve())
    for frame in traceback.extract_tb(error.__traceback__):
        with contextlib.suppress(OSError):
            if str(Path(frame.filename).resolve()) == target and frame.lineno:
                line = frame.lineno
    return line


def _forget_user_modules(before: set[str]) -> None:
    """Drop the modules the flow imported (its helpers); this package and installed or standard modules stay."""
    installed = tuple({sys.prefix, sys.base_prefix, sys.exec_prefix})
    for name in set(sys.modules) - before:
        if name == "diagram_dsl" or name.startswith("diagram_dsl."):
            continue
        file = getattr(sys.modules.get(name), "__file__", None)
        if file and not os.path.realpath(file).startswith(installed):
            del sys.modules[name]


def load_isolated(path: Path, root: Path, wrap_width: int) -> Snapshot:
    """``build_snapshot``, then forget what the flow changed in the module table and the import path."""
    modules, import_path = set(sys.modules), list(sys.path)
    try:
        return build_snapshot(path, root, wrap_width)
    finally:
        sys.path[:] = import_path
        _forget_user_modules(modules)


def _warm_up() -> None:
    """Import and exercise the validator and the native renderer once, so every forked child starts warm."""
    from diagram_dsl.dsl import Flow
    from diagram_dsl.preview.hotspots import hotspots
    from diagram_dsl.renderers.base import RenderOptions
    from diagram_dsl.renderers.native import layout_flow
    from diagram_dsl.renderers.native.svg import render_svg
    from diagram_dsl.validate import validate

    flow = Flow(number=1, title="Warm Up")
    a, b = flow.actor("A"), flow.participant("B")
    with flow.alt("x"), a.call(b, "ping") as ping:
        ping.reply("pong")
    flow.note("n", over=a)
    model = flow.build()
    validate(model.diagram, model.metadata)
    layout = layout_flow(model, RenderOptions())
    render_svg(layout)
    hotspots(layout, model.diagram, model.metadata.location)


def serve_requests(requests: BinaryIO, answers: BinaryIO) -> None:
    for line in requests:
        if not line.strip():
            continue
        request = json.loads(line)
        snapshot = load_isolated(Path(request["path"]), Path(request["root"]), int(request["wrap_width"]))
        data = pickle.dumps((request["id"], snapshot), protocol=pickle.HIGHEST_PROTOCOL)
        answers.write(len(data).to_bytes(_HEADER, "big") + data)
        answers.flush()


def main() -> None:
    # Ctrl-C in a terminal reaches the whole process group: the server decides when this process stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a flow's print() goes to the terminal, not the protocol
    _warm_up()
    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt):
        answers.write(READY)
        answers.flush()
        serve_requests(sys.stdin.buffer, answers)


if __name__ == "__main__":
    main()
