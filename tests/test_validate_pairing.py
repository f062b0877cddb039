"""Request/response pairing across paths: SEQ110, SEQ111, SEQ112, SEQ113, SEQ115."""

from __future__ import annotations

from dataclasses import replace

import sample_flows
from validate_support import check, new_flow, next_line, summary, with_code

from diagram_dsl.model import Diagram, Location, Message, MessageKind, Participant, ParticipantKind
from diagram_dsl.validate import Replies, Severity, validate


def test_sample_flows_are_clean() -> None:
    for model in (sample_flows.kitchen_sink(), sample_flows.simple_login()):
        assert [str(f) for f in validate(model.diagram, model.metadata) if f.severity is Severity.ERROR] == []


# -- SEQ110 ------------------------------------------------------------------------------------------------
def test_seq110_names_the_alt_branch_without_a_reply() -> None:
    flow = new_flow()
    checkout, payment = flow.control("Checkout"), flow.participant("Payment")
    line = next_line()
    with checkout.call(payment, "charge(card)") as charge:
        with flow.alt("card accepted"):
            charge.reply("receipt")
        with flow.else_("card declined"):
            payment.step("log decline")
    findings = check(flow)
    assert summary(findings) == [("SEQ110", line, "in alt branch 'card declined'")]
    assert findings[0].text == ('request "charge(card)" (Checkout → Payment) has no response '
                                "in alt branch 'card declined'; fix: answer it on every path through its handle "
                                '(`with a.call(b, ...) as c:` ... `c.reply("...")`), or make it one-way with '
                                "a.send(b, ...)")


def test_seq110_near_miss_reply_in_every_branch() -> None:
    flow = new_flow()
    checkout, payment = flow.control("Checkout"), flow.participant("Payment")
    with checkout.call(payment, "charge(card)") as charge:
        with flow.alt("card accepted"):
            charge.reply("receipt")
        with flow.else_("card declined"):
            charge.reply("declined")
    assert check(flow) == []


def test_seq110_when_opt_is_skipped() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    line = next_line()
    with a.call(b, "fetch") as fetch, flow.opt("cache warm"):
        fetch.reply("cached")
    assert summary(check(flow)) == [("SEQ110", line, "when opt 'cache warm' is skipped")]


def test_seq110_in_an_opt_that_never_answers() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with flow.opt("refresh"):
        line = next_line()
        a.call(b, "refresh")
    assert summary(check(flow)) == [("SEQ110", line, "when opt 'refresh' is taken")]


def test_seq110_after_a_top_level_break() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    line = next_line()
    with a.call(b, "order") as order:
        with flow.break_("out of stock"):
            b.step("log shortage")
        order.reply("confirmed")
    assert summary(check(flow)) == [("SEQ110", line, "after break 'out of stock'")]


def test_seq110_near_miss_break_answers_before_leaving() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with a.call(b, "order") as order:
        with flow.break_("out of stock"):
            order.reply("409 Conflict")
        order.reply("confirmed")
    assert check(flow) == []


def test_seq110_break_inside_a_loop_leaves_the_loop_only() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with a.call(b, "poll until done") as poll:
        with flow.loop("every second"):
            b.send(a, "progress")
            with flow.break_("done"):
                b.step("stop polling")
        poll.reply("finished")
    assert check(flow) == []


def test_seq110_in_a_critical_option() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    line = next_line()
    with a.call(b, "reserve") as reserve:
        with flow.critical("lock held"):
            reserve.reply("reserved")
        with flow.option("lock timeout"):
            b.step("give up")
    assert summary(check(flow)) == [("SEQ110", line, "in critical option 'lock timeout'")]


def test_seq110_without_path_when_no_path_answers_and_no_seq120_for_its_activation() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    line = next_line()
    a.call(b, "ping")  # activates B; the missing reply would have ended it
    assert summary(check(flow)) == [("SEQ110", line, "")]


