"""A new event kind or message kind is a type error in every emitter that does not handle it.

The emitters dispatch with ``match`` ending in ``assert_never``. This test proves it the way a
developer would meet it: it adds an event kind and a message kind to a copy of the model and runs
mypy on copies of the emitters, which must each report the unhandled case.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "diagram_dsl"
EMITTERS = ["emit/plantuml.py", "emit/mermaid.py", "emit/common.py", "emit/python.py"]
NEW_EVENT = '''

@dataclass(frozen=True)
class Pause:
    """A kind of event no emitter knows yet."""

    seconds: int = 0
    location: Location = UNKNOWN_LOCATION
'''


def _copy_with_new_kinds(target: Path) -> Path:
    package = target / "diagram_dsl"
    (package / "emit").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    emitters = [str(path.relative_to(PACKAGE)) for path in (PACKAGE / "emit").glob("*.py")]
    for name in ["model.py", "frozen.py", "naming.py", *emitters]:
        shutil.copy(PACKAGE / name, package / name)
    model = (package / "model.py").read_text()
    model, events = re.subn(r"(Event: TypeAlias = \(\s*)", r"\1Pause | ", model)
    model, kinds = re.subn(r"(class MessageKind\(enum\.Enum\):\n(?:    \"\"\"[^\n]*\"\"\"\n\n)?)",
                           r'\1    BROADCAST = "broadcast"\n', model)
    assert events == 1 and kinds == 1, "the model's Event union or MessageKind moved: update this test"
    insert = model.index("Event: TypeAlias")
    (package / "model.py").write_text(model[:insert] + NEW_EVENT.lstrip("\n") + "\n\n" + model[insert:])
    return package


@pytest.mark.slow
def test_every_emitter_reports_an_unhandled_event_or_message_kind(tmp_path: Path) -> None:
    package = _copy_with_new_kinds(tmp_path)
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--python-version", "3.11", "--no-incremental",
                           "--cache-dir", str(tmp_path / "cache"), *(str(package / name) for name in EMITTERS)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    assert "model.py" not in done.stdout, done.stdout  # the copy itself is well typed
    for name in EMITTERS:
        reported = [line for line in done.stdout.splitlines()
                    if line.startswith(f"diagram_dsl/{name}:") and "assert_never" in line]
        assert reported, f"{name} does not report the new kinds:\n{done.stdout}"
    assert any("Pause" in line for line in done.stdout.splitlines())
    assert any("BROADCAST" in line for line in done.stdout.splitlines())
