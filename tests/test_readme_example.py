"""The README's example flow is real code: it loads, builds and passes the validator."""

from __future__ import annotations

import re
from pathlib import Path

from diagram_dsl.catalog import load_flow_file
from diagram_dsl.validate import Severity, validate

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_flow_builds_and_validates(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    example = next(block for block in blocks if "flow = Flow(" in block)
    source = tmp_path / "01_simple_login_sequence.py"
    source.write_text(example)
    flow = load_flow_file(source)
    assert flow.metadata.title == "Simple Login Sequence"
    assert len(flow.model.diagram.messages()) == 7  # 3 requests, 4 replies (two alternative ones)
    errors = [str(f) for f in validate(flow.model.diagram, flow.metadata) if f.severity is Severity.ERROR]
    assert errors == []


def test_the_readme_lists_every_rule_code_with_its_severity() -> None:
    from diagram_dsl.validate.findings import RULES

    listed = dict(re.findall(r"^\| ([A-Z]{3}\d{3}) \| (error|warning|info) \|", README.read_text(), flags=re.M))
    assert listed == {code: rule.severity.value for code, rule in RULES.items()}
