"""Precision on real diagrams: every finding on ../shared/corpus/real-world is labelled by hand in corpus_findings.tsv.

A finding that appears or disappears fails the test until the file is updated (and its verdict judged again), so
the precision the README reports is always the precision of the code as it is.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from diagram_dsl.checks.diagrams import validate_imported
from diagram_dsl.importers.discover import load_diagrams
from diagram_dsl.validate import Severity

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real-world"
LABELS = Path(__file__).with_name("corpus_findings.tsv")
TARGET = 0.90


def labelled() -> dict[tuple[str, int, str], tuple[bool, str]]:
    rows: dict[tuple[str, int, str], tuple[bool, str]] = {}
    for raw in LABELS.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        file, line, code, verdict, reason = raw.split("\t")
        assert verdict in ("true", "false"), raw
        assert reason.strip(), f"every label needs its reason: {raw}"
        rows[(file, int(line), code)] = (verdict == "true", reason)
    return rows


def corpus_findings(corpus: Path) -> set[tuple[str, int, str]]:
    """(file relative to the corpus, line, code) of every error and warning `check` reports by default."""
    found: set[tuple[str, int, str]] = set()
    for item in load_diagrams(corpus):
        findings = validate_imported(item) if item.diagram is not None else []
        if item.error is not None:
            found.add((Path(item.origin.file).relative_to(corpus).as_posix(), item.origin.line, "IMP001"))
        for finding in findings:
            if finding.severity is not Severity.INFO:
                found.add((Path(finding.location.file).relative_to(corpus).as_posix(), finding.location.line,
                           finding.code))
    return found


@pytest.fixture(scope="module")
def corpus() -> Path:
    if not CORPUS.is_dir():
        reason = f"real-world corpus not found at {CORPUS}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    return CORPUS


def test_every_finding_on_the_real_world_corpus_is_labelled(corpus: Path) -> None:
    labels = labelled()
    found = corpus_findings(corpus)
    new = sorted(found - set(labels))
    gone = sorted(set(labels) - found)
    assert not new and not gone, (
        "the findings on the real-world corpus changed; judge them and update tests/corpus_findings.tsv\n"
        + "".join(f"  new:  {file}\t{line}\t{code}\n" for file, line, code in new)
        + "".join(f"  gone: {file}\t{line}\t{code}\n" for file, line, code in gone))


def test_precision_on_the_real_world_corpus(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    labels = labelled()
    true = sum(1 for verdict, _ in labels.values() if verdict)
    false = len(labels) - true
    precision = true / (true + false) if labels else 1.0
    with capsys.disabled():
        print(f"\nreal-world corpus: {true} true, {false} false findings, precision {precision:.0%}")
    assert precision >= TARGET
