"""The real PlantUML and the real Mermaid accept every emitted diagram and draw labels as written.

Every tool runs once per batch (one JVM, one Node process), so hundreds of diagrams take seconds.
"""

from __future__ import annotations

import html
import random
import re
from pathlib import Path

import pytest
import sample_flows
import strategies
from emit_feature_flows import CONTROL_PIECES, FEATURES, PRINTABLE_PIECES, every_feature_diagrams, wild_labels
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from diagram_dsl.catalog import load_catalog
from diagram_dsl.emit import emit_mermaid, emit_plantuml
from diagram_dsl.model import (
    Delay,
    Diagram,
    Divider,
    Fragment,
    FragmentKind,
    Message,
    Note,
    Reference,
    walk_events,
)
from diagram_dsl.toolchain import (
    CheckResult,
    mermaid_inspect,
    mermaid_parse,
    plantuml_render_svg,
    plantuml_syntax_check,
)

pytestmark = pytest.mark.tools  # needs a real tool: left out of `make test-fast`

ROOT = Path(__file__).resolve().parents[1]
GENERATED = 220
HOSTILE_ROUND_TRIP = 40
WILD = 80
WILD_ROUND_TRIP = 30


def _generate(count: int, *, hostile: bool) -> list[Diagram]:
    """``count`` flows in one go: half from the shared strategy, half with every feature added."""
    drawn: list[Diagram] = []

    @settings(max_examples=count, database=None, derandomize=True, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(strategies.diagrams(hostile=hostile), every_feature_diagrams(hostile=hostile)))
    def collect(diagram: Diagram) -> None:
        drawn.append(diagram)

    collect()
    return drawn


