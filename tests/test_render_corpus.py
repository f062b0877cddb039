"""Real, human-written diagrams (../shared/corpus/real-world) lay out with clean geometry and render."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import render_checks

from diagram_dsl.importers.discover import load_diagrams
from diagram_dsl.renderers.native.layout import layout_diagram
from diagram_dsl.renderers.native.png import render_png
from diagram_dsl.renderers.native.svg import render_svg

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real-world"


def _files() -> list[Path]:
    return sorted(CORPUS.glob("plantuml/*.puml")) + sorted(CORPUS.glob("mermaid/*.mmd"))


@pytest.fixture(scope="module")
def corpus() -> Path:
    if not CORPUS.is_dir():
        reason = f"real-world corpus not found at {CORPUS}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    return CORPUS


def test_every_corpus_diagram_has_clean_geometry_and_renders(corpus: Path) -> None:
    files = _files()
    assert len(files) >= 40
    failures = []
    rendered = 0
    for path in files:
        for found in load_diagrams(path):
            if found.diagram is None:
                continue
            layout = layout_diagram(found.diagram)
            failures.extend(f"{path.name}: {problem}" for problem in render_checks.problems(layout, found.diagram))
            assert render_png(layout, 0.5).startswith(b"\x89PNG")
            assert render_svg(layout).startswith(b"<?xml")
            rendered += 1
    assert rendered >= 40
    assert not failures, "\n".join(failures[:20])
