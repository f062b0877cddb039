"""What one load of one flow source gave: its model, findings and native drawing, or the error that stopped it."""

from __future__ import annotations

from dataclasses import dataclass

from diagram_dsl.model import FlowModel, Location
from diagram_dsl.validate.findings import Finding, Severity


@dataclass(frozen=True)
class LoadProblem:
    """The flow could not be loaded (a syntax error, a DSL misuse, an exception, a timeout): where and why."""

    location: Location
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.location}: {self.message}{hint}"


@dataclass(frozen=True)
class Hotspot:
    """An area of the native drawing that stands for one source element: hovering it names ``location``."""

    kind: str  # "message", "participant", "note", "fragment", "title"
    x: float
    y: float
    w: float
    h: float
    location: Location
    label: str = ""


@dataclass(frozen=True)
class Snapshot:
    """One flow as of its latest save. ``model`` is None when loading failed (``problem`` says why)."""

    path: str  # absolute path of the source file
    shown: str  # the path findings name (relative to the project root when inside it)
    model: FlowModel | None = None
    problem: LoadProblem | None = None
    findings: tuple[Finding, ...] = ()
    svg: str | None = None  # native drawing with its hotspot layer, when it could be drawn
    hotspots: tuple[Hotspot, ...] = ()
    draw_error: str = ""  # why there is no drawing although the flow loaded
    seconds: float = 0.0  # load + validate + draw

    @property
    def title(self) -> str:
        return self.model.metadata.title if self.model is not None else self.shown

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity is severity)
