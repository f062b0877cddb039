"""Catalog flows 15-20 show what the issue's "must show" table demands, asserted on the model.

Each test finds the participants, messages and fragments that carry a pattern's point (a TTL on the
cache populate, the second worker's failed acquire in an alt/else, the dependency checks inside a
par) and checks where they sit in the event tree, not how the source file is written.
"""

from __future__ import annotations

import re

import pytest
from catalog_queries import (
    ALT,
    ASYNC,
    BREAK,
    LOOP,
    OPT,
    PAR,
    REPLY,
    REQUEST,
    SELF,
    assert_metadata_verbatim,
    branch_with,
    diagram,
    flat,
    fragment_holding,
    frags,
    msgs,
    one,
    pid,
    replies_to,
    texts,
    validator_problems,
)

from diagram_dsl.model import Fragment, Reference, walk_events


@pytest.mark.parametrize("number", range(15, 21))
def test_flow_passes_the_validator_without_errors_or_unwaived_warnings(number: int) -> None:
    problems = validator_problems(number)
    assert not problems, "\n".join(str(p) for p in problems)


@pytest.mark.parametrize("number", range(15, 21))
def test_metadata_is_verbatim_from_the_seed(number: int) -> None:
    assert_metadata_verbatim(number)


# -- every flow of this range ----------------------------------------------------------------------------
@pytest.mark.parametrize("number", range(15, 21))
def test_flow_is_sized_to_stay_readable(number: int) -> None:
    d = diagram(number)
    assert len(d.participants) <= (10 if number == 20 else 8)
    assert 15 <= len(d.messages()) <= 45
    used = {p for m in d.messages() for p in (m.sender, m.receiver) if p is not None}
    assert used == {p.id for p in d.participants}
    paired = {m.reply_to for m in d.messages() if m.kind is REPLY}
    assert all(m.id in paired for m in d.messages() if m.kind is REQUEST), "a request is never answered"


# -- 15 cache-aside ------------------------------------------------------------------------------------------
def test_15_read_hit_miss_and_cache_down_branches() -> None:
    d = diagram(15)
    app, cache, db = pid(d, "service"), pid(d, "cache"), pid(d, r"\bDB\b")
    lookup = one(msgs(d, REQUEST, sender=app, receiver=cache, label=r"^GET "), "cache lookup")
    outcome = fragment_holding(d, replies_to(d, lookup)[0], ALT)
    hit, miss, down = (branch_with([outcome], g) for g in ("hit", "miss", "down|unavailable"))
    assert len({id(hit), id(miss), id(down)}) == 3
    for branch in (hit, miss, down):
        assert len(replies_to(branch, lookup)) == 1, f"the lookup is answered in the {branch.guard!r} branch"
    assert not msgs(hit, REQUEST, receiver=db), "a hit never touches the database"
    load = one(msgs(miss, REQUEST, sender=app, receiver=db, label="SELECT"), "miss loads from the DB")
    populate = one(msgs(miss, REQUEST, sender=app, receiver=cache, label=r"^SET .*\b(EX|PX|TTL)\b"),
                   "miss populates the cache with a TTL")
    assert load.id < populate.id
    assert msgs(down, REQUEST, sender=app, receiver=db, label="SELECT"), "cache down: read from the DB"
    assert not msgs(down, REQUEST, receiver=cache), "cache down: no write to the broken cache"
    for branch in (hit, miss, down):
        assert msgs(branch, REPLY, sender=app, label="200"), f"client answered in {branch.guard!r}"
        assert msgs(branch, ASYNC, sender=app, receiver=pid(d, "metrics")), "hit rate is measured"


def test_15_write_updates_db_then_invalidates_cache() -> None:
    d = diagram(15)
    app, cache, db = pid(d, "service"), pid(d, "cache"), pid(d, r"\bDB\b")
    write = one(msgs(d, REQUEST, receiver=app, label=r"^(PUT|POST|PATCH|DELETE) "), "a write request")
    answer = replies_to(d, write)[0]
    update = one(msgs(d, REQUEST, sender=app, receiver=db, label="UPDATE"), "DB update")
    invalidate = one(msgs(d, REQUEST, sender=app, receiver=cache, label=r"^(DEL|UNLINK)\b"), "invalidation")
    assert write.id < update.id < invalidate.id < answer.id


