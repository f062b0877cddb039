"""``.. image::`` / ``.. figure::`` links to generated pictures: warned about when no flow draws them or their
section is about another flow, and served from the flows themselves (no committed outputs needed)."""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform

from diagram_dsl.embed.links import judge, picture_names, points_at_outputs
from diagram_dsl.sphinx.project import flows_for, logger, note_sources, place_pictures


def _section_titles(node: nodes.Node) -> list[str]:
    titles: list[str] = []
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section) and parent.children and isinstance(parent[0], nodes.title):
            titles.append(parent[0].astext())
        parent = parent.parent
    return titles[::-1]


def _location(node: nodes.Element) -> tuple[str, int] | nodes.Node:
    """Where a warning about ``node`` points: its own line, else the nearest ancestor's."""
    current: nodes.Node | None = node
    while current is not None:
        if current.source and current.line:
            return current
        current = current.parent
    return node


class GeneratedPictureLinks(SphinxTransform):
    default_priority = 500  # after the standard ones; images are collected only after every transform

    def apply(self, **kwargs: object) -> None:
        images = [image for image in self.document.findall(nodes.image)
                  if "diagram-dsl" not in image.get("classes", ())]
        if not images:
            return
        flows = flows_for(self.env)
        names = picture_names(flows.catalog)
        for image in images:
            uri = str(image["uri"])
            if "://" in uri or not points_at_outputs(uri, flows.project):
                continue
            named, drift = judge(uri, _section_titles(image), str(image.get("alt", "")), flows.catalog, names)
            if drift is not None:
                logger.warning(f"{drift.code} {drift.message}", location=_location(image), type="diagram-dsl",
                               subtype=drift.code)
            if named is None:
                continue
            note_sources(self.env, flows, named.flow)
            placed = place_pictures(self.env, flows, named.flow, named.theme, named.format)
            if placed is not None:
                image["uri"] = placed
