"""Incremental, atomic builds of every flow's PNG, SVG, PlantUML and Mermaid outputs."""

from diagram_dsl.build.runner import BuildReport, run_build
from diagram_dsl.build.staleness import BuildPlan, FlowPlan, Status, plan_build

__all__ = ["BuildPlan", "BuildReport", "FlowPlan", "Status", "plan_build", "run_build"]