def test_15_cache_warming_loop() -> None:
    d = diagram(15)
    warm = frags(d, LOOP)
    assert any(msgs(f.branches[0], REQUEST, receiver=pid(d, "cache"), label=r"^SET .*\bEX\b") for f in warm)


# -- 16 message queue -------------------------------------------------------------------------------------
def test_16_durable_publish_is_confirmed_before_the_client_is_answered() -> None:
    d = diagram(16)
    producer, broker = pid(d, "producer"), pid(d, "broker")
    post = one(msgs(d, REQUEST, receiver=producer), "client request")
    publish = one(msgs(d, REQUEST, sender=producer, receiver=broker, label=r"publish.*(persistent|durable)"),
                  "durable publish")
    confirm = replies_to(d, publish)[0]
    assert re.search(r"ack|confirm", confirm.label, re.IGNORECASE)
    assert msgs(d, SELF, sender=broker, label="disk|replicat|persist")
    assert post.id < publish.id < confirm.id < replies_to(d, post)[0].id


def test_16_ack_nack_redelivery_and_dead_letter_after_n_attempts() -> None:
    d = diagram(16)
    broker, workers, dlq = pid(d, "broker"), pid(d, "consumer"), pid(d, "dead-letter")
    deliveries = [f for f in frags(d, LOOP) if msgs(f.branches[0], ASYNC, sender=broker, receiver=workers)]
    assert len(deliveries) == 1
    loop = deliveries[0]
    assert re.search(r"\d+ attempts|N\b", loop.label), "the loop bounds the attempts"
    process = one(msgs(loop.branches[0], REQUEST, sender=workers), "the consumer processes")
    outcome = fragment_holding(d, replies_to(d, process)[0], ALT)
    ok, failed = branch_with([outcome], "processed|success"), branch_with([outcome], "fail")
    assert msgs(ok, ASYNC, sender=workers, receiver=broker, label=r"^ack")
    assert msgs(failed, ASYNC, sender=workers, receiver=broker, label=r"^nack")
    assert msgs(failed, label="redeliver|requeue")
    breaks = [e for e in loop.branches[0].events if isinstance(e, Fragment) and e.kind is BREAK]
    assert breaks and msgs(breaks[0].branches[0], ASYNC, sender=broker, receiver=dlq, label="dead-letter")
    assert re.search(r"attempt", breaks[0].label)


def test_16_queue_depth_is_monitored_and_acted_on() -> None:
    d = diagram(16)
    monitor = pid(d, "monitor")
    report = one(msgs(d, ASYNC, receiver=monitor, label="depth"), "depth reported to the monitor")
    actions = [m for f in frags(d, OPT) for m in msgs(f.branches[0], sender=monitor)]
    assert actions and all(m.id > report.id for m in actions)
    assert any(m.receiver == pid(d, "consumer") and re.search("scale", m.label) for m in actions)


# -- 17 distributed lock -------------------------------------------------------------------------------------
def test_17_first_worker_acquires_with_ttl_and_gets_a_fencing_token() -> None:
    d = diagram(17)
    a, lock = pid(d, "worker a"), pid(d, "lock")
    acquire = one(msgs(d, REQUEST, sender=a, receiver=lock, label=r"SET .*A-uuid.*\bNX\b.*\bPX \d+"),
                  "SET NX PX by worker A")
    assert re.search(r"^OK", replies_to(d, acquire)[0].label)
    token = one(msgs(d, REPLY, sender=lock, receiver=a, label=r"fencing token \d+"), "token for A")
    assert token.id > acquire.id


