"""Golden files: one small flow per model feature, in PlantUML and Mermaid.

A golden file is the reviewed text for its flow; the real-tool tests prove the same texts are accepted.
Set UPDATE_GOLDEN=1 to rewrite them after an intended change, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from emit_feature_flows import FEATURES

from diagram_dsl.emit import EMITTERS, EXTENSIONS

GOLDEN = Path(__file__).parent / "golden" / "emit"
CASES = [(name, fmt) for name in FEATURES for fmt in sorted(EMITTERS)]


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{name}-{fmt}" for name, fmt in CASES])
def test_emitted_text_matches_golden_file(name: str, fmt: str) -> None:
    emitted = EMITTERS[fmt](FEATURES[name]())
    path = GOLDEN / f"{name}.{EXTENSIONS[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(emitted, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}: run with UPDATE_GOLDEN=1 and review it"
    assert emitted == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", sorted(EMITTERS))
def test_output_is_deterministic_and_ends_with_one_newline(fmt: str) -> None:
    for build in FEATURES.values():
        first, second = EMITTERS[fmt](build()), EMITTERS[fmt](build())
        assert first == second
        assert first.endswith("\n") and not first.endswith("\n\n")
