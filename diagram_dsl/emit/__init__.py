"""Emitters: pure functions from the model to PlantUML and Mermaid text (see docs/emit-mapping.md)."""

from __future__ import annotations

from collections.abc import Callable

from diagram_dsl.emit.mermaid import emit_mermaid
from diagram_dsl.emit.plantuml import emit_plantuml
from diagram_dsl.model import Diagram

EMITTERS: dict[str, Callable[[Diagram], str]] = {"plantuml": emit_plantuml, "mermaid": emit_mermaid}
EXTENSIONS = {"plantuml": "puml", "mermaid": "mmd"}

__all__ = ["EMITTERS", "EXTENSIONS", "emit_mermaid", "emit_plantuml"]