def test_17_second_worker_fails_inside_alt_else_and_backs_off() -> None:
    d = diagram(17)
    b, lock = pid(d, "worker b"), pid(d, "lock")
    first_try = one(msgs(d, REQUEST, sender=b, receiver=lock, label=r"\bNX\b"), "worker B's acquire")
    assert first_try.id > one(msgs(d, REQUEST, sender=pid(d, "worker a"), label=r"\bNX\b"), "A").id
    contention = fragment_holding(d, replies_to(d, first_try)[0], ALT)
    assert len(contention.branches) >= 2
    failing = [br for br in contention.branches if msgs(br, REPLY, receiver=b, label=r"nil|not acquired")]
    winning = [br for br in contention.branches if msgs(br, REPLY, receiver=b, label=r"^OK")]
    assert len(failing) == 1 and winning and failing[0] is not winning[0]
    assert failing[0] is not contention.branches[0], "the failure is the else branch"
    assert msgs(failing[0], SELF, sender=b, label=r"back.?off"), "worker B backs off"
    assert not msgs(failing[0], receiver=pid(d, "storage")), "a worker without the lock never writes"


def test_17_lease_is_renewed_by_its_owner_while_working() -> None:
    d = diagram(17)
    a, lock, storage = pid(d, "worker a"), pid(d, "lock"), pid(d, "storage")
    working = [f for f in frags(d, LOOP) if msgs(f.branches[0], REQUEST, sender=a, receiver=storage)]
    assert len(working) == 1
    assert msgs(working[0].branches[0], REQUEST, sender=a, receiver=lock, label=r"(PEXPIRE|renew).*A-uuid")
    lost = [f for f in frags(working[0].branches[0], BREAK) if re.search("lost", f.label)]
    assert lost, "losing the lease breaks out of the work loop"


def test_17_release_is_compare_and_delete_by_the_owner() -> None:
    d = diagram(17)
    lock = pid(d, "lock")
    for worker, owner in (("worker a", "A-uuid"), ("worker b", "B-uuid")):
        who = pid(d, worker)
        release = one(msgs(d, REQUEST, sender=who, receiver=lock, label=rf"if GET = {owner} then DEL"),
                      f"{worker} releases only its own lock")
        writes = msgs(d, REQUEST, sender=who, receiver=pid(d, "storage"))
        assert writes and release.id > min(w.id for w in writes)
    assert not msgs(d, REQUEST, receiver=lock, label=r"^DEL\b"), "no unconditional DEL"


def test_17_fencing_token_is_passed_to_the_resource_which_rejects_stale_ones() -> None:
    d = diagram(17)
    storage = pid(d, "storage")
    tokens = {m.receiver: int(re.findall(r"token (\d+)", m.label)[0])
              for m in msgs(d, REPLY, sender=pid(d, "lock"), label=r"token \d+")}
    a, b = pid(d, "worker a"), pid(d, "worker b")
    assert tokens[b] > tokens[a]
    for worker in (a, b):
        assert msgs(d, REQUEST, sender=worker, receiver=storage, label=rf"token {tokens[worker]}\b")
    stale = [w for w in msgs(d, REQUEST, sender=a, receiver=storage, label=rf"token {tokens[a]}\b")
             if w.id > msgs(d, REQUEST, sender=b, receiver=storage)[0].id]
    assert stale and re.search(r"reject|409", replies_to(d, stale[0])[0].label)


# -- 18 health check -----------------------------------------------------------------------------------------
def test_18_dependency_checks_run_in_par_with_timeouts() -> None:
    d = diagram(18)
    prober, service = pid(d, "prober"), pid(d, "service")
    probe = one(msgs(d, REQUEST, sender=prober, receiver=service, label="health"), "the probe")
    checks = [f for f in frags(d, PAR) if msgs(f.branches[0], REQUEST, sender=service)]
    assert len(checks) == 1
    par = checks[0]
    assert len(par.branches) >= 3
    targets = []
    for branch in par.branches:
        calls = msgs(branch, REQUEST, sender=service)
        assert len(calls) == 1 and re.search(r"timeout \d+ m?s", calls[0].label), branch.guard
        assert len(replies_to(branch, calls[0])) >= 1, "each check is answered inside its own branch"
        targets.append(calls[0].receiver)
    assert len(set(targets)) == len(targets)
    assert any(msgs(b, REPLY, label="timed out|timeout") for b in par.branches), "a timeout outcome is drawn"
    assert probe.id < min(m.id for m in msgs(par.branches[0]))