@pytest.fixture(scope="module")
def corpus() -> dict[str, Diagram]:
    """Kitchen sink, login, one flow per feature, every catalog flow and >= 200 generated flows."""
    diagrams = {"kitchen_sink": sample_flows.kitchen_sink().diagram,
                "simple_login": sample_flows.simple_login().diagram}
    diagrams.update({f"feature:{name}": build() for name, build in FEATURES.items()})
    diagrams.update({f"catalog:{flow.path.name}": flow.model.diagram for flow in load_catalog(ROOT).flows})
    generated = _generate(GENERATED // 2, hostile=True) + _generate(GENERATED // 2, hostile=False)
    diagrams.update({f"generated:{index}": diagram for index, diagram in enumerate(generated)})
    rng = random.Random(4)
    wild = [wild_labels(diagram, rng, PRINTABLE_PIECES + CONTROL_PIECES) for diagram in generated[:WILD]]
    diagrams.update({f"wild:{index}": diagram for index, diagram in enumerate(wild)})
    return diagrams


def _failures(names: list[str], texts: list[str], results: list[CheckResult]) -> list[str]:
    assert len(results) == len(texts)
    failed = []
    for name, text, result in zip(names, texts, results, strict=True):
        if not result.ok:
            lines = text.splitlines()
            shown = lines[result.line - 1] if result.line and 0 < result.line <= len(lines) else ""
            failed.append(f"{name}: {result.describe()}  >>> {shown}")
    return failed


def test_corpus_covers_catalog_and_enough_generated_flows(corpus: dict[str, Diagram]) -> None:
    generated = [diagram for name, diagram in corpus.items() if name.startswith("generated:")]
    assert len(generated) >= 200
    assert sum(bool(diagram.boxes) for diagram in generated) >= 50  # the every-feature half is well represented
    assert len({name for name in corpus if name.startswith("catalog:")}) == len(load_catalog(ROOT).flows)


def test_real_plantuml_accepts_every_emitted_diagram(plantuml: Path, corpus: dict[str, Diagram]) -> None:
    names = list(corpus)
    texts = [emit_plantuml(corpus[name]) for name in names]
    assert _failures(names, texts, plantuml_syntax_check(texts)) == []


def test_real_plantuml_draws_every_emitted_diagram(plantuml: Path, corpus: dict[str, Diagram]) -> None:
    names = [name for name in corpus if not name.startswith("generated:") or int(name.split(":")[1]) % 4 == 0]
    texts = [emit_plantuml(corpus[name]) for name in names]
    results = plantuml_render_svg(texts)
    assert _failures(names, texts, [result.check for result in results]) == []
    assert all("<svg" in result.svg for result in results)


def test_real_mermaid_accepts_every_emitted_diagram(mermaid: Path, corpus: dict[str, Diagram]) -> None:
    names = list(corpus)
    texts = [emit_mermaid(corpus[name]) for name in names]
    assert _failures(names, texts, mermaid_parse(texts)) == []


def test_checkers_report_broken_diagrams_with_their_line(plantuml: Path, mermaid: Path) -> None:
    good_puml = emit_plantuml(sample_flows.simple_login().diagram)
    broken_puml = "@startuml\nA -> B : fine\nthis is ( not plantuml\n@enduml\n"
    smuggled = "@startuml\nA -> B : x\n@enduml\n@startuml\nB -> A\n@enduml\n"
    verdicts = plantuml_syntax_check([good_puml, broken_puml, smuggled, good_puml])
    assert [verdict.ok for verdict in verdicts] == [True, False, False, True]
    assert verdicts[1].line == 3 and verdicts[2].line == 3
    good_mmd = emit_mermaid(sample_flows.simple_login().diagram)
    answers = mermaid_parse([good_mmd, "sequenceDiagram\n    A->>B: x\n    alt open\n", good_mmd])
    assert [answer.ok for answer in answers] == [True, False, True]
    assert answers[1].line is not None and answers[1].line >= 3


# -- labels come out as written ------------------------------------------------------------------
def _written_texts(diagram: Diagram) -> list[str]:
    """Every text a reader must see, exactly as the author wrote it."""
    texts = [participant.label for participant in diagram.participants]
    texts += [box.title for box in diagram.boxes]
    texts += [diagram.title] if diagram.title else []
    for event in walk_events(diagram.events):
        if isinstance(event, Message):
            texts.append(event.label)
        elif isinstance(event, Note | Reference | Divider | Delay):
            texts.append(event.text)
        elif isinstance(event, Fragment):
            texts.extend(branch.guard for branch in event.branches)
    return [text for text in texts if text.strip()]


def _hostile_diagrams() -> list[Diagram]:
    """The hostile feature flow, generated hostile flows, and flows whose every text is printable junk."""
    rng = random.Random(11)
    wild = [wild_labels(diagram, rng, PRINTABLE_PIECES) for diagram in _generate(WILD_ROUND_TRIP, hostile=False)]
    return [FEATURES["hostile_labels"](), *_generate(HOSTILE_ROUND_TRIP, hostile=True), *wild]


def _svg_text(svg: str) -> str:
    pieces = [html.unescape(piece) for piece in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    return "\n".join(pieces).replace("\u00a0", " ")


def test_plantuml_draws_hostile_labels_as_written(plantuml: Path) -> None:
    diagrams = _hostile_diagrams()
    results = plantuml_render_svg([emit_plantuml(diagram) for diagram in diagrams])
    missing = []
    for index, (diagram, result) in enumerate(zip(diagrams, results, strict=True)):
        assert result.check.ok, result.check.describe()
        drawn = _svg_text(result.svg)
        for label in _written_texts(diagram):
            # A tab is drawn as a gap and each line of a label as its own text run.
            for piece in re.split(r"[\t\n]", label):
                if piece.strip() and piece.strip() not in drawn:
                    missing.append(f"diagram {index}: {piece!r}")
    assert missing == []


def test_mermaid_reads_back_hostile_labels_as_written(mermaid: Path) -> None:
    diagrams = _hostile_diagrams()
    inspections = mermaid_inspect([emit_mermaid(diagram) for diagram in diagrams])
    missing = []
    for index, (diagram, seen) in enumerate(zip(diagrams, inspections, strict=True)):
        assert seen.check.ok, seen.check.describe()
        actors = {actor.label for actor in seen.actors}
        texts = [message.text for message in seen.messages]
        for participant in diagram.participants:
            if participant.label.replace("\n", "<br/>").strip() not in actors:
                missing.append(f"diagram {index} participant {participant.label!r}")
        if diagram.title and seen.title != " ".join(line.strip() for line in diagram.title.split("\n")).strip():
            missing.append(f"diagram {index} title {diagram.title!r} read back as {seen.title!r}")
        for event in walk_events(diagram.events):
            expected = _mermaid_shown(event)
            if expected is not None and not any(expected in text for text in texts):
                missing.append(f"diagram {index}: {expected!r}")
    assert missing == []


def _mermaid_shown(event: object) -> str | None:
    if isinstance(event, Message):
        text = event.label
    elif isinstance(event, Note | Reference | Divider | Delay):
        text = event.text
    elif isinstance(event, Fragment) and event.kind is not FragmentKind.GROUP:
        text = event.branches[0].guard
    else:
        return None
    shown = "<br/>".join(line.strip() for line in text.split("\n")).strip()
    return shown or None