def test_seq110_forgotten_inner_reply_is_one_finding() -> None:
    flow = new_flow()
    a, b, c = flow.actor("A"), flow.participant("B"), flow.participant("C")
    with a.call(b, "outer") as outer:
        line = next_line()
        b.call(c, "inner")
        outer.reply("done")
    assert summary(check(flow)) == [("SEQ110", line, "")]


# -- SEQ111 ------------------------------------------------------------------------------------------------
def test_seq111_reply_answered_twice_names_the_first_answer() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with a.call(b, "get", activate=False) as get:
        first = next_line()
        get.reply("one")
        line = next_line()
        get.reply("two")
    findings = check(flow)
    assert summary(findings) == [("SEQ111", line, "")]
    assert f"already answered at line {first}" in findings[0].message


def test_seq111_out_of_nesting_order_names_both_requests() -> None:
    flow = new_flow()
    a, b, c = flow.actor("A"), flow.participant("B"), flow.participant("C")
    outer_line = next_line()
    with a.call(b, "outer") as outer:
        inner_line = next_line()
        with b.call(c, "inner") as inner:
            outer.reply("done")
            line = next_line()
            inner.reply("late")
    findings = check(flow)
    assert summary(findings) == [("SEQ111", line, "")]
    assert f'request "inner" (B → C, line {inner_line})' in findings[0].message
    assert f'request "outer" (A → B, line {outer_line})' in findings[0].message


def test_seq111_reply_with_nothing_open() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.call(b, "ping").reply("pong")
    line = next_line()
    b.reply(a, "pong again")
    assert summary(check(flow)) == [("SEQ111", line, "")]


def test_seq111_reply_sent_to_someone_other_than_the_caller() -> None:
    where = "model.py"
    request = Message(1, MessageKind.REQUEST, "a", "b", "get", Location(where, 2))
    reply = Message(2, MessageKind.REPLY, "b", "c", "data", Location(where, 3), reply_to=1)
    diagram = Diagram((Participant("a", "A", ParticipantKind.ACTOR), Participant("b", "B", ParticipantKind.PARTICIPANT),
                       Participant("c", "C", ParticipantKind.PARTICIPANT)), (request, reply))
    findings = [f for f in validate(diagram) if f.severity is Severity.ERROR]
    assert summary(findings) == [("SEQ111", 3, "")]
    assert "goes from the callee back to its caller" in findings[0].message


def test_seq111_near_miss_hand_written_reply_pairs_by_nesting() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.call(b, "get")
    b.reply(a, "data", deactivate=True)
    assert check(flow) == []


# -- SEQ112 ------------------------------------------------------------------------------------------------
def test_seq112_answered_in_one_branch_and_after_the_fragment() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with a.call(b, "get", activate=False) as get:
        with flow.alt("cached"):
            get.reply("from cache")
        with flow.else_("miss"):
            b.step("load")
        line = next_line()
        b.reply(a, "loaded")
    findings = check(flow)
    assert summary(findings) == [("SEQ112", line, "in alt branch 'miss'")]


def test_seq112_request_opened_in_one_branch_answered_after() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with flow.alt("needs data"):
        a.call(b, "get", activate=False)
    with flow.else_("has data"):
        a.step("use it")
    line = next_line()
    b.reply(a, "data")
    assert summary(check(flow)) == [("SEQ112", line, "in alt branch 'needs data'")]


def test_seq112_loop_answers_a_request_opened_before_it() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with a.call(b, "stream") as stream, flow.loop("each chunk"):
        line = next_line()
        stream.reply("chunk")
    findings = check(flow)
    assert summary(findings) == [("SEQ112", line, "in loop 'each chunk'")]
    assert "opened before the loop" in findings[0].message


def test_seq112_loop_request_answered_after_the_loop_is_one_finding() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with flow.loop("retry"):
        call = a.call(b, "try")
    line = next_line()
    call.reply("result")
    assert summary(check(flow)) == [("SEQ112", line, "in loop 'retry'")]