def test_18_status_is_aggregated_into_healthy_degraded_unhealthy() -> None:
    d = diagram(18)
    probe = one(msgs(d, REQUEST, sender=pid(d, "prober"), label="health"), "the probe")
    answers = replies_to(d, probe)
    verdict = fragment_holding(d, answers[0], ALT)
    labels = [flat(r.label) for b in verdict.branches for r in replies_to(b, probe)]
    assert len(labels) == 3 and len(verdict.branches) == 3
    assert re.search(r"^200 healthy", labels[0]) and re.search(r"^200 degraded", labels[1])
    assert re.search(r"^503 unhealthy", labels[2])
    aggregate = one(msgs(d, SELF, sender=pid(d, "service"), label="aggregate"), "aggregation step")
    assert aggregate.id < min(a.id for a in answers)


def test_18_alert_on_unhealthy() -> None:
    d = diagram(18)
    alerts = pid(d, "alert")
    paging = [f for f in frags(d, OPT) if re.search("503|unhealthy", f.label)]
    assert paging and msgs(paging[0].branches[0], ASYNC, receiver=alerts, label="unhealthy")


# -- 19 audit log --------------------------------------------------------------------------------------------
def test_19_every_outcome_is_captured_and_handed_off_asynchronously() -> None:
    d = diagram(19)
    api, queue = pid(d, "api"), pid(d, "queue")
    action = one(msgs(d, REQUEST, receiver=api), "the audited action")
    outcome = fragment_holding(d, replies_to(d, action)[0], ALT)
    assert len(outcome.branches) >= 2
    for branch in outcome.branches:
        published = one(msgs(branch, ASYNC, sender=api, receiver=queue, label="AuditEvent"), branch.guard)
        assert published.id < replies_to(branch, action)[0].id
    assert not msgs(d, REQUEST, sender=api), "the request path never waits on the audit store"


def test_19_event_is_enriched_then_appended_to_a_hash_chain_then_indexed() -> None:
    d = diagram(19)
    audit, ledger, index = pid(d, "audit service"), pid(d, "ledger"), pid(d, "index")
    delivered = one(msgs(d, ASYNC, receiver=audit, label="AuditEvent"), "delivery to the audit service")
    enrich = one(msgs(d, SELF, sender=audit, label="enrich"), "enrichment")
    for facet in ("who", "what", "when", "where"):
        assert re.search(rf"\b{facet}\b", enrich.label), facet
    append = one(msgs(d, REQUEST, sender=audit, receiver=ledger, label="append"), "append")
    chained = msgs(d, label=r"prev_hash") + msgs(d, label=r"SHA-256")
    assert chained and all(m.id > append.id for m in chained)
    store = d.participant(ledger)
    assert store is not None and re.search("append-only|WORM", flat(store.label))
    indexed = one(msgs(d, sender=audit, receiver=index, label="index"), "indexing")
    assert delivered.id < enrich.id < append.id < indexed.id


def test_19_search_and_integrity_check() -> None:
    d = diagram(19)
    auditor, audit = pid(d, "auditor"), pid(d, "audit service")
    search = one(msgs(d, REQUEST, sender=auditor, receiver=audit, label="search"), "search")
    answer = replies_to(d, search)[0]
    assert [m for m in msgs(d, REQUEST, sender=audit, receiver=pid(d, "index")) if search.id < m.id < answer.id]
    verify = one(msgs(d, REQUEST, sender=auditor, receiver=audit, label="verify"), "integrity check")
    assert msgs(d, SELF, sender=audit, label="recompute .*hash")
    verdict = fragment_holding(d, replies_to(d, verify)[0], ALT)
    assert any(msgs(b, REPLY, receiver=auditor, label="tamper") for b in verdict.branches)
    assert any(msgs(b, REPLY, receiver=auditor, label="intact") for b in verdict.branches)


