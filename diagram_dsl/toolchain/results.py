"""What a real-tool check says about one diagram."""

from __future__ import annotations

import re
from dataclasses import dataclass

# `Exception in thread "main" java.lang.StackOverflowError` / `java.lang.OutOfMemoryError: Java heap space`
JAVA_THROWABLE = re.compile(r"\b((?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Error|Exception))\b(?::[ \t]*([^\r\n]*))?")
# Node's `TypeError: x is not a function` (the line before its `    at ...` frames).
_JS_ERROR = re.compile(r"^([A-Z]\w*Error)\b(?::[ \t]*(.*))?$", re.MULTILINE)


@dataclass(frozen=True)
class CheckResult:
    """The verdict of a real tool on one diagram text.

    ``line`` is 1-based within the text that was checked (None when the tool named no line);
    ``error`` is the tool's own message, empty when ``ok``.
    """

    ok: bool
    error: str = ""
    line: int | None = None

    def describe(self) -> str:
        """``ok`` or ``line N: message``: one line for test failures and logs."""
        if self.ok:
            return "ok"
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.error}"


class ToolError(RuntimeError):
    """A real tool is missing, could not be installed, or answered in a way we cannot read."""


def one_line_complaint(stderr: str) -> str:
    """What went wrong, in one line, from a Java or Node process's stderr: the exception, never its stack trace."""
    for pattern in (JAVA_THROWABLE, _JS_ERROR):
        match = pattern.search(stderr)
        if match is not None:
            detail = (match.group(2) or "").strip()
            return match.group(1) + (f": {detail[:160]}" if detail else "")
    lines = [line.strip() for line in stderr.splitlines() if line.strip() and not line.lstrip().startswith("at ")]
    return lines[-1][:200] if lines else "no message"
