"""The preview's web app (Starlette): two pages, their event streams, the SVGs and the static files.

Pages get every change pushed as a server-sent event (``text/event-stream``) the moment the
workspace has it — no polling. Only ``127.0.0.1`` / ``localhost`` host names are answered, so a web
page elsewhere cannot reach the preview through DNS rebinding.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from diagram_dsl.preview.pages import RENDERER_NAMES, flow_page, flow_state, index_page, index_state
from diagram_dsl.preview.tools import why_unavailable
from diagram_dsl.preview.workspace import Entry, Workspace

KEEPALIVE_SECONDS = 15.0  # a comment line this often: a closed page is noticed, proxies keep the stream open
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
_STREAM_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
_NO_STORE = {"Cache-Control": "no-store"}


def _event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def create_app(workspace: Workspace, root: Path, *, loopback_only: bool = True) -> Starlette:
    """``loopback_only``: answer only requests addressed to a loopback name (the default, on 127.0.0.1); a preview
    deliberately served on another interface answers any host name."""
    unavailable = {name: why_unavailable(name) for name in RENDERER_NAMES}

    def entry_or_404(request: Request) -> Entry:
        entry = workspace.entries.get(request.path_params["key"])
        if entry is None:
            from starlette.exceptions import HTTPException

            raise HTTPException(404, "no such flow in this preview")
        return entry

    def renderer_of(request: Request) -> str:
        name = request.query_params.get("renderer", "native")
        return name if name in RENDERER_NAMES and not unavailable.get(name) else "native"

    async def index(request: Request) -> Response:
        return HTMLResponse(index_page(root, workspace.ordered(), workspace.generation), headers=_NO_STORE)

    async def flow(request: Request) -> Response:
        entry = entry_or_404(request)
        renderer = renderer_of(request)
        svg, error = await workspace.drawing(entry, renderer)
        return HTMLResponse(flow_page(root, entry, renderer, svg, error, unavailable), headers=_NO_STORE)

    async def diagram(request: Request) -> Response:
        entry = entry_or_404(request)
        svg, error = await workspace.drawing(entry, renderer_of(request))
        if svg is None:
            return Response(error or "this flow has no drawing yet", status_code=404, headers=_NO_STORE)
        return Response(svg, media_type="image/svg+xml", headers=_NO_STORE)

    async def stream(changes: Callable[[], int], since: int, make: Callable[[], Any], name: str
                     ) -> AsyncIterator[str]:
        yield "retry: 500\n\n"
        seen = since
        while not workspace.closing.is_set():
            if changes() != seen:
                seen = changes()
                yield _event(name, await make())
                continue
            try:
                await asyncio.wait_for(workspace.wait_for_change(seen, changes), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": keepalive\n\n"

    async def flow_events(request: Request) -> Response:
        entry = entry_or_404(request)
        renderer = renderer_of(request)

        async def make() -> Any:
            svg, error = await workspace.drawing(entry, renderer)
            return flow_state(root, entry, renderer, svg, error)

        since = int(request.query_params.get("since", "-1") or -1)
        return StreamingResponse(stream(lambda: entry.version, since, make, "flow"),
                                 media_type="text/event-stream", headers=_STREAM_HEADERS)

    async def index_events(request: Request) -> Response:
        async def make() -> Any:
            return {"generation": workspace.generation, "flows": index_state(workspace.ordered())}

        since = int(request.query_params.get("since", "-1") or -1)
        return StreamingResponse(stream(lambda: workspace.generation, since, make, "index"),
                                 media_type="text/event-stream", headers=_STREAM_HEADERS)

    routes = [
        Route("/", index),
        Route("/flow/{key}", flow),
        Route("/flow/{key}/diagram.svg", diagram),
        Route("/events/flow/{key}", flow_events),
        Route("/events/index", index_events),
        Mount("/static", StaticFiles(packages=[("diagram_dsl.preview", "static")]), name="static"),
    ]
    hosts = ALLOWED_HOSTS if loopback_only else ["*"]
    return Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts)])
