"""Inline ```` ```mermaid ```` / ```` ```plantuml ```` sequence diagrams in Markdown must parse with the real tools.

One Node process and one JVM check every block of every file, so this stays a batch of seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from diagram_dsl.importers.markdown import CodeBlock, code_blocks
from diagram_dsl.importers.plantuml import parse_plantuml
from diagram_dsl.model import Location
from diagram_dsl.validate.findings import Finding, make_finding

_MERMAID_PREAMBLE = re.compile(r"^(\s*(%%.*)?\n)*(---\n(.*\n)*?---\n)?(\s*(%%.*)?\n)*")


@dataclass(frozen=True)
class _Block:
    file: str
    block: CodeBlock


def _is_sequence(block: CodeBlock) -> bool:
    if block.language == "mermaid":
        body = _MERMAID_PREAMBLE.sub("", block.text + "\n", count=1)
        return body.lstrip().startswith("sequenceDiagram")
    return bool(parse_plantuml(block.text, "<block>", block.first_line))


def _framed(text: str) -> str:
    return text if "@startuml" in text else f"@startuml\n{text}\n@enduml\n"


def sequence_blocks(md_files: list[tuple[Path, str]]) -> list[_Block]:
    found: list[_Block] = []
    for path, shown in md_files:
        text = path.read_text(encoding="utf-8", errors="replace")
        found.extend(_Block(shown, block) for block in code_blocks(text) if _is_sequence(block))
    return found


def check_inline_syntax(md_files: list[tuple[Path, str]]) -> list[Finding]:
    """DOC210 for every inline sequence diagram the real parser rejects; DOC211 once if the tools are absent."""
    blocks = sequence_blocks(md_files)
    if not blocks:
        return []
    from diagram_dsl.toolchain import ToolError, mermaid_parse, plantuml_syntax_check, tools_installed

    if not tools_installed():
        return [make_finding("DOC211", Location(blocks[0].file, blocks[0].block.first_line),
                             f"{len(blocks)} inline diagram(s) checked with diagram-dsl's own parser only; "
                             "run `make tools` for the real PlantUML and Mermaid")]
    mermaid = [b for b in blocks if b.block.language == "mermaid"]
    plantuml = [b for b in blocks if b.block.language == "plantuml"]
    findings: list[Finding] = []
    try:
        verdicts = list(zip(mermaid, mermaid_parse([b.block.text for b in mermaid]) if mermaid else [],
                            strict=True))
        framed = [_framed(b.block.text) for b in plantuml]
        verdicts += list(zip(plantuml, plantuml_syntax_check(framed) if plantuml else [], strict=True))
    except ToolError as error:
        return [make_finding("DOC211", Location(blocks[0].file, blocks[0].block.first_line),
                             f"the real parsers could not run ({error}); inline diagrams checked with "
                             "diagram-dsl's own parser only")]
    for item, verdict in verdicts:
        if verdict.ok:
            continue
        offset = 0 if item.block.language == "mermaid" or "@startuml" in item.block.text else -1
        line = item.block.first_line + max((verdict.line or 1) - 1 + offset, 0)
        tool = "Mermaid" if item.block.language == "mermaid" else "PlantUML"
        findings.append(make_finding("DOC210", Location(item.file, line),
                                     f"the real {tool} rejects this inline diagram: {verdict.error}"))
    return findings
