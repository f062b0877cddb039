"""Catalog flows 8-14: metadata verbatim from the seed document, and the issue's "must show" content in the model.

Each must-show test reads the loaded model (messages, fragments, branches, participant kinds) through
``catalog_queries``, never source text. ``only`` and ``only_*`` demand exactly one match: one publish,
one dead-letter send, one trial call.
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
    diagram,
    kind_of,
    loaded,
    msgs,
    notes,
    only,
    only_branch,
    only_fragment,
    phase,
    pid,
)

from diagram_dsl.model import Message, ParticipantKind
from diagram_dsl.naming import module_stem
from diagram_dsl.project import output_stem

MY_FLOWS = range(8, 15)


@pytest.mark.parametrize("number", MY_FLOWS)
def test_metadata_is_verbatim_from_the_seed(number: int) -> None:
    assert_metadata_verbatim(number)


@pytest.mark.parametrize("number", MY_FLOWS)
def test_source_and_output_names_follow_number_and_title(number: int) -> None:
    flow = loaded(number)
    meta = flow.metadata
    assert flow.path.stem == module_stem(number, meta.slug)
    assert output_stem(meta) == f"{number}-{meta.title.lower().replace(' ', '-')}"


@pytest.mark.parametrize("number", MY_FLOWS)
def test_size_stays_readable_and_everyone_takes_part(number: int) -> None:
    d = diagram(number)
    assert 15 <= len(d.messages()) <= 45
    assert len(d.participants) <= 8
    used = {m.sender for m in d.messages()} | {m.receiver for m in d.messages()}
    assert {p.id for p in d.participants} <= used
    assert all(len(line) <= 45 for m in d.messages() for line in m.label.splitlines())


# -- must show, flow by flow ------------------------------------------------------------------------

def test_08_publish_fan_out_idempotent_consumer_dead_letter() -> None:
    d = diagram(8)
    orders, bus, inventory = pid(d, "^Order Service$"), pid(d, "^Event Bus$"), pid(d, "^Inventory Service$")
    dlq = pid(d, "^Dead Letter Queue$")
    assert kind_of(d, bus) is kind_of(d, dlq) is ParticipantKind.QUEUE
    publish = only(msgs(d, ASYNC, sender=orders, receiver=bus, label="publish OrderPlaced"), "publish")

    fan_out = only_fragment(d, PAR, "fan-out")
    firsts = [b.events[0] for b in fan_out.branches]
    assert all(isinstance(m, Message) and m.kind is ASYNC and m.sender == bus
               and "OrderPlaced" in m.label and m.id > publish.id for m in firsts)
    assert len({m.receiver for m in firsts if isinstance(m, Message)}) >= 2

    lookup = only(msgs(d, REQUEST, sender=inventory, label="SELECT processed_events"), "dedupe lookup")
    duplicate = only_branch(d, ALT, "duplicate")
    first_time = only_branch(d, ALT, "first delivery")
    assert lookup.id < min(m.id for m in msgs(duplicate))
    assert msgs(duplicate, ASYNC, sender=inventory, receiver=bus, label="ack")
    assert not msgs(duplicate, REQUEST)  # a duplicate changes nothing
    assert msgs(first_time, REQUEST, sender=inventory, label="reserve stock")

    retry = only_fragment(first_time, LOOP, "attempts")
    assert msgs(retry.branches[0], REQUEST, sender=inventory, label="reserve stock")
    failed = only_branch(first_time, ALT, "still failing")
    nack = only(msgs(failed, ASYNC, sender=inventory, receiver=bus, label="nack"), "nack")
    dead = only(msgs(failed, ASYNC, sender=bus, receiver=dlq), "dead-letter")
    assert nack.id < dead.id
    assert not msgs(only_branch(d, ALT, "committed"), ASYNC, receiver=dlq)
    assert any("eventually consistent" in text for text in notes(d))


def test_09_closed_open_half_open() -> None:
    d = diagram(9)
    breaker, remote, cache = pid(d, "^Circuit Breaker$"), pid(d, "^Pricing API$"), pid(d, "^Fallback Cache$")
    closed, opened, half_open = (phase(d, f"^{state}") for state in ("CLOSED", "OPEN", "HALF-OPEN"))

    assert msgs(closed, REQUEST, sender=breaker, receiver=remote)
    failing = only_branch(closed, ALT, "timeout")
    assert msgs(failing, SELF, sender=breaker, label=r"failures \+= 1")
    trip = only_branch(failing, OPT, "failures ≥")
    assert msgs(trip, SELF, sender=breaker, label="→ OPEN")
    assert msgs(only_branch(closed, ALT, "healthy"), SELF, label="failures = 0")

    assert not [m for m in msgs(opened) if remote in (m.sender, m.receiver)]  # fail fast
    assert msgs(opened, REPLY, sender=breaker, label="CircuitOpenError")
    assert msgs(opened, REQUEST, receiver=cache, label="last known")

    only(msgs(half_open, REQUEST, sender=breaker, receiver=remote, label="trial"), "trial call")
    recovered = only_branch(half_open, ALT, "succeeds")
    reopened = only_branch(half_open, ALT, "fails")
    assert msgs(recovered, SELF, sender=breaker, label="→ CLOSED")
    assert msgs(reopened, SELF, sender=breaker, label="→ OPEN")
    assert msgs(reopened, REQUEST, receiver=cache)
    assert not msgs(recovered, REQUEST, receiver=cache)


def test_10_compensations_run_in_reverse_order_of_the_forward_steps() -> None:
    d = diagram(10)
    orchestrator = pid(d, "^Saga Orchestrator$")
    services = [pid(d, f"^{label}$") for label in ("Order Service", "Payment Service", "Inventory Service",
                                                    "Shipping Service")]
    forward = [m for m in msgs(d, REQUEST, sender=orchestrator) if re.match(r"\d\. ", m.label)]
    assert [m.receiver for m in forward] == services
    assert [int(m.label[0]) for m in forward] == [1, 2, 3, 4]

    failure = only_branch(d, ALT, "fails")
    fail_reply = only(msgs(failure, REPLY, sender=services[3], receiver=orchestrator), "failing step reply")
    undo = [m for m in msgs(failure, REQUEST, sender=orchestrator) if m.label.startswith("undo ")]
    completed = forward[:-1]  # the failing step did nothing to undo
    assert [m.receiver for m in undo] == [m.receiver for m in reversed(completed)]
    assert [int(m.label.split()[1].rstrip(":")) for m in undo] == [3, 2, 1]
    assert all(m.id > fail_reply.id for m in undo)
    assert all(r.kind is REPLY for r in msgs(failure) if r.reply_to in {m.id for m in undo})
    assert len([r for r in msgs(failure) if r.reply_to in {m.id for m in undo}]) == len(undo)

    success = only_branch(d, ALT, "scheduled")
    assert not [m for m in msgs(success) if m.label.startswith("undo ")]
    saga_log = pid(d, "^Saga Log$")
    assert [m.label for m in msgs(failure, REQUEST, sender=orchestrator, receiver=saga_log)][-1].endswith(
        "ABORTED (compensated)")
    client = pid(d, "^Client$")
    assert msgs(success, ASYNC, sender=orchestrator, receiver=client)
    assert msgs(failure, ASYNC, sender=orchestrator, receiver=client)


def test_11_command_to_projection_to_query_with_lag() -> None:
    d = diagram(11)
    api, handler, store = pid(d, "^API$"), pid(d, "^Command Handler$"), pid(d, "^Event Store$")
    projector, read_model, queries = pid(d, "^Projector$"), pid(d, "^Read Model$"), pid(d, "^Query Handler$")
    command = only(msgs(d, REQUEST, sender=api, receiver=handler), "command")
    append = only(msgs(d, REQUEST, sender=handler, receiver=store, label="append"), "append")
    event = only(msgs(d, ASYNC, sender=store, receiver=projector), "event to projector")
    upsert = only(msgs(d, REQUEST, sender=projector, receiver=read_model), "projection write")
    query = only(msgs(d, REQUEST, sender=api, receiver=queries), "query")
    select = only(msgs(d, REQUEST, sender=queries, receiver=read_model, label="SELECT"), "read")
    assert command.id < append.id < event.id < upsert.id < query.id < select.id
    assert "ItemAdded" in append.label and "ItemAdded" in event.label

    write_side = {handler, pid(d, "^Order Aggregate$"), store}
    assert not [m for m in d.messages() if m.sender in write_side and m.receiver in {read_model, queries}]
    assert not [m for m in d.messages() if m.sender == queries and m.receiver in write_side]

    lagging = only_branch(d, ALT, "lagging")
    assert msgs(lagging, REPLY, sender=read_model, receiver=queries, label="stale")
    assert any("lag" in text for text in notes(d)) or msgs(d, SELF, sender=projector, label="lag")
    rejected = only_branch(d, ALT, "violated")
    assert not msgs(rejected, REQUEST, sender=handler, receiver=store)  # nothing appended on rejection


def test_12_authorization_code_with_pkce_and_refresh() -> None:
    d = diagram(12)
    browser, app, auth = pid(d, "^Browser$"), pid(d, "^Client App$"), pid(d, "^Authorization Server$")
    api = pid(d, "^Resource API$")
    challenge = only(msgs(d, REQUEST, sender=browser, receiver=auth, label="code_challenge"), "authorize request")
    assert "S256" in challenge.label and "redirect_uri" in challenge.label
    made = only(msgs(d, SELF, sender=app, label="code_challenge"), "challenge derivation")
    login = only(msgs(d, REQUEST, sender=browser, receiver=auth, label="POST /login"), "login")
    consent = only(msgs(d, REQUEST, sender=browser, receiver=auth, label="consent"), "consent")
    assert made.id < challenge.id < login.id < consent.id

    redirect_check = [m for m in msgs(d, SELF, sender=auth, label="redirect_uri") if m.id < login.id]
    assert redirect_check
    bad_redirect = only_branch(d, BREAK, "redirect_uri")
    assert msgs(bad_redirect, REPLY, sender=auth, receiver=browser, label="400")

    exchange = only(msgs(d, REQUEST, sender=app, receiver=auth, label="code_verifier"), "token exchange")
    assert "/token" in exchange.label and exchange.id > consent.id
    assert not msgs(d, REQUEST, sender=browser, label="code_verifier")  # back channel only
    verify = only(msgs(d, SELF, sender=auth, label=r"S256\(code_verifier\)"), "PKCE check")
    assert exchange.id < verify.id
    tokens = only(msgs(d, REPLY, sender=auth, receiver=app, label="access_token"), "token response")
    assert tokens.reply_to == exchange.id and "refresh_token" in tokens.label
    resource = msgs(d, REQUEST, sender=app, receiver=api, label="Bearer")
    assert resource and resource[0].id > tokens.id

    refresh = only(msgs(d, REQUEST, sender=app, receiver=auth, label="refresh_token"), "refresh")
    expired = only(msgs(d, REPLY, sender=api, receiver=app, label="401"), "expired token answer")
    assert expired.id < refresh.id
    valid = only_branch(d, ALT, "refresh token valid")
    assert msgs(valid, REPLY, sender=auth, receiver=app, label="new access")
    assert msgs(valid, REQUEST, sender=app, receiver=api)
    assert msgs(only_branch(d, ALT, "revoked"), REPLY, sender=auth, receiver=app, label="invalid_grant")


def test_13_verify_dedupe_validate_enqueue_and_retry() -> None:
    d = diagram(13)
    provider, endpoint = pid(d, "^Payment Provider$"), pid(d, "^Webhook Endpoint$")
    store, jobs, worker = pid(d, "^Idempotency Store$"), pid(d, "^Job Queue$"), pid(d, "^Worker$")
    orders_db = pid(d, "^Orders DB$")

    inside = only_fragment(d, LOOP, "retries").branches[0]
    delivery = only(msgs(inside, REQUEST, sender=provider, receiver=endpoint, label="POST /webhooks"), "delivery")
    verify = only(msgs(inside, SELF, sender=endpoint, label="HMAC"), "signature check")
    assert "timestamp" in verify.label and delivery.id < verify.id

    invalid = only_branch(inside, ALT, "signature invalid")
    rejection = only(msgs(invalid, REPLY, sender=endpoint, receiver=provider), "rejection")
    assert rejection.label.startswith("401") and rejection.reply_to == delivery.id
    assert not msgs(invalid, REQUEST)  # nothing touched before the sender is proven

    valid = only_branch(inside, ALT, "signature valid")
    lookup = only(msgs(valid, REQUEST, sender=endpoint, receiver=store, label="EXISTS evt_123"), "idempotency check")
    schema = only(msgs(valid, SELF, sender=endpoint, label="validate payload"), "payload validation")
    assert lookup.id < schema.id
    duplicate = only_branch(valid, ALT, "already received")
    assert msgs(duplicate, REPLY, sender=endpoint, receiver=provider, label="200")
    assert not msgs(duplicate, REQUEST, receiver=jobs)
    malformed = only_branch(valid, ALT, "malformed")
    assert msgs(malformed, REPLY, sender=endpoint, receiver=provider, label="400")
    fresh = only_branch(valid, ALT, "new and valid")
    enqueue = only(msgs(fresh, REQUEST, sender=endpoint, receiver=jobs, label="enqueue"), "enqueue")
    accepted = only(msgs(fresh, REPLY, sender=endpoint, receiver=provider), "fast answer")
    assert accepted.label.startswith("2") and enqueue.id < accepted.id
    remember = only(msgs(fresh, REQUEST, sender=endpoint, receiver=store, label="SET evt_123"), "idempotency record")
    assert enqueue.id < remember.id < accepted.id
    assert not msgs(fresh, REQUEST, receiver=orders_db)  # real work comes later

    handoff = only(msgs(d, ASYNC, sender=jobs, receiver=worker), "delivery to worker")
    work = only(msgs(d, REQUEST, sender=worker, receiver=orders_db), "worker processing")
    assert accepted.id < handoff.id < work.id
    assert handoff not in msgs(inside)


def test_14_validate_upload_scan_then_publish_or_quarantine() -> None:
    d = diagram(14)
    user, web, api = pid(d, "^User$"), pid(d, "^Web App$"), pid(d, "^Upload API$")
    storage, scanner, files_db = pid(d, "^Object Storage$"), pid(d, "^Virus Scanner$"), pid(d, "^Files DB$")

    check = only(msgs(d, SELF, sender=api, label="type, size"), "server-side validation")
    refused = only_branch(d, BREAK, "type or size")
    assert [m.label[:3] for m in msgs(refused, REPLY, sender=api, receiver=web)] == ["422"]

    each_part = only_fragment(d, LOOP, "part").branches[0]
    upload = only(msgs(each_part, REQUEST, sender=web, receiver=storage, label="pre-signed"), "direct upload")
    assert check.id < upload.id
    assert not msgs(d, REQUEST, sender=api, receiver=storage, label="PUT part")  # bytes bypass the API
    assert msgs(each_part, ASYNC, sender=web, receiver=user, label="progress")
    assert msgs(only_branch(each_part, OPT, "failed"), REQUEST, sender=web, receiver=storage, label="retry")

    scan = only(msgs(d, ASYNC, sender=api, receiver=scanner, label="scan"), "scan request")
    assert upload.id < scan.id
    assert not msgs(d, REQUEST, receiver=scanner)  # scanning never blocks a caller
    outcome = only_fragment(d, ALT, "clean")
    assert all(m.id > scan.id for m in msgs((outcome,)))
    clean, infected = only_branch(d, ALT, "clean"), only_branch(d, ALT, "infected")
    assert msgs(clean, REQUEST, sender=api, receiver=files_db, label="AVAILABLE")
    assert msgs(clean, ASYNC, receiver=user)
    assert msgs(infected, REQUEST, sender=api, receiver=storage, label="quarantine")
    assert msgs(infected, REQUEST, sender=api, receiver=files_db, label="QUARANTINED")
    assert msgs(infected, ASYNC, receiver=user, label="blocked")
    assert not msgs(infected, REQUEST, label="AVAILABLE")