# -- 20 full modern architecture -------------------------------------------------------------------------
def test_20_grouped_into_edge_services_data_boxes() -> None:
    d = diagram(20)
    titles = {b.id: b.title.lower() for b in d.boxes}
    assert sorted(titles.values()) == ["data", "edge", "services"]
    members = {title: {p.id for p in d.participants if p.box == box} for box, title in titles.items()}
    assert {pid(d, "cdn"), pid(d, "gateway")} == members["edge"]
    assert {pid(d, "command"), pid(d, "reads")} <= members["services"]
    assert {pid(d, "bus"), pid(d, "cache"), pid(d, "write model"), pid(d, "read model")} <= members["data"]


def test_20_edge_then_gateway_with_auth_and_rate_limit() -> None:
    d = diagram(20)
    client, cdn, gateway = pid(d, "client"), pid(d, "cdn"), pid(d, "gateway")
    assert {m.receiver for m in msgs(d, REQUEST, sender=client)} == {cdn}
    assert msgs(d, REQUEST, sender=cdn, receiver=gateway)
    assert msgs(d, SELF, sender=gateway, label=r"JWT.*rate limit")
    rejected = [b for f in frags(d, ALT) for b in f.branches if msgs(b, REPLY, sender=gateway, label="429")]
    assert rejected and msgs(rejected[0], REPLY, sender=gateway, label="401")


def test_20_commands_and_queries_take_separate_paths() -> None:
    d = diagram(20)
    gateway, commands, reads = pid(d, "gateway"), pid(d, "command"), pid(d, "reads")
    write_db, read_db, cache = pid(d, "write model"), pid(d, "read model"), pid(d, "cache")
    assert msgs(d, REQUEST, sender=gateway, receiver=commands, label="PlaceOrder")
    assert msgs(d, REQUEST, sender=gateway, receiver=reads, label="GetOrder")
    assert msgs(d, REQUEST, sender=commands, receiver=write_db)
    assert not msgs(d, sender=commands, receiver=read_db) and not msgs(d, sender=commands, receiver=cache)
    assert not msgs(d, sender=reads, receiver=write_db)
    lookup = one(msgs(d, REQUEST, sender=reads, receiver=cache, label="^GET"), "cache lookup")
    hit_or_miss = fragment_holding(d, replies_to(d, lookup)[0], ALT)
    miss = branch_with([hit_or_miss], "miss")
    assert msgs(miss, REQUEST, sender=reads, receiver=read_db)
    assert msgs(miss, REQUEST, sender=reads, receiver=cache, label=r"^SET .*\bEX\b")


def test_20_outbox_feeds_the_event_bus_which_fans_out() -> None:
    d = diagram(20)
    commands, bus, reads = pid(d, "command"), pid(d, "bus"), pid(d, "reads")
    write_db = pid(d, "write model")
    tx = one(msgs(d, REQUEST, sender=commands, receiver=write_db, label=r"one tx.*outbox"), "order + outbox in one tx")
    relay = one(msgs(d, REQUEST, sender=commands, receiver=write_db, label="outbox rows"), "outbox relay read")
    publish = one(msgs(d, REQUEST, sender=commands, receiver=bus, label="publish"), "publish")
    assert tx.id < relay.id < publish.id
    fan_out = [f for f in frags(d, PAR) if all(msgs(b, ASYNC, sender=bus) for b in f.branches)]
    assert fan_out and len(fan_out[0].branches) >= 2
    receivers = {m.receiver for b in fan_out[0].branches for m in msgs(b, ASYNC, sender=bus)}
    assert reads in receivers and len(receivers) >= 2
    assert msgs(d, REQUEST, sender=reads, receiver=pid(d, "cache"), label=r"^DEL")


def test_20_saga_and_distributed_tracing_are_shown() -> None:
    d = diagram(20)
    refs = [e for e in walk_events(d.events) if isinstance(e, Reference)]
    assert any(re.search(r"saga", r.text, re.IGNORECASE) and re.search("compensat", r.text) for r in refs)
    assert msgs(d, label="traceparent")
    assert re.search(r"tracing.*traceparent", texts(d))
