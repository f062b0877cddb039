"""The renderer contract and registry.

A renderer turns flows into PNG and SVG bytes. Tool-backed renderers (PlantUML,
Mermaid) are expensive to start, so rendering happens inside a session that is
opened once per batch and always closed, also on error and Ctrl-C.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from diagram_dsl.model import FlowModel


@dataclass(frozen=True)
class Highlight:
    """Draw one message or participant in ``color`` (#RRGGBB); a ``ghost`` is paler and dashed (``diagram-dsl diff``:
    added green, removed red ghosts, relabelled amber). Only the native renderer draws highlights."""

    color: str
    ghost: bool = False


# What a highlight names: a message id (int), a participant id (str), or ("fragment", n) for the n-th fragment
# in document order (depth first, counting from 0).
HighlightKey = int | str | tuple[str, int]


@dataclass(frozen=True)
class RenderOptions:
    scale: float = 1.0  # PNG pixel density multiplier (2.0 for high-DPI)
    wrap_width: int = 260  # logical px after which long labels wrap (native renderer)
    plantuml_server: str | None = None  # URL of a PlantUML server the user runs; None starts our own
    mermaid_ink_server: str | None = None  # URL of a mermaid.ink-compatible server; None uses mermaid-cli
    theme: str = "light"  # colour theme of the pictures (project setting `theme`)
    highlights: tuple[tuple[HighlightKey, Highlight], ...] = ()  # what is drawn in another colour, and how
    # The pictures the caller keeps: a renderer may leave the others empty (b"") instead of drawing them.
    pictures: tuple[str, ...] = ("png", "svg")


@dataclass(frozen=True)
class Rendered:
    png: bytes
    svg: bytes


class RenderError(Exception):
    """A flow could not be rendered; the message names the flow's source file and what to do."""


class RenderSession(Protocol):
    def render(self, flow: FlowModel) -> Rendered: ...


class Renderer(Protocol):
    name: str

    def version(self) -> str:
        """Version string recorded in the build manifest (e.g. 'native 0.1.0', 'plantuml 1.2025.8')."""
        ...

    def session(self, options: RenderOptions) -> contextlib.AbstractContextManager[RenderSession]: ...


_REGISTRY: dict[str, Callable[[], Renderer]] = {}
# Built-in renderers register themselves when their module is imported; only the one asked for is imported,
# since the tool-backed ones pull in HTTP clients.
_BUILTIN = {name: f"diagram_dsl.renderers.{name}" for name in ("native", "plantuml", "mermaid")}


def register(name: str, factory: Callable[[], Renderer]) -> None:
    _REGISTRY[name] = factory


def renderer_names() -> tuple[str, ...]:
    return tuple(sorted(set(_REGISTRY) | set(_BUILTIN)))


def get_renderer(name: str) -> Renderer:
    if name not in _REGISTRY and name in _BUILTIN:
        importlib.import_module(_BUILTIN[name])
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise RenderError(f"unknown renderer {name!r}; choose one of {', '.join(renderer_names())}") from None


@contextlib.contextmanager
def nullsession(render: Callable[[FlowModel], Rendered]) -> Iterator[RenderSession]:
    """A session for renderers with nothing to start or stop."""

    class _Session:
        def render(self, flow: FlowModel) -> Rendered:
            return render(flow)

    yield _Session()
