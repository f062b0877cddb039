"""One Mermaid rendering session: the local mermaid-cli + Chromium, or a mermaid.ink-compatible server."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any

from diagram_dsl.emit import emit_mermaid
from diagram_dsl.model import FlowModel
from diagram_dsl.renderers.base import Rendered, RenderError, RenderOptions, RenderSession
from diagram_dsl.renderers.imagecheck import checked
from diagram_dsl.renderers.mermaid.browser import BrowserProcess, mermaid_browser
from diagram_dsl.renderers.mermaid.ink import InkClient, InkSyntaxError
from diagram_dsl.renderers.toolerrors import syntax_error_message

# Fixed look, independent of the machine: the theme, Open Sans as shipped by the pinned mermaid-cli
# (loaded into the page from node_modules, not from the system), ids derived from a seed, and
# absolute sizes (no shrinking to the 800 px viewport).
FONT = '"Open Sans", sans-serif'
MERMAID_CONFIG: dict[str, Any] = {
    "theme": "default",
    "securityLevel": "strict",
    "deterministicIds": True,
    "deterministicIDSeed": "diagram-dsl",
    "fontFamily": FONT,
    "themeVariables": {"fontFamily": FONT},
    "sequence": {"useMaxWidth": False},
}


# Mermaid's own dark theme on GitHub's dark canvas (the native renderer's dark background too).
DARK_BACKGROUND = "#0D1117"


def config_for(theme: str) -> tuple[dict[str, Any], str]:
    """The Mermaid configuration and page background for ``theme``."""
    if theme == "light":
        return MERMAID_CONFIG, "white"
    if theme != "dark":
        raise RenderError(f"the mermaid renderer has no theme {theme!r}; use light or dark")
    return {**MERMAID_CONFIG, "theme": "dark"}, DARK_BACKGROUND


def _syntax_error(flow: FlowModel, text: str, line: int | None, message: str) -> RenderError:
    return RenderError(syntax_error_message(flow, "Mermaid", text, line, message, "mmd"))


class CliSession:
    def __init__(self, browser: BrowserProcess, options: RenderOptions) -> None:
        self.browser = browser
        self.options = options

    def render(self, flow: FlowModel) -> Rendered:
        diagram = flow.diagram
        if self.options.theme == "dark":
            # A box colour is chosen for a light page; on Mermaid's dark theme it would put light grey text on a
            # light fill, so dark pictures draw boxes outlined only.
            diagram = dataclasses.replace(diagram, boxes=tuple(dataclasses.replace(box, color=None)
                                                               for box in diagram.boxes))
        text = emit_mermaid(diagram)
        config, background = config_for(self.options.theme)
        answer = self.browser.render(text, scale=self.options.scale, config=config, background=background)
        if not answer.ok:
            raise _syntax_error(flow, text, answer.line, answer.error)
        if b"Syntax error in text" in answer.svg and b"Syntax error in text" not in text.encode():
            raise _syntax_error(flow, text, None, "Mermaid drew its error image")
        png, svg = checked(answer.png, answer.svg, what="Mermaid (mermaid-cli)")
        return Rendered(png=png, svg=svg)


class InkSession:
    def __init__(self, client: InkClient) -> None:
        self.client = client

    def render(self, flow: FlowModel) -> Rendered:
        text = emit_mermaid(flow.diagram)
        try:
            png, svg = self.client.render(text)
        except InkSyntaxError as error:
            raise _syntax_error(flow, text, error.line, error.message) from None
        except RenderError as error:
            raise RenderError(f"{flow.metadata.location.file}: {error}") from None
        png, svg = checked(png, svg, what=f"the mermaid.ink server {self.client.server}")
        return Rendered(png=png, svg=svg)


@contextlib.contextmanager
def mermaid_session(options: RenderOptions) -> Iterator[RenderSession]:
    if options.mermaid_ink_server:
        if options.theme != "light":
            raise RenderError(f"theme {options.theme!r} needs the local mermaid-cli; the mermaid.ink path draws light "
                              "pictures only")
        yield InkSession(InkClient(options.mermaid_ink_server))
        return
    with mermaid_browser() as browser:
        yield CliSession(browser, options)
