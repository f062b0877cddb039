"""Activations, control and lifelines along paths: SEQ120, SEQ121, SEQ140, SEQ150."""

from __future__ import annotations

from validate_support import check, new_flow, next_line, summary, with_code

from diagram_dsl.validate import Severity


# -- SEQ120 ------------------------------------------------------------------------------------------------
def test_seq120_activation_never_ended() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.send(b, "job")
    line = next_line()
    flow.activate(b)
    b.send(a, "done")
    assert summary(check(flow)) == [("SEQ120", line, "")]


def test_seq120_deactivation_without_activation() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.send(b, "job")
    line = next_line()
    flow.deactivate(b)
    assert summary(check(flow)) == [("SEQ120", line, "")]


def test_seq120_hand_written_reply_that_forgets_to_deactivate() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    line = next_line()
    a.call(b, "get")  # activates B
    b.reply(a, "data", deactivate=False)  # answers, but keeps B active
    findings = check(flow)
    assert summary(findings) == [("SEQ120", line, "")]
    assert 'started by request "get"' in findings[0].message


def test_seq120_activation_ended_in_one_branch_only() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.send(b, "job")
    line = next_line()
    flow.activate(b)
    with flow.alt("fast"):
        flow.deactivate(b)
    with flow.else_("slow"):
        b.step("keep working")
    assert summary(check(flow)) == [("SEQ120", line, "in alt branch 'slow'")]


def test_seq120_loop_ends_an_activation_started_before_it() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.send(b, "job")
    flow.activate(b)
    with flow.loop("each item"):
        line = next_line()
        flow.deactivate(b)
    findings = check(flow)
    assert summary(findings) == [("SEQ120", line, "in loop 'each item'")]
    assert "started before the loop" in findings[0].message  # the finding names the fragment


def test_seq120_near_miss_balanced_activations() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.send(b, "job")
    with flow.group("work"):
        flow.activate(b)
        b.step("crunch")
        flow.deactivate(b)
    with a.call(b, "status") as status:
        status.reply("idle")
    assert check(flow) == []


# -- SEQ121 ------------------------------------------------------------------------------------------------
def test_seq121_request_out_of_nowhere_reported_once() -> None:
    flow = new_flow()
    user, api, worker = flow.actor("User"), flow.participant("API"), flow.participant("Worker")
    user.call(api, "start").reply("202 Accepted")
    line = next_line()
    api.call(worker, "crunch").reply("done")
    api.call(worker, "crunch again").reply("done")
    assert summary(with_code(check(flow), "SEQ121")) == [("SEQ121", line, "")]


def test_seq121_near_miss_event_consumer_and_active_participants() -> None:
    flow = new_flow()
    producer = flow.participant("Producer")
    bus, consumer, db = flow.queue("Bus"), flow.participant("Consumer"), flow.database("DB")
    reporter = flow.participant("Reporter")
    producer.send(bus, "OrderPlaced")  # the initiator
    bus.send(consumer, "OrderPlaced")  # woken by an async message
    consumer.call(db, "INSERT").reply("ok")
    with producer.call(bus, "flush") as flush:  # the callee of an open request holds control
        bus.call(db, "persist").reply("ok")
        flush.reply("flushed")
    flow.activate(reporter)  # explicitly active
    reporter.call(db, "SELECT").reply("rows")
    flow.deactivate(reporter)
    assert with_code(check(flow), "SEQ121") == []


# -- SEQ140 ------------------------------------------------------------------------------------------------
def test_seq140_message_before_create() -> None:
    flow = new_flow()
    a, temp = flow.actor("A"), flow.participant("Temp")
    line = next_line()
    a.send(temp, "too early")
    a.create(temp, "spawn")
    assert summary(with_code(check(flow), "SEQ140")) == [("SEQ140", line, "")]


def test_seq140_message_after_destroy() -> None:
    flow = new_flow()
    a, temp = flow.actor("A"), flow.participant("Temp")
    a.create(temp, "spawn")
    a.destroy(temp, "kill")
    line = next_line()
    a.send(temp, "too late")
    assert summary(with_code(check(flow), "SEQ140")) == [("SEQ140", line, "")]


def test_seq140_after_end_of_life() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.send(b, "bye")
    flow.end_of_life(b)
    line = next_line()
    b.send(a, "ghost")
    assert summary(with_code(check(flow), "SEQ140")) == [("SEQ140", line, "")]


