"""diagram-dsl: sequence diagrams as checked code."""

from diagram_dsl.dsl import Call, Flow, Lifeline
from diagram_dsl.model import GuideEntry, Scores

__all__ = ["Call", "Flow", "GuideEntry", "Lifeline", "Scores"]
__version__ = "0.1.0"
