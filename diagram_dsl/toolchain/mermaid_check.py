"""Run the real Mermaid parser on many diagrams in one Node process (``tools/mermaid-check.mjs``)."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from typing import Any

from diagram_dsl.toolchain.locate import mermaid_script, node_executable
from diagram_dsl.toolchain.results import CheckResult, ToolError, one_line_complaint


@dataclass(frozen=True)
class MermaidActor:
    name: str  # the id used in arrows
    label: str  # what is drawn, entities decoded
    type: str  # participant, actor, database, queue...


@dataclass(frozen=True)
class MermaidMessage:
    """One entry of Mermaid's sequence db: an arrow, a note, or a fragment start/end marker."""

    sender: str | None
    receiver: str | None
    text: str  # entities decoded: what a reader sees
    type: int  # Mermaid's LINETYPE number


@dataclass(frozen=True)
class MermaidInspection:
    """What Mermaid understood: its actors, messages, boxes and title, texts as they will be drawn."""

    check: CheckResult
    title: str = ""
    actors: tuple[MermaidActor, ...] = ()
    messages: tuple[MermaidMessage, ...] = ()
    boxes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (title, actor names)


def _run(mode: str, texts: list[str], timeout: float) -> list[dict[str, Any]]:
    request = json.dumps({"mode": mode, "diagrams": texts})
    script = mermaid_script()
    try:
        done = subprocess.run([str(node_executable()), str(script)], input=request.encode("utf-8"),
                              capture_output=True, timeout=timeout, cwd=script.parent, check=False)
    except subprocess.TimeoutExpired:
        raise ToolError(f"Mermaid did not answer within {timeout:.0f} s for {len(texts)} diagrams") from None
    if done.returncode != 0:
        raise ToolError(f"the Mermaid checker exited with {done.returncode}: "
                        f"{one_line_complaint(done.stderr.decode('utf-8', 'replace'))}")
    answers = json.loads(done.stdout.decode("utf-8"))
    if not isinstance(answers, list) or len(answers) != len(texts):
        raise ToolError(f"the Mermaid checker answered {len(answers)} diagrams out of {len(texts)} sent")
    return answers


def _check(answer: dict[str, Any]) -> CheckResult:
    if answer.get("ok"):
        return CheckResult(True)
    line = answer.get("line")
    return CheckResult(False, str(answer.get("error", "parse error")), line if isinstance(line, int) else None)


def mermaid_parse(texts: list[str], *, timeout: float = 300.0) -> list[CheckResult]:
    """Ask the real ``mermaid.parse`` (pinned in ``tools/``, jsdom-backed) about each diagram, in one Node.

    Returns one :class:`CheckResult` per text, in order; ``line`` is Mermaid's 1-based line.
    Raises :class:`ToolError` when Node or the tools are missing.
    """
    return [_check(answer) for answer in _run("parse", texts, timeout)]


def mermaid_inspect(texts: list[str], *, timeout: float = 300.0) -> list[MermaidInspection]:
    """Parse each diagram and read back Mermaid's sequence db: labels exactly as they will be drawn.

    Entity codes (``#35;``, ``#quot;``) are decoded the way a browser shows them, so a test can
    compare them with the model's labels. One Node process for all texts.
    """
    results = []
    for answer in _run("inspect", texts, timeout):
        check = _check(answer)
        if not check.ok:
            results.append(MermaidInspection(check))
            continue
        results.append(MermaidInspection(
            check,
            title=str(answer.get("title") or ""),
            actors=tuple(MermaidActor(a["name"], a["description"], a["type"]) for a in answer["actors"]),
            messages=tuple(MermaidMessage(m["from"], m["to"], m["text"] if isinstance(m["text"], str) else "",
                                          int(m["type"])) for m in answer["messages"]),
            boxes=tuple((b["name"], tuple(b["actors"])) for b in answer["boxes"]),
        ))
    return results
