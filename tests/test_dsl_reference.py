"""docs/dsl.md is generated from the DSL's docstrings, lists every public call, and is never out of date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from diagram_dsl.dsl import Flow, reference

ROOT = Path(__file__).resolve().parent.parent


def test_committed_reference_is_current() -> None:
    committed = (ROOT / reference.REFERENCE_PATH).read_text(encoding="utf-8")
    assert committed == reference.render_reference(), (
        "docs/dsl.md is out of date: run `python -m diagram_dsl.dsl.reference` (or `make dsl-reference`)")


def test_check_mode_fails_on_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "dsl.md"
    stale.write_text("old\n", encoding="utf-8")
    command = [sys.executable, "-m", "diagram_dsl.dsl.reference", "--check", "--output", str(stale)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "out of date" in done.stderr
    subprocess.run([*command[:-3], "--output", str(stale)], check=True, capture_output=True)
    assert subprocess.run(command, capture_output=True, check=False).returncode == 0


def test_the_calls_that_were_undocumented_are_now() -> None:
    text = reference.render_reference()
    for needle in ("### `flow.deactivate(lifeline)`", "| `activate` | `bool` | `True` |",
                   "| `deactivate` | `bool \\| None` | `None` |", "### `a.create(receiver, label=\"create\")",
                   "| `leave` | `FragmentHandle \\| None` |", "### `flow.found(receiver, label)"):
        assert needle in text


def test_an_undocumented_parameter_stops_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    def shout(self: Flow, text: str, *, loud: bool = True) -> None:
        """Shouts.

        Args:
            text: what to shout.
        """

    with pytest.raises(reference.UndocumentedError, match="not described under Args: loud"):
        reference._entry_markdown(reference.Entry("flow.", "shout", shout))


def test_a_new_public_method_must_be_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    def whisper(self: Flow) -> None:
        """Whispers."""

    monkeypatch.setattr(Flow, "whisper", whisper, raising=False)
    with pytest.raises(reference.UndocumentedError, match="does not list: whisper"):
        reference.render_reference()


def test_readme_points_to_the_reference() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/dsl.md)" in readme
