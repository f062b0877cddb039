"""What a real-tool check says about one diagram."""

from __future__ import annotations

from dataclasses import dataclass


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
