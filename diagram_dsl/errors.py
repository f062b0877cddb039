"""Exceptions that carry a source location so every message can name file and line."""

from __future__ import annotations

from diagram_dsl.model import Location


class DiagramDslError(Exception):
    """Base class: a user-facing problem with a location and a hint on what to do."""

    def __init__(self, message: str, location: Location | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint}"


class DslError(DiagramDslError):
    """The Python DSL was used wrongly (else_ outside alt, a foreign participant, a non-string label...).

    ``code``: the validator rule the misuse breaks, when there is one (a foreign participant is SEQ100, an
    ``else_`` outside an ``alt`` SEQ130...), so the flow's load failure is reported under the same code a
    hand-written diagram with the same mistake gets; SEQ000 for misuses of Python itself (a non-string label).
    """

    def __init__(self, message: str, location: Location | None = None, hint: str = "", code: str = "SEQ000") -> None:
        super().__init__(message, location, hint)
        self.code = code


class LoadError(DiagramDslError):
    """A flow module could not be loaded (SEQ000), or its flow cannot be named (SEQ160: empty title, bad number)."""

    def __init__(self, message: str, location: Location | None = None, hint: str = "", code: str = "SEQ000") -> None:
        super().__init__(message, location, hint)
        self.code = code


INTERRUPTED = 130  # the exit status for Ctrl-C: 128 + SIGINT, what shells report for a command stopped with it
