"""The real PlantUML and Mermaid, located or installed from the project's own files, and batch checkers.

Used by the emitter tests and by the PlantUML/Mermaid renderers. ``python -m diagram_dsl.toolchain install``
(what ``make tools`` runs) installs ``tools/node_modules`` from the lock file.
"""

from __future__ import annotations

from diagram_dsl.toolchain.locate import (
    install_tools,
    java_command,
    java_executable,
    mermaid_script,
    node_executable,
    npm_command,
    plantuml_jar,
    plantuml_version,
    tools_dir,
    tools_installed,
)
from diagram_dsl.toolchain.mermaid_check import (
    MermaidActor,
    MermaidInspection,
    MermaidMessage,
    mermaid_inspect,
    mermaid_parse,
)
from diagram_dsl.toolchain.plantuml_check import SvgResult, plantuml_render_svg, plantuml_syntax_check
from diagram_dsl.toolchain.results import CheckResult, ToolError

__all__ = [
    "CheckResult",
    "MermaidActor",
    "MermaidInspection",
    "MermaidMessage",
    "SvgResult",
    "ToolError",
    "install_tools",
    "java_command",
    "java_executable",
    "mermaid_inspect",
    "mermaid_parse",
    "mermaid_script",
    "node_executable",
    "npm_command",
    "plantuml_jar",
    "plantuml_render_svg",
    "plantuml_syntax_check",
    "plantuml_version",
    "tools_dir",
    "tools_installed",
]
