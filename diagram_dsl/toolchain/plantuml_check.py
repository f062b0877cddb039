"""Run the real PlantUML on many diagrams in one JVM.

Both checks send every diagram through one sandboxed ``java -jar plantuml.jar -pipe`` process: PlantUML
reads consecutive ``@startuml`` ... ``@enduml`` blocks from stdin and answers each in turn. Starting one
JVM per diagram would cost about half a second each. ``plantuml_batch`` keeps the answers apart and
isolates a diagram that crashes or stalls the JVM.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from diagram_dsl.toolchain.plantuml_batch import DIAGRAM_TIMEOUT, run_jvm
from diagram_dsl.toolchain.results import CheckResult, ToolError

# PlantUML answers `-syntax` with a block per diagram: `SEQUENCE` / `(3 participants)` when it is
# understood, `ERROR` / `<0-based line>` / `<message>` when not.
# PlantUML starts or ends a diagram at any line whose first non-blank characters are @start / @end.
_FRAME_LINE = re.compile(r"^\s*@(start|end)", re.IGNORECASE)
# Lines of a Java stack trace, which PlantUML may print inside an error answer: never passed on.
_STACK_FRAME = re.compile(r"^\s*(at [\w$.<>]+\(.*\)|\.\.\. \d+ more|Caused by: .*)$")


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


_WARM_UP = "@startuml\nA -> B : warm-up\n@enduml\n"


@dataclass(frozen=True)
class _Mode:
    """How one kind of PlantUML batch marks the end of each answer with a token no diagram can print."""

    arguments: list[str]
    payload: Callable[[list[str]], list[str]]  # the texts to send, markers included
    is_marker: Callable[[str], int]  # markers ending in one output line
    answers: Callable[[str], list[str]]  # the output cut into answers, one per marker (the first: the prologue)


def _syntax_mode(token: str) -> _Mode:
    # `-syntax` prints no delimiter: a marker diagram after each text fails an assertion that prints the token.
    marker = f'@startuml\n!assert %false() : "{token}"\n@enduml\n'
    marker_line = f"Assertion error : {token}"

    def answers(output: str) -> list[str]:
        chunks = [chunk.splitlines() for chunk in re.split(rf"^{re.escape(marker_line)}\s*$", output, flags=re.M)]
        # Each chunk ends with the marker's own first lines (`ERROR`, its line number): cut at its last ERROR.
        return ["\n".join(lines[:max((i for i, line in enumerate(lines) if line.strip() == "ERROR"), default=0)])
                for lines in chunks]

    # The prologue warms PlantUML's sequence-diagram code up, so the first text's time is its own.
    return _Mode(["-pipe", "-syntax", "-charset", "UTF-8"],
                 lambda texts: [_WARM_UP, marker, *(piece for text in texts for piece in (text, marker))],
                 lambda line: int(line.strip() == marker_line), answers)


def _svg_mode(token: str) -> _Mode:
    return _Mode(["-pipe", "-tsvg", "-charset", "UTF-8", "-pipeNoStderr", "-pipedelimitor", token],
                 lambda texts: [_WARM_UP, *texts], lambda line: line.count(token),
                 lambda output: [part.strip() for part in output.split(token)])


def _answers(mode: _Mode, texts: list[str], diagram_timeout: float) -> list[str | CheckResult]:
    """PlantUML's answer to each text, or the verdict for a text that crashed or stalled the JVM.

    After such a text a new JVM goes on with the texts after it.
    """
    results: list[str | CheckResult] = []
    while len(results) < len(texts):
        rest = texts[len(results):]
        run = run_jvm(mode.arguments, mode.payload(rest), mode.is_marker, len(rest) + 1,
                      diagram_timeout=diagram_timeout)
        if run.markers == 0:  # not even the prologue: PlantUML itself does not work
            raise ToolError(f"PlantUML {run.stopped or 'answered nothing'}: a one-line test diagram")
        results.extend(mode.answers(run.output)[1:run.markers])
        if run.stopped is not None:
            results.append(CheckResult(False, f"PlantUML {run.stopped}; the other diagrams were checked without it"))
    return results


def _syntax_verdict(answer: str) -> CheckResult:
    lines = [line.strip() for line in answer.splitlines() if line.strip()]
    if not lines:
        raise ToolError("PlantUML gave an empty answer")
    return _syntax_block(lines)


def _syntax_block(block: list[str]) -> CheckResult:
    if block[0] != "ERROR":
        return CheckResult(True)
    # The line is 0-based from the @startuml line; callers count from 1 within the text they sent.
    line = int(block[1]) + 1 if len(block) > 1 and block[1].lstrip("-").isdigit() else None
    message = " ".join(part for part in block[2:] if part and not _STACK_FRAME.match(part)) or "syntax error"
    return CheckResult(False, message, line)


def _screen(texts: list[str]) -> tuple[list[int], list[CheckResult | None]]:
    """Verdicts for texts refused before sending, and the indexes of the texts to send."""
    verdicts: list[CheckResult | None] = [_framing_problem(text) for text in texts]
    return [index for index, verdict in enumerate(verdicts) if verdict is None], verdicts


def plantuml_syntax_check(texts: list[str], *, diagram_timeout: float = DIAGRAM_TIMEOUT) -> list[CheckResult]:
    """Ask the real PlantUML (``-pipe -syntax``, sandboxed, one JVM) whether it understands each diagram.

    Each text must be one ``@startuml`` ... ``@enduml`` block. Returns one :class:`CheckResult` per
    text, in order; ``line`` is 1-based within that text. A text that crashes PlantUML or takes longer
    than ``diagram_timeout`` seconds gets a failed verdict of its own; the others are still checked.
    Note that ``-syntax`` forgives some structural slips (an unclosed ``alt`` is closed for you);
    :func:`plantuml_render_svg` draws. Raises :class:`ToolError` when Java or the jar is missing.
    """
    to_send, verdicts = _screen(texts)
    if to_send:
        answers = _answers(_syntax_mode(_token()), [texts[index] for index in to_send], diagram_timeout)
        for index, answer in zip(to_send, answers, strict=True):
            verdicts[index] = answer if isinstance(answer, CheckResult) else _syntax_verdict(answer)
    return [verdict for verdict in verdicts if verdict is not None]


def plantuml_render_svg(texts: list[str], *, diagram_timeout: float = DIAGRAM_TIMEOUT) -> list[SvgResult]:
    """Render each diagram to SVG with the real PlantUML (``-pipe -tsvg``, sandboxed, one JVM).

    Returns one :class:`SvgResult` per text, in order; a diagram PlantUML rejects (or that crashes or
    stalls it) has ``check.ok`` False with its 1-based line and message, and no SVG.
    """
    to_send, verdicts = _screen(texts)
    svgs = [""] * len(texts)
    if to_send:
        answers = _answers(_svg_mode(_token()), [texts[index] for index in to_send], diagram_timeout)
        for index, answer in zip(to_send, answers, strict=True):
            if isinstance(answer, CheckResult):
                verdicts[index] = answer
            elif answer.startswith("ERROR"):
                verdicts[index] = _syntax_block([line.strip() for line in answer.splitlines()])
            else:
                verdicts[index] = CheckResult(True)
                svgs[index] = answer
    return [SvgResult(verdict, svg) for verdict, svg in zip(verdicts, svgs, strict=True) if verdict is not None]


def _token() -> str:
    """A fresh random marker per run: a diagram cannot print it, so it cannot fake the end of its answer."""
    return f"diagram-dsl-{secrets.token_hex(16)}"