def test_par_branches_all_run_so_a_request_they_leave_open_is_answered_after() -> None:
    flow = new_flow()
    a, b, c = flow.actor("A"), flow.participant("B"), flow.participant("C")
    with flow.par("fan out"):
        first = a.call(b, "part 1")
    with flow.and_("second"):
        a.call(c, "part 2").reply("done 2")
    first.reply("done 1")
    assert check(flow) == []


def test_par_branch_delivers_a_pending_response_once() -> None:
    flow = new_flow()
    user, api, bus = flow.actor("User"), flow.participant("API"), flow.queue("Bus")
    with user.call(api, "POST /order") as order:
        with flow.par("respond"):
            order.reply("201 Created")
        with flow.and_("publish"):
            api.send(bus, "OrderCreated")
    assert check(flow) == []


def test_seq111_par_answers_one_request_in_two_branches() -> None:
    flow = new_flow()
    user, api = flow.actor("User"), flow.participant("API")
    with user.call(api, "GET /x", activate=False) as get:
        with flow.par("fast path"):
            get.reply("cached")
        with flow.and_("slow path"):
            line = next_line()
            get.reply("fresh")
    findings = check(flow)
    assert summary(findings) == [("SEQ111", line, "in par branch 'slow path'")]
    assert "answered in two branches of par 'fast path'" in findings[0].message


def test_seq112_near_miss_balanced_loop_and_par() -> None:
    flow = new_flow()
    a, b, c = flow.actor("A"), flow.participant("B"), flow.participant("C")
    with flow.loop("each item"):
        a.call(b, "process").reply("ok")
    with flow.par("fan out"):
        a.call(b, "part 1").reply("done 1")
    with flow.and_("second"):
        a.call(c, "part 2").reply("done 2")
    assert check(flow) == []


def test_calls_made_in_two_par_branches_may_be_answered_in_either_order_after_it() -> None:
    flow = new_flow()
    c, a, b = flow.participant("C"), flow.participant("A"), flow.participant("B")
    with flow.par("prepare A"):
        first = c.call(a, "prepare")
    with flow.and_("prepare B"):
        second = c.call(b, "prepare")
    first.reply("prepared")  # answered first, though opened first: the two calls do not nest
    second.reply("prepared")
    assert check(flow) == []


def test_calls_nested_in_one_par_branch_still_unwind_in_order() -> None:
    flow = new_flow()
    c, a, b = flow.participant("C"), flow.participant("A"), flow.participant("B")
    with flow.par("one branch"):
        outer = c.call(a, "outer")
        inner = a.call(b, "inner")
    with flow.and_("other"):
        c.send(b, "ping")
    outer.reply("done")
    line = next_line()
    inner.reply("late")
    assert ("SEQ111", line) in [(f.code, f.location.line) for f in check(flow)]


# -- SEQ113 ------------------------------------------------------------------------------------------------
def test_seq113_reply_to_a_participant_that_never_calls() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.send(b, "event")
    line = next_line()
    a.reply(b, "thanks")
    assert summary(with_code(check(flow), "SEQ113")) == [("SEQ113", line, "")]


def test_a_callee_answering_the_wrong_caller_is_seq111_naming_the_call() -> None:
    """Not SEQ113 ("never calls"): the sender is serving a call, so the reply went to the wrong participant."""
    flow = new_flow()
    user, web, auth = flow.actor("User"), flow.participant("Web"), flow.participant("Auth")
    with user.call(web, "login") as login:
        web.call(auth, "verify", activate=False)
        line = next_line()
        auth.reply(user, "token")
        login.reply("200")
    findings = check(flow)
    assert [(f.code, f.location.line) for f in findings] == [("SEQ111", line)], "one finding: the call is settled"
    assert "came from Web" in findings[0].message and '"verify"' in findings[0].message


def test_a_reply_drawn_backwards_stays_seq113() -> None:
    flow = new_flow()
    web, auth, db = flow.participant("Web"), flow.participant("Auth"), flow.database("DB")
    with web.call(auth, "verify") as verify:
        auth.call(db, "select", activate=False)
        line = next_line()
        auth.reply(db, "row")
        verify.reply("ok")
    assert [(f.code, f.location.line) for f in check(flow)] == [("SEQ113", line)]


