"""The Python DSL for writing flows."""

from diagram_dsl.dsl.flow import Flow
from diagram_dsl.dsl.fragment import FragmentHandle
from diagram_dsl.dsl.lifeline import Call, Lifeline

__all__ = ["Call", "Flow", "FragmentHandle", "Lifeline"]
