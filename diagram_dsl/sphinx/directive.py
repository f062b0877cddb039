"""``.. sequence-flow:: 4`` — a flow's picture, with its validator findings as warnings at the directive."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from diagram_dsl.catalog import LoadedFlow
from diagram_dsl.embed.options import EmbedError, make_embed
from diagram_dsl.embed.site import DocsFlows, alt_text, fails
from diagram_dsl.project import PICTURE_FORMATS, THEMES
from diagram_dsl.sphinx.project import flows_for, logger, note_sources, place_pictures


def _choice(values: tuple[str, ...]) -> Callable[[str], Any]:
    return lambda argument: directives.choice(argument, values)


class SequenceFlowDirective(SphinxDirective):
    required_arguments = 1  # a number, slug, <n>-<slug> stem, source file name, or a path to the source
    optional_arguments = 0
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "alt": directives.unchanged,
        "caption": directives.unchanged,
        "theme": _choice(THEMES),
        "format": _choice(PICTURE_FORMATS),
        "width": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        where = self.get_location()
        flows = flows_for(self.env)
        try:
            embed = make_embed({"flow": self.arguments[0], **{key: str(value) for key, value in self.options.items()}})
        except EmbedError as error:
            logger.warning(f"sequence-flow: {error.message}" + (f" ({error.hint})" if error.hint else ""),
                           location=where, type="diagram-dsl", subtype="option")
            return []
        flow = flows.lookup(embed.flow, Path(self.env.doc2path(self.env.docname)).parent)
        if flow is None:
            failed = flows.load_problems()
            why = f"; sources that failed to load: {'; '.join(failed)}" if failed else ""
            logger.warning(f"sequence-flow: no flow {embed.flow!r} in {flows.project.sources}/ (name one by number, "
                           f"slug or source file){why}", location=where, type="diagram-dsl", subtype="unknown")
            return []
        note_sources(self.env, flows, flow)
        level = self.env.config.diagram_dsl_fail_on
        meta = flow.metadata
        for finding in flows.findings_of(flow):
            text = f"flow {meta.number} ({meta.title}): {finding}"
            if fails(finding.severity.value, level):
                logger.warning(text, location=where, type="diagram-dsl", subtype=finding.code)
            else:
                logger.info(text, location=where)
        pictures = self._pictures(flows, flow, embed.theme, embed.format)
        if pictures is None:
            return []
        for image in pictures.traverse(nodes.image):
            image["alt"] = embed.alt or alt_text(flow)
            if embed.width is not None:
                image["width"] = embed.width if embed.width.endswith(("%", "px")) else f"{embed.width}px"
            self.set_source_info(image)
        if embed.caption is None:
            return list(pictures.children)
        figure = nodes.figure("", *pictures.children, classes=["diagram-dsl"])
        caption = nodes.caption(embed.caption, embed.caption)
        figure += caption
        self.set_source_info(figure)
        self.add_name(figure)
        return [figure]

    def _pictures(self, flows: DocsFlows, flow: LoadedFlow, theme: str | None, fmt: str | None
                  ) -> nodes.Element | None:
        """The flow's image node(s) in a container; None when a picture could not be drawn (already reported).

        One theme named, or a project with one theme: its picture. A light and dark project with no ``:theme:``:
        the light picture marked ``only-light`` and, in HTML only, the dark one marked ``only-dark`` — the classes
        Furo and the PyData theme show by the reader's colour scheme; diagram-dsl.css shows the light picture on
        themes that have no dark mode.
        """
        themes = (theme,) if theme else flows.project.themes
        both = len(themes) > 1 and {"light", "dark"} <= set(themes)
        container = nodes.container()
        for each in ("light", "dark") if both else themes[:1]:
            uri = place_pictures(self.env, flows, flow, each, fmt)
            if uri is None:
                return None
            image = nodes.image(uri=uri, classes=["diagram-dsl", *([f"only-{each}"] if both else [])])
            if each == "dark":
                only = addnodes.only(expr="html")
                only += image
                container += only
            else:
                container += image
        return container
