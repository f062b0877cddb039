"""Run the real PlantUML on many diagrams in one JVM.

Both checks send every diagram through one ``java -jar plantuml.jar -pipe`` process: PlantUML reads
consecutive ``@startuml`` ... ``@enduml`` blocks from stdin and answers each in turn. Starting one JVM
per diagram would cost about half a second each.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

from diagram_dsl.toolchain.locate import java_command
from diagram_dsl.toolchain.results import CheckResult, ToolError
from diagram_dsl.toolchain.sandbox import sandbox_environment

# PlantUML answers `-syntax` with a block per diagram: `SEQUENCE` / `(3 participants)` when it is
# understood, `ERROR` / `<0-based line>` / `<message>` when not. A block starts with an all-caps word.
_BLOCK_START = re.compile(r"^[A-Z][A-Z_]*$")
_DELIMITER = "@@diagram-dsl:end-of-output@@"
# PlantUML starts or ends a diagram at any line whose first non-blank characters are @start / @end.
_FRAME_LINE = re.compile(r"^\s*@(start|end)", re.IGNORECASE)


@dataclass(frozen=True)
class SvgResult:
    """A rendered diagram: ``svg`` is the document when ``check.ok``, else empty."""

    check: CheckResult
    svg: str = ""


def _framing_problem(text: str) -> CheckResult | None:
    """Texts that would not arrive as exactly one diagram are refused before PlantUML sees them.

    Otherwise one text holding a stray ``@enduml`` line would shift every later answer onto the
    wrong diagram.
    """
    lines = text.splitlines()
    frame = [index for index, line in enumerate(lines) if _FRAME_LINE.match(line)]
    if len(lines) < 2 or frame != [0, len(lines) - 1] or not lines[0].strip().lower().startswith("@startuml") \
            or not lines[-1].strip().lower().startswith("@enduml"):
        inner = [index for index in frame if index not in (0, len(lines) - 1)]
        line = inner[0] + 1 if inner else 1
        return CheckResult(False, "not exactly one @startuml ... @enduml block", line)
    return None


def _run(arguments: list[str], texts: list[str], timeout: float) -> str:
    payload = "".join(text if text.endswith("\n") else text + "\n" for text in texts)
    try:
        done = subprocess.run([*java_command(), *arguments], input=payload.encode("utf-8"), capture_output=True,
                              env=sandbox_environment(), timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise ToolError(f"PlantUML did not answer within {timeout:.0f} s for {len(texts)} diagrams") from None
    # Exit status 200 only says that some diagram had errors; each block tells which.
    if done.returncode not in (0, 200):
        raise ToolError(f"PlantUML exited with {done.returncode}: {done.stderr.decode('utf-8', 'replace')[-500:]}")
    return done.stdout.decode("utf-8", "replace")


def _parse_syntax_blocks(output: str) -> list[CheckResult]:
    blocks: list[list[str]] = []
    for line in output.splitlines():
        if _BLOCK_START.match(line.strip()):
            blocks.append([line.strip()])
        elif blocks:
            blocks[-1].append(line.strip())
    return [_syntax_block(block) for block in blocks]


def _syntax_block(block: list[str]) -> CheckResult:
    if block[0] != "ERROR":
        return CheckResult(True)
    # The line is 0-based from the @startuml line; callers count from 1 within the text they sent.
    line = int(block[1]) + 1 if len(block) > 1 and block[1].lstrip("-").isdigit() else None
    message = " ".join(part for part in block[2:] if part) or "syntax error"
    return CheckResult(False, message, line)


def _screen(texts: list[str]) -> tuple[list[int], list[CheckResult | None]]:
    """Verdicts for texts refused before sending, and the indexes of the texts to send."""
    verdicts: list[CheckResult | None] = [_framing_problem(text) for text in texts]
    return [index for index, verdict in enumerate(verdicts) if verdict is None], verdicts


def plantuml_syntax_check(texts: list[str], *, timeout: float = 300.0) -> list[CheckResult]:
    """Ask the real PlantUML (``-pipe -syntax``, one JVM) whether it understands each diagram.

    Each text must be one ``@startuml`` ... ``@enduml`` block. Returns one :class:`CheckResult` per
    text, in order; ``line`` is 1-based within that text. Note that ``-syntax`` forgives some
    structural slips (an unclosed ``alt`` is closed for you); :func:`plantuml_render_svg` draws.
    Raises :class:`ToolError` when Java or the jar is missing or PlantUML's answer cannot be read.
    """
    to_send, verdicts = _screen(texts)
    if to_send:
        answers = _parse_syntax_blocks(_run(["-pipe", "-syntax", "-charset", "UTF-8"],
                                            [texts[index] for index in to_send], timeout))
        if len(answers) != len(to_send):
            raise ToolError(f"PlantUML answered {len(answers)} diagrams out of {len(to_send)} sent")
        for index, answer in zip(to_send, answers, strict=True):
            verdicts[index] = answer
    return [verdict for verdict in verdicts if verdict is not None]


def plantuml_render_svg(texts: list[str], *, timeout: float = 300.0) -> list[SvgResult]:
    """Render each diagram to SVG with the real PlantUML (``-pipe -tsvg``, one JVM).

    Returns one :class:`SvgResult` per text, in order; a diagram PlantUML rejects has
    ``check.ok`` False with its 1-based line and message, and no SVG.
    """
    to_send, verdicts = _screen(texts)
    svgs = [""] * len(texts)
    if to_send:
        output = _run(["-pipe", "-tsvg", "-charset", "UTF-8", "-pipeNoStderr", "-pipedelimitor", _DELIMITER],
                      [texts[index] for index in to_send], timeout)
        parts = output.split(_DELIMITER)
        answers = [part.strip() for part in parts[:-1]]
        if len(answers) != len(to_send) or parts[-1].strip():
            raise ToolError(f"PlantUML rendered {len(answers)} diagrams out of {len(to_send)} sent")
        for index, answer in zip(to_send, answers, strict=True):
            if answer.startswith("ERROR"):
                verdicts[index] = _syntax_block([line.strip() for line in answer.splitlines()])
            else:
                verdicts[index] = CheckResult(True)
                svgs[index] = answer
    return [SvgResult(verdict, svg) for verdict, svg in zip(verdicts, svgs, strict=True) if verdict is not None]
