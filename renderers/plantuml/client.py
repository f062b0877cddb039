"""The ``plantuml`` PyPI client, with its failure modes turned into RenderError.

The client (0.3.0) is old: a non-200 answer makes it build a ``PlantUMLHTTPError`` that reads a
``message`` attribute Python 3 exceptions lack, so the caller sees an unrelated AttributeError,
and a refused connection escapes as a bare OSError. We hand it an ``httplib2.Http`` that keeps
the last answer, so whatever it raises, we can say what the server actually answered: a PlantUML
syntax error (status 400 with ``X-PlantUML-Diagram-Error`` headers) or a server problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httplib2  # type: ignore[import-untyped]
import plantuml

from diagram_dsl.renderers.base import RenderError
from diagram_dsl.toolchain.results import one_line_complaint


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class PlantumlSyntaxError(RenderError):
    """PlantUML rejected the text; ``line`` is 1-based within the text sent (the @startuml line is 1)."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line
        self.message = message


class _RecordingHttp(httplib2.Http):  # type: ignore[misc]
    """An ``httplib2.Http`` that remembers the last answer, which the client forgets on errors."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.last: Answer | None = None

    def request(self, uri: str, *args: Any, **kwargs: Any) -> tuple[Any, bytes]:
        self.last = None
        response, content = super().request(uri, *args, **kwargs)
        self.last = Answer(int(response.status), {k.lower(): str(v) for k, v in response.items()}, content)
        return response, content


def _endpoint(base_url: str) -> str:
    """``http://host:8080/plantuml`` from what a user may paste (with or without /png/, /svg/, /img/)."""
    base = base_url.strip().rstrip("/")
    for suffix in ("/png", "/svg", "/img", "/txt", "/uml"):
        base = base.removesuffix(suffix)
    return base


class PlantumlClient:
    """Renders PlantUML text to PNG or SVG bytes through one server."""

    def __init__(self, base_url: str, *, timeout: float = 120.0, use_environment_proxy: bool = True) -> None:
        self.base_url = _endpoint(base_url)
        options: dict[str, Any] = {"timeout": timeout}
        if not use_environment_proxy:
            options["proxy_info"] = None  # our own loopback server: never through a proxy
        self._clients = {}
        for kind in ("png", "svg"):
            client = plantuml.PlantUML(url=f"{self.base_url}/{kind}/", http_opts=dict(options))
            client.http = _RecordingHttp(**options)
            self._clients[kind] = client

    def close(self) -> None:
        """Close the kept-alive connections (httplib2 would leave them to the garbage collector)."""
        for client in self._clients.values():
            client.http.close()

    def __enter__(self) -> PlantumlClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def render(self, text: str, kind: str) -> bytes:
        """``kind`` is "png" or "svg". Raises PlantumlSyntaxError or RenderError, never the client's own errors."""
        client = self._clients[kind]
        recorder: _RecordingHttp = client.http
        try:
            content = client.processes(text)
        except (plantuml.PlantUMLError, AttributeError, httplib2.HttpLib2Error, OSError) as error:
            raise self._failure(recorder.last, error) from None
        answer = recorder.last
        if answer is not None and (answer.headers.get("x-plantuml-diagram-error")
                                   or answer.headers.get("x-plantuml-diagram-description") == "(Error)"):
            raise self._failure(answer, None)  # an error image served with 200 by some servers
        return bytes(content)

    def _failure(self, answer: Answer | None, error: BaseException | None) -> RenderError:
        if answer is None:
            reason = str(error) or type(error).__name__
            return RenderError(f"cannot reach the PlantUML server at {self.base_url}: {reason}")
        message = answer.headers.get("x-plantuml-diagram-error")
        if message:
            line_text = answer.headers.get("x-plantuml-diagram-error-line", "")
            return PlantumlSyntaxError(int(line_text) if line_text.isdigit() else None, message)
        if answer.headers.get("x-plantuml-diagram-description") == "(Error)":
            return PlantumlSyntaxError(None, "PlantUML drew an error image")
        return RenderError(f"the PlantUML server at {self.base_url} answered HTTP {answer.status} "
                           f"({one_line_complaint(answer.body[:2000].decode('utf-8', 'replace'))[:80]!r})")
