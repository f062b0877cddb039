"""diagram-dsl: sequence diagrams as checked code.

``from diagram_dsl import Flow, Scores`` is what a flow module writes. The names are resolved on first use
(PEP 562), so commands that never run a flow — a build with nothing to do, ``check --explain`` — do not pay for
importing the DSL.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from diagram_dsl.dsl import Call, Flow, Lifeline
    from diagram_dsl.model import GuideEntry, Scores

__all__ = ["Call", "Flow", "GuideEntry", "Lifeline", "Scores"]
__version__ = "0.1.0"

_HOMES = {"Call": "diagram_dsl.dsl", "Flow": "diagram_dsl.dsl", "Lifeline": "diagram_dsl.dsl",
          "GuideEntry": "diagram_dsl.model", "Scores": "diagram_dsl.model"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'diagram_dsl' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # resolved once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
