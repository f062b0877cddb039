"""Hand-written PlantUML and Mermaid sequence diagrams (files and Markdown blocks) into the model."""

from diagram_dsl.importers.mermaid import import_mermaid, parse_mermaid
from diagram_dsl.importers.plantuml import import_plantuml, parse_plantuml
from diagram_dsl.importers.result import ImportedDiagram, ImportFailure

__all__ = ["ImportFailure", "ImportedDiagram", "import_mermaid", "import_plantuml", "parse_mermaid", "parse_plantuml"]
