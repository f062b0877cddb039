"""Mermaid through a mermaid.ink-compatible server, with the ``mermaid-py`` client.

mermaid-py reads the server from ``$MERMAID_INK_SERVER`` each time a diagram is made (not at
import), so we set it for the duration of each call and restore it afterwards.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator

import requests

from diagram_dsl.renderers.base import RenderError
from diagram_dsl.renderers.mermaid.locate import SERVER_ENV

with contextlib.redirect_stdout(io.StringIO()):
    # mermaid-py prints an IPython notice to stdout on import; the build's output is ours.
    import mermaid


class InkSyntaxError(RenderError):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@contextlib.contextmanager
def _server_in_environment(url: str) -> Iterator[None]:
    previous = os.environ.get(SERVER_ENV)
    os.environ[SERVER_ENV] = url
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(SERVER_ENV, None)
        else:
            os.environ[SERVER_ENV] = previous


class InkClient:
    def __init__(self, server: str) -> None:
        self.server = server.strip().rstrip("/")

    def render(self, text: str) -> tuple[bytes, bytes]:
        """``(png, svg)`` for ``text``; InkSyntaxError when the server rejects the diagram (HTTP 400)."""
        try:
            with _server_in_environment(self.server):
                diagram = mermaid.Mermaid(text)
        except mermaid.MermaidError as error:
            if getattr(error, "status_code", None) == 400:
                detail = str(getattr(error, "response_text", "")).strip().splitlines()
                message = detail[0] if detail else "the server rejected the diagram"
                match = re.search(r"line (\d+)", " ".join(detail), re.IGNORECASE)
                raise InkSyntaxError(int(match.group(1)) if match else None, message) from None
            first = str(error).splitlines()[0]
            raise RenderError(f"the mermaid.ink server {self.server} failed: {first}") from None
        except requests.RequestException as error:
            raise RenderError(f"cannot reach the mermaid.ink server {self.server}: {type(error).__name__}") from None
        return bytes(diagram.img_response.content), bytes(diagram.svg_response.content)
