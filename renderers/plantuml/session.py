"""One PlantUML rendering session: a server (ours or the user's), PNG and SVG per flow, checked."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from diagram_dsl.emit import emit_plantuml
from diagram_dsl.model import FlowModel
from diagram_dsl.renderers.base import Rendered, RenderError, RenderOptions, RenderSession
from diagram_dsl.renderers.imagecheck import checked
from diagram_dsl.renderers.plantuml.client import PlantumlClient, PlantumlSyntaxError
from diagram_dsl.renderers.plantuml.server import local_server
from diagram_dsl.renderers.toolerrors import syntax_error_message


def with_png_scale(text: str, scale: float) -> str:
    """PlantUML's own ``scale`` directive, inserted after ``@startuml`` so the SVG keeps its line numbers."""
    if scale == 1.0:
        return text
    first, _, rest = text.partition("\n")
    return f"{first}\nscale {scale:g}\n{rest}"


# PlantUML's own dark look: light ink on a black page. It goes last, before @enduml, so the lines of the text
# keep their numbers (a syntax error names the line the user sees in the .puml file).
DARK_SKIN = "skinparam monochrome reverse"


def with_theme(text: str, theme: str) -> str:
    if theme == "light":
        return text
    if theme != "dark":
        raise RenderError(f"the plantuml renderer has no theme {theme!r}; use light or dark")
    body, end, rest = text.rpartition("@enduml")
    return f"{body}{DARK_SKIN}\n{end}{rest}" if end else f"{text}\n{DARK_SKIN}\n"


class PlantumlSession:
    def __init__(self, client: PlantumlClient, options: RenderOptions) -> None:
        self.client = client
        self.options = options

    def render(self, flow: FlowModel) -> Rendered:
        text = with_theme(emit_plantuml(flow.diagram), self.options.theme)
        try:
            # SVG first and unscaled: a syntax error then names a line of the text the user can see.
            svg = self.client.render(text, "svg")
            png = self.client.render(with_png_scale(text, self.options.scale), "png")
        except PlantumlSyntaxError as error:
            raise RenderError(syntax_error_message(flow, "PlantUML", text, error.line, error.message,
                                                   "puml")) from None
        except RenderError as error:
            raise RenderError(f"{flow.metadata.location.file}: {error}") from None
        png, svg = checked(png, svg, what=f"PlantUML ({self.client.base_url})")
        return Rendered(png=png, svg=svg)


@contextlib.contextmanager
def plantuml_session(options: RenderOptions) -> Iterator[RenderSession]:
    if options.plantuml_server:
        with PlantumlClient(options.plantuml_server) as client:
            yield PlantumlSession(client, options)
        return
    with local_server() as url, PlantumlClient(url, use_environment_proxy=False) as client:
        yield PlantumlSession(client, options)
