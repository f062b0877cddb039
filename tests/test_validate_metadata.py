"""Metadata rules (SEQ160-SEQ162), waivers, and catalog-wide checks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import sample_flows
from validate_support import new_flow, summary

from diagram_dsl.catalog import Catalog, LoadedFlow
from diagram_dsl.model import FlowModel, Scores
from diagram_dsl.validate import Severity, explain, validate, validate_catalog
from diagram_dsl.validate.findings import RULES


def _login(**changes: object) -> FlowModel:
    model = sample_flows.simple_login()
    metadata = replace(model.metadata, when_to_use=("apps",), important_points=("hash passwords",))
    return FlowModel(replace(metadata, **changes), model.diagram)  # type: ignore[arg-type]


def _findings(model: FlowModel) -> list[tuple[str, int, str]]:
    return summary(validate(model.diagram, model.metadata))


def test_complete_metadata_is_clean() -> None:
    assert _findings(_login()) == []


def test_seq160_missing_title_seq161_missing_description() -> None:
    model = _login(title=" ", description="")
    line = model.metadata.location.line
    assert _findings(model) == [("SEQ160", line, ""), ("SEQ161", line, "")]


def test_seq160_scores_out_of_range() -> None:
    model = _login(scores=Scores(11, -1, "Blazing"))
    messages = [f.message for f in validate(model.diagram, model.metadata)]
    assert len(messages) == 3
    assert any("solution_quality score 11" in m for m in messages)
    assert any("implementation_difficulty score -1" in m for m in messages)
    assert any("'Blazing'" in m for m in messages)


def test_seq160_near_miss_score_bounds() -> None:
    assert _findings(_login(scores=Scores(0, 10, "Very High"))) == []


def test_seq160_duplicate_number_and_slug_across_the_catalog() -> None:
    first, second, third = _login(), _login(), _login(number=2)
    catalog = Catalog(Path("."), tuple(LoadedFlow(Path(f"/x/{n}.py"), model)
                                       for n, model in enumerate((first, second, third))), ())
    codes = [(f.code, f.message) for f in validate_catalog(flow.model for flow in catalog.flows)]
    assert [code for code, _ in codes] == ["SEQ160", "SEQ160", "SEQ160"]
    assert sum("flow number 1 is already used" in message for _, message in codes) == 1
    assert sum("slug 'simple-login-sequence' is already used" in message for _, message in codes) == 2


def test_seq161_missing_lists_are_warnings() -> None:
    model = sample_flows.simple_login()
    findings = validate(model.diagram, model.metadata)
    assert sorted(f.code for f in findings) == ["SEQ161", "SEQ161"]
    assert all(f.severity is Severity.WARNING for f in findings)


def test_seq162_allow_cannot_waive_errors_or_unknown_codes() -> None:
    flow = new_flow(allow=["SEQ110", "SEQ999"])
    a, b = flow.actor("A"), flow.participant("B")
    a.call(b, "ping")
    model = flow.build()
    codes = sorted(f.code for f in validate(model.diagram, model.metadata))
    assert codes == ["SEQ110", "SEQ162", "SEQ162"]


def test_allow_parameter_waives_warnings_only() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    flow.participant("Unused")
    a.call(b, "ping")
    diagram = flow.build().diagram
    assert sorted(f.code for f in validate(diagram)) == ["SEQ102", "SEQ110"]
    assert [f.code for f in validate(diagram, allow=("SEQ102", "SEQ110"))] == ["SEQ110"]


def test_every_rule_has_summary_and_explanation() -> None:
    for code, rule in RULES.items():
        assert code[:3] in ("SEQ", "IMP", "OUT", "DOC") and rule.summary and len(rule.explain) > 40
        text = explain(code.lower())
        assert text is not None and text.startswith(f"{code} ({rule.severity.value}): ")
    assert explain("SEQ999") is None


def test_validate_catalog_honours_each_flows_allow() -> None:
    def flow_with_unused(number: int, allow: tuple[str, ...]) -> FlowModel:
        flow = new_flow(allow=allow)
        a, b = flow.actor("A"), flow.participant("B")
        flow.participant("Unused")
        a.send(b, "hi")
        model = flow.build()
        return FlowModel(replace(model.metadata, number=number, slug=f"flow-{number}"), model.diagram)

    catalog = Catalog(Path("."), (LoadedFlow(Path("/x/1.py"), flow_with_unused(1, ())),
                                  LoadedFlow(Path("/x/2.py"), flow_with_unused(2, ("SEQ102",)))), ())
    assert [f.code for f in validate_catalog(flow.model for flow in catalog.flows)] == ["SEQ102"]
