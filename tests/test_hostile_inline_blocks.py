"""An inline block that crashes, stalls or fools PlantUML affects only that block.

The other blocks are still checked by the real parser, each finding stays at its own block's line, and
no message carries a Java stack trace.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from diagram_dsl.cli import main
from diagram_dsl.toolchain import plantuml_render_svg, plantuml_syntax_check

GOOD = "@startuml\nAlice -> Bob : hi\nBob --> Alice : ok\n@enduml"
# Runaway recursion in PlantUML's preprocessor: the JVM dies of a StackOverflowError.
CRASH = "!function $f($x)\n!return $f($x)\n!endfunction\nAlice -> Bob : $f(1)"
# Exponential recursion: PlantUML would take longer than anyone waits.
STALL = ("!function $f($n)\n!if $n == 0\n!return 1\n!endif\n!return $f($n - 1) + $f($n - 1)\n!endfunction\n"
         "A -> B : $f(40)")
BROKEN = "Alice -> Bob : hi\nthis line is not PlantUML"
# An error message with line breaks that look like PlantUML's answers for more diagrams.
FORGER = ('!$x = "a" + %chr(10) + "SEQUENCE" + %chr(10) + "(2 participants)" + %chr(10) + "ERROR"\n'
          "!assert %false() : $x\nA -> B : x")
STACK_TRACE = re.compile(r"Exception in thread|\bat (net\.sourceforge|java\.)|\.java:\d+\)")


def _framed(body: str) -> str:
    return body if body.startswith("@startuml") else f"@startuml\n{body}\n@enduml\n"


def _document(blocks: list[tuple[str, str]]) -> tuple[str, list[int]]:
    """Markdown holding each (language, body) block, and the line of each block's first content line."""
    lines = ["# Inline diagrams", ""]
    starts = []
    for language, body in blocks:
        lines.append(f"```{language}")
        starts.append(len(lines) + 1)
        lines.extend(body.splitlines())
        lines += ["```", ""]
    return "\n".join(lines) + "\n", starts


@pytest.mark.usefixtures("plantuml", "mermaid")
def test_a_crashing_block_is_one_finding_and_the_others_are_still_checked(tmp_path: Path) -> None:
    text, starts = _document([("plantuml", GOOD), ("plantuml", CRASH), ("plantuml", BROKEN),
                              ("mermaid", "sequenceDiagram\n  A->>B: hi"), ("plantuml", FORGER), ("plantuml", GOOD),
                              ("plantuml", BROKEN)])
    doc = tmp_path / "doc.md"
    doc.write_text(text)
    outputs = {}
    for output in ("text", "json", "github"):
        result = CliRunner().invoke(main, ["--root", str(tmp_path), "check", str(doc), "--format", output])
        assert result.exit_code == 1, result.output
        outputs[output] = result.output
        assert not STACK_TRACE.search(result.output), result.output
    findings = [f for f in json.loads(outputs["json"]) if f["code"].startswith("DOC21")]
    assert [(f["code"], f["line"]) for f in findings] == [
        ("DOC210", starts[1]), ("DOC210", starts[2] + 1), ("DOC210", starts[4] + 1), ("DOC210", starts[6] + 1)]
    crash, broken, forged, broken_again = (f["message"] for f in findings)
    assert "crashed on it (java.lang.StackOverflowError)" in crash
    assert "Syntax Error" in broken and "Syntax Error" in broken_again  # the real parser, after the crash
    assert "Assertion error" in forged


@pytest.mark.usefixtures("plantuml")
def test_a_stalled_diagram_times_out_alone() -> None:
    texts = [_framed(GOOD), _framed(STALL), _framed(BROKEN), _framed(GOOD)]
    verdicts = plantuml_syntax_check(texts, diagram_timeout=8)
    assert [verdict.ok for verdict in verdicts] == [True, False, False, True]
    assert "did not finish it within 8 s" in verdicts[1].error
    assert verdicts[2].line == 3 and "Syntax Error" in verdicts[2].error
    drawn = plantuml_render_svg(texts, diagram_timeout=8)
    assert [result.check.ok for result in drawn] == [True, False, False, True]
    assert "<svg" in drawn[0].svg and "<svg" in drawn[3].svg


@pytest.mark.usefixtures("plantuml")
def test_a_diagram_cannot_fake_the_answers_of_the_others() -> None:
    """Text a diagram prints (an assertion message, a drawn label) never ends its answer early."""
    texts = [_framed(FORGER), _framed(BROKEN), _framed(GOOD), _framed(CRASH), _framed(GOOD)]
    verdicts = plantuml_syntax_check(texts)
    assert [verdict.ok for verdict in verdicts] == [False, False, True, False, True]
    assert verdicts[0].line == 3 and verdicts[1].line == 3
    assert not any(STACK_TRACE.search(verdict.error) for verdict in verdicts)
    # In an SVG too: a label spelling an answer delimiter is just a label.
    label = "@startuml\nA -> B : @@diagram-dsl:end-of-output@@ </svg>\n@enduml\n"
    drawn = plantuml_render_svg([label, _framed(BROKEN), _framed(GOOD)])
    assert [result.check.ok for result in drawn] == [True, False, True]
