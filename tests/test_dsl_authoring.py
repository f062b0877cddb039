"""Writing a flow as the README shows it: the DSL does what it says, and findings name the DSL fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from validate_support import check, new_flow, next_line, summary

from diagram_dsl import Flow
from diagram_dsl.catalog import load_catalog
from diagram_dsl.catalog_page import render_page
from diagram_dsl.cli import main
from diagram_dsl.errors import DslError
from diagram_dsl.importers.plantuml import import_plantuml
from diagram_dsl.model import Fragment, FragmentKind, Message, MessageKind, walk_events
from diagram_dsl.validate import RULES, Severity, validate


def _messages(flow: Flow) -> list[Message]:
    return list(flow.build().diagram.messages())


# -- b.reply(a, ...) closes what a.call(b, ...) opened ----------------------------------------------------
def test_hand_written_reply_ends_the_activation_its_call_started() -> None:
    flow = new_flow()
    user, web, db = flow.actor("User"), flow.participant("Web"), flow.database("DB")
    user.call(web, "GET /profile")
    web.call(db, "SELECT")
    db.reply(web, "row")
    web.reply(user, "200 profile")
    assert check(flow) == []
    replies = [m for m in _messages(flow) if m.kind is MessageKind.REPLY]
    assert [m.deactivate for m in replies] == [True, True]
    assert [m.reply_to for m in replies] == [None, None]  # still paired by nesting, as documented


def test_hand_written_reply_in_every_branch_and_below_a_break() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.call(b, "login")
    with flow.alt("ok"):
        b.reply(a, "token")
    with flow.else_("locked"):
        b.reply(a, "423")
    a.call(b, "poll")
    with flow.break_("gave up"):
        b.reply(a, "timeout")
    b.reply(a, "result")  # the path that skipped the break still has "poll" open
    assert check(flow) == []
    assert [m.deactivate for m in _messages(flow) if m.kind is MessageKind.REPLY] == [True, True, True, True]


def test_hand_written_reply_keeps_explicit_choices_and_calls_without_bars() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.call(b, "quick", activate=False)
    b.reply(a, "ok")
    a.send(b, "job")
    flow.activate(b)
    b.reply(a, "stray ack", deactivate=True)  # no call open: ends the explicit activation, as asked
    replies = [m for m in _messages(flow) if m.kind is MessageKind.REPLY]
    assert [m.deactivate for m in replies] == [False, True]
    with pytest.raises(DslError, match="deactivate must be"):
        b.reply(a, "x", deactivate="yes")  # type: ignore[arg-type]


def test_a_call_answered_in_a_later_par_branch_is_closed_after_the_par() -> None:
    flow = new_flow()
    a, b, c = flow.actor("A"), flow.participant("B"), flow.participant("C")
    a.call(b, "start job")
    with flow.par("work"):
        b.send(c, "do part")
    with flow.and_("answer early"):
        b.reply(a, "accepted")
    line = next_line()
    b.reply(a, "accepted again")  # nothing is open any more: it ends no activation
    replies = [m for m in _messages(flow) if m.kind is MessageKind.REPLY]
    assert [m.deactivate for m in replies] == [True, False]
    assert [(f.code, f.location.line) for f in check(flow) if f.severity.value == "error"] == [("SEQ111", line)]


# -- leaving two nested loops at once ---------------------------------------------------------------------
def _paged_import(leave_both: bool) -> Flow:
    flow = new_flow()
    client, api, db = flow.actor("Client"), flow.participant("API"), flow.database("DB")
    with flow.loop("each page") as pages:  # noqa: SIM117 - nesting mirrors the sequence
        with client.call(api, "GET page") as page:
            with flow.loop("each item"):
                api.call(db, "load item").reply("item")
                with flow.break_("corrupt item: stop all pages", leave=pages if leave_both else None):
                    page.reply("500")
            page.reply("200")
    return flow


def test_break_with_a_target_leaves_both_loops() -> None:
    flow = _paged_import(leave_both=True)
    assert check(flow) == []
    breaks = [e for e in walk_events(flow.build().diagram.events)
              if isinstance(e, Fragment) and e.kind is FragmentKind.BREAK]
    assert [b.leaves for b in breaks] == [2]


def test_near_miss_plain_break_leaves_only_the_inner_loop() -> None:
    flow = _paged_import(leave_both=False)
    assert [f.code for f in check(flow)] == ["SEQ112"]


def test_break_target_must_enclose_the_break_and_groups_are_not_counted() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with flow.loop("outer") as outer:
        a.send(b, "x")
    with pytest.raises(DslError, match="not inside"), flow.loop("again"), flow.break_("late", leave=outer):
        pass
    with flow.group("setup") as setup:
        with pytest.raises(DslError, match="cannot leave a group"), flow.break_("x", leave=setup):
            pass
        a.send(b, "y")
    with pytest.raises(DslError, match="fragment handle"), flow.loop("l"), flow.break_("x", leave="l"):  # type: ignore[arg-type]
        pass
    flow2 = new_flow()
    a2, b2 = flow2.actor("A"), flow2.participant("B")
    with flow2.loop("outer") as outer2, flow2.group("g"), flow2.loop("inner"), flow2.break_("stop", leave=outer2):
        a2.send(b2, "z")
    (loop,) = flow2.build().diagram.events
    assert isinstance(loop, Fragment)
    assert [e.leaves for e in walk_events((loop,)) if isinstance(e, Fragment) and e.kind is FragmentKind.BREAK] == [2]


# -- findings where you work --------------------------------------------------------------------------------
def test_duplicate_label_is_seq101_at_the_second_declaration() -> None:
    flow = new_flow()
    a = flow.actor("A")
    b = flow.participant("Auth Service")
    line = next_line()
    c = flow.participant("Auth Service")
    a.send(b, "x")
    a.send(c, "y")
    assert (b.id, c.id) == ("auth_service", "auth_service_2")
    findings = check(flow)
    assert summary(findings) == [("SEQ101", line, "")]
    assert "reuse the first one's variable" in findings[0].text


def test_dsl_findings_name_the_dsl_fix() -> None:
    flow = new_flow()
    a, b, c = flow.actor("A"), flow.participant("B"), flow.participant("C")
    a.send(b, "event")
    with b.call(c, "work") as work:  # B only got an async message: holds control, fine
        work.reply("done")
    c.call(a, "callback?", activate=False).reply("ok")  # C holds no control: SEQ121
    flow.activate(b)  # never ended: SEQ120
    texts = {f.code: f.text for f in check(flow)}
    assert "flow.found(participant" in texts["SEQ121"] and "flow.activate(participant)" in texts["SEQ121"]
    assert "deactivate=True" in texts["SEQ120"] and "flow.deactivate(participant)" in texts["SEQ120"]


def test_hand_written_diagrams_get_no_dsl_hints() -> None:
    diagram = import_plantuml("@startuml\nA -> B ++ : get\nB --> A : data\n@enduml\n", "x.puml")
    findings = validate(diagram)
    assert [f.code for f in findings] == ["SEQ120"] and "fix:" not in findings[0].text


# -- quick sketches: only a title --------------------------------------------------------------------------
SKETCH = '''\
from diagram_dsl import Flow

flow = Flow(number=5, title="Quick Sketch")
user, app = flow.actor("User"), flow.service("App")
with user.call(app, "hello") as hello:
    hello.reply("hi")
'''


def test_a_sketch_with_only_a_title_is_valid_with_warnings(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "05_quick_sketch.py").write_text(SKETCH, encoding="utf-8")
    catalog = load_catalog(tmp_path)
    assert catalog.errors == ()
    (flow,) = catalog.flows
    findings = validate(flow.model.diagram, flow.metadata)
    assert all(f.severity is Severity.WARNING and f.code == "SEQ161" for f in findings)
    assert {f.message for f in findings} == {"the flow has no description", "the flow has no scores",
                                             "the flow has no when_to_use entries",
                                             "the flow has no important_points entries"}
    page = render_page([flow.metadata])
    assert "## 5. Quick Sketch" in page and "**Scores:**" not in page and "Complexity" not in page
    runner = CliRunner()
    assert runner.invoke(main, ["--root", str(tmp_path), "check", "sources/05_quick_sketch.py"]).exit_code == 0
    strict = runner.invoke(main, ["--root", str(tmp_path), "check", "--strict", "sources/05_quick_sketch.py"])
    assert strict.exit_code == 1 and "SEQ161" in strict.output


def test_scaffold_todo_text_is_seq161_until_replaced(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    runner = CliRunner()
    assert runner.invoke(main, ["--root", str(tmp_path), "new", "Order Refund"]).exit_code == 0
    (source,) = (tmp_path / "sources").glob("*.py")
    result = runner.invoke(main, ["--root", str(tmp_path), "check", source.name])
    placeholders = [line for line in result.output.splitlines() if "SEQ161" in line and "placeholder" in line]
    assert len(placeholders) == 3, result.output  # description, when_to_use, important_points
    # The fix for a placeholder is to replace its text, not to add the field it is already in.
    assert all(line.endswith("fix: replace the TODO text with your own") for line in placeholders), result.output
    text = source.read_text(encoding="utf-8")
    for old, new in (("TODO: one sentence on what this flow shows.", "Refunds an order."),
                     ("TODO: when to pick this pattern", "Returns"), ("TODO: what an implementer must not miss",
                                                                      "Idempotency")):
        text = text.replace(old, new)
    source.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["--root", str(tmp_path), "check", source.name])
    assert "SEQ161" not in result.output and result.exit_code == 0, result.output


def test_readme_table_example_is_clean() -> None:
    """The README's table shows `a.call(b, "label")` and `b.reply(a, "label")`: written so, no finding."""
    source = textwrap.dedent('''
        flow = new_flow()
        a, b = flow.actor("A"), flow.participant("B")
        a.call(b, "label")
        b.reply(a, "label")
        with a.call(b, "again"):
            b.reply(a, "done")
    ''')
    scope: dict[str, object] = {"new_flow": new_flow}
    exec(compile(source, "<readme>", "exec"), scope)
    flow = scope["flow"]
    assert isinstance(flow, Flow) and check(flow) == []



# Flow rule codes a flow written in the DSL cannot produce (they belong to hand-written diagrams), or whose message
# says what to do itself; every other error and warning must tell the author which DSL call fixes it.
_NOT_FROM_THE_DSL = {"SEQ000", "SEQ100", "SEQ115", "SEQ116", "SEQ170"}


@pytest.mark.parametrize("code", sorted(code for code, rule in RULES.items()
                                        if code.startswith("SEQ") and rule.severity is not Severity.INFO
                                        and code not in _NOT_FROM_THE_DSL))
def test_every_dsl_finding_code_names_its_fix_in_explain(code: str) -> None:
    result = CliRunner().invoke(main, ["check", "--explain", code.lower()])
    assert result.exit_code == 0 and "In a flow written in the Python DSL:\n  - " in result.output, (
        f"{code} has no DSL fix in diagram_dsl/validate/hints.py")