def test_seq141_created_or_destroyed_on_some_paths_only_then_used_after_the_join() -> None:
    flow = new_flow()
    a, temp = flow.actor("A"), flow.participant("Temp")
    with flow.opt("needs a worker"):
        a.create(temp, "spawn")
    created_line = next_line()
    a.send(temp, "work (if spawned)")
    with flow.alt("done"):
        a.destroy(temp, "kill")
    with flow.else_("keep"):
        a.send(temp, "more work")
    destroyed_line = next_line()
    a.send(temp, "last job (if kept)")
    a.send(temp, "reported once per participant")
    findings = check(flow)
    assert with_code(findings, "SEQ140") == []
    assert summary(with_code(findings, "SEQ141")) == [("SEQ141", created_line, ""), ("SEQ141", destroyed_line, "")]
    assert all(f.severity is Severity.WARNING for f in with_code(findings, "SEQ141"))
    assert "created on some paths to here only" in findings[0].message


def test_seq141_near_miss_created_and_destroyed_on_every_path() -> None:
    flow = new_flow()
    a, temp = flow.actor("A"), flow.participant("Temp")
    with flow.alt("big job"):
        a.create(temp, "spawn big")
    with flow.else_("small job"):
        a.create(temp, "spawn small")
    a.send(temp, "work")
    with flow.opt("extra"):
        a.send(temp, "extra work")
    a.destroy(temp, "kill")
    assert check(flow) == []


def test_seq140_destroyed_in_a_loop_and_used_by_the_next_iteration() -> None:
    flow = new_flow()
    a, worker = flow.actor("A"), flow.participant("Worker")
    with flow.loop("each job"):
        line = next_line()
        a.send(worker, "job")
        a.destroy(worker, "shut down")
    findings = check(flow)
    assert summary(with_code(findings, "SEQ140")) == [("SEQ140", line, "")]
    assert "in the next iteration of loop 'each job'" in findings[0].message


def test_seq140_near_miss_created_and_destroyed_in_every_iteration() -> None:
    flow = new_flow()
    a, worker = flow.actor("A"), flow.participant("Worker")
    with flow.loop("each job"):
        a.create(worker, "spawn")
        a.send(worker, "job")
        a.destroy(worker, "shut down")
    assert with_code(check(flow), "SEQ140") == []


def test_a_taken_break_ends_the_activations_begun_in_what_it_leaves() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with a.call(b, "order") as order:
        with flow.break_("out of stock"):
            b.reply(a, "409 Conflict")  # answers, but leaves B's activation to the break
        order.reply("201 Created")
    assert check(flow) == []


# -- SEQ150 ------------------------------------------------------------------------------------------------
def test_seq150_call_back_into_a_waiting_caller() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    with a.call(b, "process") as process:
        line = next_line()
        b.call(a, "need more input").reply("input")
        b.call(a, "need even more").reply("input")
        process.reply("done")
    assert summary(check(flow)) == [("SEQ150", line, "")]


def test_seq150_near_miss_nested_calls_without_cycle() -> None:
    flow = new_flow()
    a, b, c = flow.actor("A"), flow.participant("B"), flow.participant("C")
    with a.call(b, "process") as process:
        b.call(c, "lookup").reply("value")
        process.reply("done")
    a.call(b, "again").reply("ok")
    b.send(a, "notify")
    assert check(flow) == []


def test_seq150_near_miss_waiting_caller_never_answered_is_only_seq110() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    line = next_line()
    a.call(b, "process", activate=False)
    b.call(a, "callback", activate=False).reply("ok")
    assert summary(check(flow)) == [("SEQ110", line, "")]


def test_seq120_deactivated_after_a_branch_already_ended_it() -> None:
    flow = new_flow()
    a, b = flow.actor("A"), flow.participant("B")
    a.send(b, "job")
    flow.activate(b)
    with flow.alt("fast"):
        flow.deactivate(b)
    with flow.else_("slow"):
        b.step("keep working")
    line = next_line()
    flow.deactivate(b)
    findings = check(flow)
    assert summary(findings) == [("SEQ120", line, "in alt branch 'slow'")]
    assert "already ended on other paths" in findings[0].message
