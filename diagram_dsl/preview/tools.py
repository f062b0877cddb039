"""The real PlantUML and Mermaid for the preview: each started on first use in a thread of its own, always stopped.

A tool renderer's session (a PlantUML server, a browser for Mermaid) is expensive to start, so it
stays open while the preview runs; its thread owns it from start to stop, and ``close`` joins every
thread, so nothing outlives the server.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import queue
import threading

from diagram_dsl.model import FlowModel
from diagram_dsl.renderers.base import RenderError, RenderOptions, get_renderer

TOOL_RENDERERS = ("plantuml", "mermaid")
_STOP = None


def why_unavailable(name: str) -> str:
    """"" when the renderer can draw here, else what is missing and how to install it."""
    try:
        if name == "native":
            return ""
        if name == "plantuml":
            if os.environ.get("PLANTUML_SERVER"):
                return ""
            from diagram_dsl import toolchain

            if not toolchain.tools_installed():
                return "PlantUML is not installed: run `make tools`"
            toolchain.java_executable()
            return ""
        if name == "mermaid":
            if os.environ.get("MERMAID_INK_SERVER"):
                return ""
            from diagram_dsl.renderers.mermaid.locate import require_ready

            require_ready()
            return ""
    except Exception as error:  # noqa: BLE001 - any failure to find a tool means "not available", with its reason
        return str(error)
    return f"unknown renderer {name!r}"


Job = tuple[FlowModel, concurrent.futures.Future[str]] | None  # None: stop


class _ToolThread(threading.Thread):
    def __init__(self, name: str) -> None:
        super().__init__(name=f"preview-{name}", daemon=False)
        self.renderer = name
        self.jobs: queue.Queue[Job] = queue.Queue()
        self.lock = threading.Lock()
        self.accepting = True  # False once the session has ended: jobs then go to a new thread

    def submit(self, job: Job) -> bool:
        with self.lock:
            if self.accepting:
                self.jobs.put(job)
            return self.accepting

    def run(self) -> None:
        try:
            with get_renderer(self.renderer).session(RenderOptions()) as session:
                while (job := self.jobs.get()) is not _STOP:
                    model, future = job
                    try:
                        future.set_result(session.render(model).svg.decode("utf-8"))
                    except Exception as error:  # noqa: BLE001 - one flow's failure is that flow's message
                        future.set_exception(error)
        except Exception as error:  # noqa: BLE001 - the tool could not start: every waiting flow says why
            self._fail_waiting(RenderError(f"{self.renderer} could not start: {error}"))
            return
        self._fail_waiting(RenderError(f"{self.renderer} stopped"))

    def _fail_waiting(self, error: Exception) -> None:
        with self.lock:
            self.accepting = False
        while True:
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                return
            if job is not _STOP:
                job[1].set_exception(error)


class ToolRenderers:
    def __init__(self) -> None:
        self._threads: dict[str, _ToolThread] = {}

    async def render(self, name: str, model: FlowModel) -> str:
        """The SVG ``name`` draws for ``model``; raises RenderError (or the tool's error) with the reason."""
        future: concurrent.futures.Future[str] = concurrent.futures.Future()
        thread = self._threads.get(name)
        if thread is None or not thread.submit((model, future)):
            if thread is not None:
                thread.join()
            thread = self._threads[name] = _ToolThread(name)
            thread.start()
            thread.submit((model, future))
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        for thread in self._threads.values():
            thread.submit(_STOP)
        for thread in self._threads.values():
            thread.join()
        self._threads.clear()
