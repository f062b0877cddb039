"""One Node process running ``tools/mermaid-render-batch.mjs``: one headless Chromium for the batch.

Requests and answers are JSON lines. Shutdown is layered so no Node or Chromium survives: closing
stdin asks the script to close the browser; then the Node process group is stopped; then any
process still naming our private ``--user-data-dir`` (Chromium and its helpers) is killed.
"""

from __future__ import annotations

import base64
import contextlib
import json
import queue
import signal
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diagram_dsl.renderers.base import RenderError
from diagram_dsl.renderers.mermaid.locate import ALTERNATIVE, INSTALL_COMMAND, batch_script, require_ready
from diagram_dsl.renderers.toolproc import kill_processes_mentioning, scratch_dir, spawn, stop_group

START_TIMEOUT = 90.0
RENDER_TIMEOUT = 120.0
_EOF = object()


@dataclass(frozen=True)
class MermaidAnswer:
    ok: bool
    png: bytes = b""
    svg: bytes = b""
    error: str = ""
    line: int | None = None


def _pump(stream: Any, lines: queue.Queue[object]) -> None:
    for raw in iter(stream.readline, b""):
        lines.put(raw)
    lines.put(_EOF)


class BrowserProcess:
    """Talks to a started render-batch.mjs; use :func:`mermaid_browser` to get one."""

    def __init__(self, process: subprocess.Popen[bytes], stderr_log: Path) -> None:
        self.process = process
        self.stderr_log = stderr_log
        self._lines: queue.Queue[object] = queue.Queue()
        self._next_id = 0
        assert process.stdout is not None
        self._reader = threading.Thread(target=_pump, args=(process.stdout, self._lines), daemon=True)
        self._reader.start()

    def _stderr_tail(self) -> str:
        with contextlib.suppress(OSError):
            lines = self.stderr_log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            return " | ".join(line for line in lines[-3:] if line.strip())
        return ""

    def read_message(self, timeout: float, waiting_for: str) -> dict[str, Any]:
        try:
            raw = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise RenderError(f"Mermaid (Node + Chromium) did not answer within {timeout:.0f} s while "
                              f"{waiting_for}") from None
        if raw is _EOF or not isinstance(raw, bytes):
            self.process.wait()
            raise RenderError(f"the Mermaid renderer exited ({self.process.returncode}) while {waiting_for}: "
                              f"{self._stderr_tail()}")
        try:
            message = json.loads(raw)
        except ValueError:
            raise RenderError(f"the Mermaid renderer answered garbage while {waiting_for}: {raw[:80]!r}") from None
        if not isinstance(message, dict):
            raise RenderError(f"the Mermaid renderer answered {message!r} while {waiting_for}")
        return message

    def render(self, text: str, *, scale: float, config: dict[str, Any], mode: str = "page",
               background: str = "white") -> MermaidAnswer:
        """``mode`` "page" reuses one prepared page; "mmdc" calls mermaid-cli's renderMermaid (reference)."""
        self._next_id += 1
        request = {"id": self._next_id, "text": text, "scale": scale, "config": config, "mode": mode,
                   "background": background}
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            self.process.stdin.flush()
        except OSError:
            raise RenderError(f"the Mermaid renderer is gone: {self._stderr_tail()}") from None
        answer = self.read_message(RENDER_TIMEOUT, "rendering")
        if answer.get("id") != self._next_id:
            raise RenderError(f"the Mermaid renderer answered request {answer.get('id')} for {self._next_id}")
        if not answer.get("ok"):
            line = answer.get("line")
            return MermaidAnswer(False, error=str(answer.get("error", "render failed")),
                                 line=line if isinstance(line, int) else None)
        return MermaidAnswer(True, png=base64.b64decode(answer["png"]), svg=str(answer["svg"]).encode("utf-8"))

    def close(self, grace: float = 10.0) -> None:
        """Ask politely (end of input), then stop the Node process group."""
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=grace)

    def release_pipes(self) -> None:
        """After the process is gone: let the reader see the end, then close our end of its stdout."""
        self._reader.join(timeout=5)
        if not self._reader.is_alive() and self.process.stdout is not None:
            self.process.stdout.close()


@contextlib.contextmanager
def mermaid_browser() -> Iterator[BrowserProcess]:
    """A started renderer for the ``with`` block; afterwards no Node or Chromium of ours is left."""
    node, chromium = require_ready()
    script = batch_script()
    with scratch_dir("mermaid") as scratch:
        profile = scratch / "chromium-profile"  # unique: also how leftovers are found
        stderr_log = scratch / "node.log"
        with stderr_log.open("wb") as sink:
            process = spawn([str(node), str(script), str(chromium), str(profile)], cwd=script.parent,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=sink, death_signal=signal.SIGTERM)
        browser = BrowserProcess(process, stderr_log)
        try:
            hello = browser.read_message(START_TIMEOUT, "starting Chromium")
            if not hello.get("ready"):
                raise RenderError(f"Chromium ({chromium}) did not start: {hello.get('error', '?')}; "
                                  f"run `{INSTALL_COMMAND}`, {ALTERNATIVE}")
            yield browser
        finally:
            try:
                browser.close()
            finally:
                stop_group(process)
                kill_processes_mentioning(str(profile))
                browser.release_pipes()
