"""Imported real-world diagrams, emitted again, are accepted by the real PlantUML and the real Mermaid.

This checks the importer (the models it builds are ones the emitters can write) and, through real
diagrams, the emitters. Known emitter problems found this way are listed in KNOWN_REJECTIONS with
the reason; when one is fixed the test fails until it is removed from the list.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from diagram_dsl import toolchain
from diagram_dsl.emit import emit_mermaid, emit_plantuml
from diagram_dsl.importers.discover import load_diagrams
from diagram_dsl.model import Diagram

pytestmark = pytest.mark.tools  # needs a real tool: left out of `make test-fast`

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real-world"
# (language, corpus file) -> why the real tool refuses what the emitter writes for that model.
# Empty since the emitter fixes for mermaid/20 (deactivate+activate with no message between) and
# mermaid/14 (destroy written after the participant's last message).
KNOWN_REJECTIONS: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def imported() -> dict[str, Diagram]:
    if not CORPUS.is_dir():
        reason = f"real-world corpus not found at {CORPUS}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    found: dict[str, Diagram] = {}
    for item in load_diagrams(CORPUS):
        if item.diagram is not None:
            found[Path(item.origin.file).relative_to(CORPUS).as_posix() + f":{item.origin.line}"] = item.diagram
    return found


def rejected(names: list[str], results: list[toolchain.CheckResult]) -> dict[str, str]:
    return {name.rsplit(":", 1)[0]: result.error for name, result in zip(names, results, strict=True) if not result.ok}


def test_real_plantuml_accepts_the_corpus_emitted_again(plantuml: Path, imported: dict[str, Diagram]) -> None:
    names = sorted(imported)
    refused = rejected(names, toolchain.plantuml_syntax_check([emit_plantuml(imported[n]) for n in names]))
    known = {file for language, file in KNOWN_REJECTIONS if language == "plantuml"}
    assert {f: e for f, e in refused.items() if f not in known} == {}
    assert known <= set(refused), f"fixed, remove from KNOWN_REJECTIONS: {known - set(refused)}"


def test_real_mermaid_accepts_the_corpus_emitted_again(mermaid: Path, imported: dict[str, Diagram]) -> None:
    names = sorted(imported)
    refused = rejected(names, toolchain.mermaid_parse([emit_mermaid(imported[n]) for n in names]))
    known = {file for language, file in KNOWN_REJECTIONS if language == "mermaid"}
    assert {f: e for f, e in refused.items() if f not in known} == {}
    assert known <= set(refused), f"fixed, remove from KNOWN_REJECTIONS: {known - set(refused)}"