def test_seq113_near_miss_reply_back_to_the_caller() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.call(b, "get", activate=False)
    b.reply(a, "data")
    assert check(flow) == []


# -- SEQ115 ------------------------------------------------------------------------------------------------
def test_seq115_implicit_replies_is_one_info_instead_of_seq110_per_request() -> None:
    flow = new_flow()
    a, b, c = flow.actor("A"), flow.participant("B"), flow.participant("C")
    a.call(b, "one", activate=False)
    b.call(c, "two", activate=False)
    a.call(c, "three", activate=False)
    explicit = check(flow)
    assert [f.code for f in explicit] == ["SEQ110", "SEQ110", "SEQ110"]
    modes: tuple[Replies, ...] = ("implicit", "auto")
    for mode in modes:
        findings = check(flow, replies=mode)
        assert [(f.code, f.severity) for f in findings] == [("SEQ115", Severity.INFO)]


def test_seq115_near_miss_auto_keeps_pairing_when_replies_are_drawn() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.call(b, "one", activate=False).reply("ok")
    line = next_line()
    a.call(b, "two", activate=False)
    assert summary(check(flow, replies="auto")) == [("SEQ110", line, "")]


def test_seq112_break_in_a_loop_answers_what_the_zero_iteration_path_leaves_open() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    call = a.call(b, "wait for result", activate=False)
    with flow.loop("poll"):
        b.send(a, "progress")
        with flow.break_("done"):
            call.reply("result")
    line = next_line()
    b.reply(a, "result after polling")
    assert summary(check(flow)) == [("SEQ112", line, "when loop 'poll' runs zero times")]


def test_seq112_a_later_reply_to_an_already_reported_request_adds_nothing() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with a.call(b, "stream") as stream:
        with flow.loop("each chunk"):
            line = next_line()
            stream.reply("chunk")
        stream.reply("end of stream")
    assert summary(check(flow)) == [("SEQ112", line, "in loop 'each chunk'")]


def test_seq111_reply_to_a_request_that_does_not_exist() -> None:
    where = "model.py"
    request = Message(1, MessageKind.REQUEST, "a", "b", "get", Location(where, 2))
    stray = Message(2, MessageKind.REPLY, "b", "a", "data", Location(where, 3), reply_to=42)
    answer = Message(3, MessageKind.REPLY, "b", "a", "data", Location(where, 4), reply_to=1)
    people = (Participant("a", "A", ParticipantKind.ACTOR), Participant("b", "B", ParticipantKind.PARTICIPANT))
    diagram = Diagram(people, (request, stray, answer))
    findings = [f for f in validate(diagram) if f.severity is Severity.ERROR]
    assert summary(findings) == [("SEQ111", 3, "")]
    assert "request #42, which does not exist" in findings[0].message
    assert validate(replace(diagram, events=(request, answer))) == []


def test_seq115_forced_implicit_ignores_drawn_replies() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.call(b, "one", activate=False)
    b.reply(a, "stray")
    b.reply(a, "another stray")
    assert [f.code for f in check(flow, replies="implicit")] == ["SEQ115"]


# -- SEQ140: creation ------------------------------------------------------------------------------------------
def test_creating_a_participant_that_exists_already_is_seq140_at_the_second_creation() -> None:
    flow = new_flow()
    pool, worker = flow.participant("Pool"), flow.participant("Worker")
    pool.create(worker, "spawn")
    pool.send(worker, "task")
    line = next_line()
    pool.create(worker, "spawn again")
    assert [(f.code, f.location.line) for f in check(flow)] == [("SEQ140", line)]


def test_a_participant_ended_and_created_again_is_a_new_lifeline() -> None:
    flow = new_flow()
    pool, worker = flow.participant("Pool"), flow.participant("Worker")
    pool.create(worker, "spawn")
    pool.destroy(worker, "retire")
    pool.create(worker, "spawn a fresh one")
    pool.send(worker, "task")
    assert check(flow) == []
