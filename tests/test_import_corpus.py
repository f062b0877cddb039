"""Real, human-written diagrams (../shared/corpus/real-world) all import, with spot checks on their content.

The corpus lives outside the repository (its licences vary). Outside CI a missing corpus skips these
tests with that reason; with CI=true it fails them.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from diagram_dsl.checks.diagrams import validate_imported
from diagram_dsl.importers.discover import load_diagrams
from diagram_dsl.importers.result import ImportedDiagram
from diagram_dsl.model import MessageKind

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real-world"


@pytest.fixture(scope="module")
def corpus() -> Path:
    if not CORPUS.is_dir():
        reason = f"real-world corpus not found at {CORPUS}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    return CORPUS


def one(path: Path) -> ImportedDiagram:
    found = load_diagrams(path)
    assert len(found) == 1, f"{path.name}: expected one diagram, found {len(found)}"
    assert found[0].error is None, str(found[0].error)
    return found[0]


def test_every_accepted_corpus_file_imports_without_error(corpus: Path) -> None:
    files = sorted(corpus.glob("plantuml/*.puml")) + sorted(corpus.glob("mermaid/*.mmd"))
    assert len(files) >= 40
    for path in files:
        found = load_diagrams(path)
        assert found, f"{path.name}: no sequence diagram found"
        for item in found:
            assert item.error is None, f"{path.name}: {item.error}"
            assert item.diagram is not None and item.diagram.messages(), f"{path.name}: no messages"
            for message in item.diagram.messages():
                assert message.location.file == str(path) and message.location.line >= 1


def test_plantuml_spot_checks(corpus: Path) -> None:
    indy = one(corpus / "plantuml/15_indy-getting-started.puml").diagram
    assert indy is not None and len(indy.participants) == 13 and len(indy.messages()) == 122
    assert len(indy.boxes) == 6 and indy.participant("l") is not None
    first = indy.messages()[0]
    assert (first.kind, first.label, first.location.line) == (MessageKind.REQUEST, 'Create "Sovrin Steward" wallet', 36)

    returns = one(corpus / "plantuml/06_plantuml-docs-autoactivate-return.puml").diagram
    assert returns is not None
    by_line = {m.location.line: m for m in returns.messages()}
    assert by_line[5].kind is MessageKind.REQUEST and by_line[6].kind is MessageKind.CREATE
    assert by_line[8].kind is MessageKind.REPLY and by_line[8].reply_to == by_line[5].id

    proxy = one(corpus / "plantuml/11_mojaloop-interscheme-on-demand-discovery.puml")
    assert proxy.diagram is not None and proxy.diagram.title == "Interscheme - On Demand Discovery"
    ack = next(m for m in proxy.diagram.messages() if m.location.line == 26)
    assert (ack.kind, ack.label) == (MessageKind.ASYNC, "202 OK")
    assert proxy.replies_drawn

    many_blocks = load_diagrams(corpus / "plantuml/09_plantuml-docs-double-startuml.puml")
    assert len(many_blocks) == 1 and many_blocks[0].diagram is not None


def test_mermaid_spot_checks(corpus: Path) -> None:
    tasks = one(corpus / "mermaid/09_mcp-tasks-polling.mmd")
    assert tasks.diagram is not None and len(tasks.diagram.participants) == 4
    assert not tasks.replies_drawn  # every answer is drawn as a solid arrow: replies are implicit
    created = next(m for m in tasks.diagram.messages() if m.location.line == 13)
    assert created.kind is MessageKind.REQUEST and created.label.startswith("CreateTaskResult")

    # Its only dotted arrow is a notification to an old caller; every answer is drawn solid.
    assert not one(corpus / "mermaid/11_mcp-url-elicitation-3rd-party-oauth.mmd").replies_drawn

    basics = one(corpus / "mermaid/01_mermaid-docs-basic-arrows.mmd").diagram
    assert basics is not None
    assert [m.kind for m in basics.messages()] == [MessageKind.REQUEST, MessageKind.REPLY, MessageKind.ASYNC]

    lifecycle = one(corpus / "mermaid/03_mermaid-docs-create-destroy.mmd").diagram
    assert lifecycle is not None
    destroy = next(m for m in lifecycle.messages() if m.location.line == 9)
    assert (destroy.kind, destroy.receiver) == (MessageKind.DESTROY, "carl")

    both_ways = one(corpus / "mermaid/12_mcp-client-tool-flow-frontmatter.mmd").diagram
    assert both_ways is not None
    pair = [m for m in both_ways.messages() if m.location.line == 13]
    assert [m.kind for m in pair] == [MessageKind.REQUEST, MessageKind.REPLY]

    titled = one(corpus / "mermaid/25_k8s-kep3386-evented-pleg-title.mmd").diagram
    assert titled is not None and titled.title == "Existing Generic PLEG"


def test_rejected_files_are_read_as_documented(corpus: Path) -> None:
    # Colour names are not checked (styling is ignored on purpose), so PlantUML's "No such color" imports.
    lenient = load_diagrams(corpus / "plantuml/rejected/01_mojaloop-thirdparty-transfer-no-such-color.puml")
    assert len(lenient) == 1 and lenient[0].diagram is not None
    # A class diagram full of preprocessor functions is not a sequence diagram: skipped, not an error.
    assert load_diagrams(corpus / "plantuml/rejected/02_fpc-api-function-without-return.puml") == []


def test_validator_findings_on_the_corpus_point_into_the_original_files(corpus: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    codes: Counter[str] = Counter()
    diagrams = 0
    for item in load_diagrams(corpus):
        if item.diagram is None:
            continue
        diagrams += 1
        lines = Path(item.origin.file).read_text(encoding="utf-8").count("\n") + 1
        for finding in validate_imported(item, strict=False, notes=True):
            codes[finding.code] += 1
            assert finding.location.file == item.origin.file and 1 <= finding.location.line <= lines, str(finding)
    assert diagrams >= 50
    with capsys.disabled():
        summary = ", ".join(f"{code} {count}" for code, count in sorted(codes.items()))
        print(f"\ncorpus: {diagrams} diagrams, {sum(codes.values())} findings ({summary})")
