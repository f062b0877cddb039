"""What an importer hands back: a diagram or one clean failure, always with where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from diagram_dsl.errors import DiagramDslError
from diagram_dsl.importers.facts import DrawnFacts
from diagram_dsl.model import Diagram, Location


class ImportFailure(DiagramDslError):
    """Hand-written PlantUML/Mermaid text that cannot be read: one message at the offending file:line."""


class TooDeep(ImportFailure):
    """Fragments nested past ``model_drafts.MAX_NESTING``: the whole diagram is refused (one finding), not a line."""


@dataclass(frozen=True)
class ImportedDiagram:
    """One diagram found in a file (a ``@startuml`` block, a ``.mmd`` file or a Markdown code block).

    ``replies_drawn`` is False when the author drew no reply arrow at all (no dashed reply, no
    ``return``): the validator then reports once that replies are implicit instead of one
    missing-reply error per request.
    """

    origin: Location
    language: str  # "plantuml" or "mermaid"
    diagram: Diagram | None
    error: ImportFailure | None
    replies_drawn: bool = True
    facts: DrawnFacts = field(default_factory=DrawnFacts)  # how it was drawn: see importers.facts

    @property
    def ok(self) -> bool:
        return self.diagram is not None
