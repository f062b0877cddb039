"""Catalog flows 8-14: metadata verbatim from the seed document, and the issue's "must show" content in the model.

Each must-show test reads the loaded model (messages, fragments, branches, participant kinds), never source text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from diagram_dsl.catalog import Catalog, load_catalog, output_stem
from diagram_dsl.model import (
    Branch,
    Diagram,
    Divider,
    Event,
    FlowModel,
    Fragment,
    FragmentKind,
    GuideEntry,
    Message,
    MessageKind,
    Note,
    ParticipantKind,
    walk_events,
)
from diagram_dsl.naming import module_stem

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED = Path(__file__).resolve().parent / "fixtures" / "seed-sequence-diagram-solutions.md"
MY_FLOWS = range(8, 15)
GUIDES = ("Selection Guide by Use Case", "Implementation Complexity", "Performance Levels",
          "Business Domain Applications")


# -- helpers over the model -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(REPO_ROOT)


def flow(catalog: Catalog, number: int) -> FlowModel:
    found = catalog.find(str(number))
    assert found is not None, f"flow {number} did not load: {[str(e) for e in catalog.errors]}"
    return found.model


def messages(events: Iterable[Event]) -> list[Message]:
    return [e for e in walk_events(tuple(events)) if isinstance(e, Message)]


def pid(diagram: Diagram, label: str) -> str:
    matches = [p.id for p in diagram.participants if p.label == label]
    assert matches, f"no participant labelled {label!r}"
    return matches[0]


def kind_of(diagram: Diagram, participant_id: str) -> ParticipantKind:
    participant = diagram.participant(participant_id)
    assert participant is not None
    return participant.kind


def fragments(events: Iterable[Event], kind: FragmentKind) -> list[Fragment]:
    return [e for e in walk_events(tuple(events)) if isinstance(e, Fragment) and e.kind is kind]


def branch(events: Iterable[Event], kind: FragmentKind, guard_part: str) -> Branch:
    """The one branch of a ``kind`` fragment whose guard contains ``guard_part``."""
    found = [b for f in fragments(events, kind) for b in f.branches if guard_part in b.guard]
    assert len(found) == 1, f"expected one {kind.value} branch with {guard_part!r}, found {len(found)}"
    return found[0]


def fragment_of(events: Iterable[Event], kind: FragmentKind, guard_part: str) -> Fragment:
    found = [f for f in fragments(events, kind) if any(guard_part in b.guard for b in f.branches)]
    assert len(found) == 1
    return found[0]


def one(candidates: Iterable[Message], what: str) -> Message:
    found = list(candidates)
    assert len(found) == 1, f"expected exactly one {what}, found {[m.label for m in found]}"
    return found[0]


def where(events: Iterable[Event], kind: MessageKind, sender: str | None = None, receiver: str | None = None,
          label: str = "") -> list[Message]:
    return [m for m in messages(events) if m.kind is kind and label in m.label
            and (sender is None or m.sender == sender) and (receiver is None or m.receiver == receiver)]


def phases(diagram: Diagram) -> dict[str, tuple[Event, ...]]:
    """Top-level events grouped by the divider that precedes them."""
    groups: dict[str, list[Event]] = {"": []}
    current = ""
    for event in diagram.events:
        if isinstance(event, Divider):
            current = event.text
            groups[current] = []
        else:
            groups[current].append(event)
    return {name: tuple(events) for name, events in groups.items()}


def notes(diagram: Diagram) -> list[str]:
    return [e.text for e in walk_events(diagram.events) if isinstance(e, Note)]


# -- the seed document ------------------------------------------------------------------------------

def seed_section(number: int) -> str:
    text = SEED.read_text(encoding="utf-8")
    match = re.search(rf"^## {number}\. .*?(?=^---$)", text, re.MULTILINE | re.DOTALL)
    assert match is not None
    return match.group(0)


def seed_list(section: str, heading: str) -> list[str]:
    body = section.split(f"**{heading}:**\n", 1)[1].split("\n\n", 1)[0]
    return [line[2:] for line in body.splitlines() if line.startswith("- ")]


def seed_guides(title: str) -> set[GuideEntry]:
    text = SEED.read_text(encoding="utf-8")
    entries: set[GuideEntry] = set()
    guide = section = ""
    for line in text.splitlines():
        if line.startswith("## "):
            guide = line[3:] if line[3:] in GUIDES else ""
        elif line.startswith("### "):
            section = line[4:]
        elif guide and line.startswith(f"- **{title}** - "):
            entries.add(GuideEntry(guide, section, line.split(" - ", 1)[1]))
    return entries


@pytest.mark.parametrize("number", MY_FLOWS)
def test_metadata_is_verbatim_from_the_seed(catalog: Catalog, number: int) -> None:
    loaded = catalog.find(str(number))
    assert loaded is not None
    meta = loaded.metadata
    section = seed_section(number)
    assert section.splitlines()[0] == f"## {number}. {meta.title}"
    assert f"**Description:** {meta.description}\n" in section
    assert f"- **Solution Quality:** {meta.scores.solution_quality}/10" in section
    assert f"- **Implementation Difficulty:** {meta.scores.implementation_difficulty}/10" in section
    assert f"- **Performance Level:** {meta.scores.performance_level}\n" in section
    assert list(meta.when_to_use) == seed_list(section, "When to Use")
    assert list(meta.important_points) == seed_list(section, "Important Points")
    assert set(meta.guides) == seed_guides(meta.title)
    assert len(meta.guides) == len(set(meta.guides))
    assert loaded.path.stem == module_stem(number, meta.slug)
    assert output_stem(meta) == f"{number}-{meta.title.lower().replace(' ', '-')}"


@pytest.mark.parametrize("number", MY_FLOWS)
def test_size_stays_readable_and_everyone_takes_part(catalog: Catalog, number: int) -> None:
    diagram = flow(catalog, number).diagram
    assert 15 <= len(diagram.messages()) <= 45
    assert len(diagram.participants) <= 8
    used = {m.sender for m in diagram.messages()} | {m.receiver for m in diagram.messages()}
    assert {p.id for p in diagram.participants} <= used
    assert all(len(line) <= 45 for m in diagram.messages() for line in m.label.splitlines())


# -- must show, flow by flow ------------------------------------------------------------------------

def test_08_publish_fan_out_idempotent_consumer_dead_letter(catalog: Catalog) -> None:
    d = flow(catalog, 8).diagram
    orders, bus, inventory = pid(d, "Order Service"), pid(d, "Event Bus"), pid(d, "Inventory Service")
    dlq = pid(d, "Dead Letter Queue")
    assert kind_of(d, bus) is kind_of(d, dlq) is ParticipantKind.QUEUE
    publish = one(where(d.events, MessageKind.ASYNC, orders, bus, "publish OrderPlaced"), "publish")

    fan_out = fragment_of(d.events, FragmentKind.PAR, "fan-out")
    firsts = [b.events[0] for b in fan_out.branches]
    assert all(isinstance(m, Message) and m.kind is MessageKind.ASYNC and m.sender == bus
               and "OrderPlaced" in m.label and m.id > publish.id for m in firsts)
    assert len({m.receiver for m in firsts if isinstance(m, Message)}) >= 2

    lookup = one(where(d.events, MessageKind.REQUEST, inventory, label="SELECT processed_events"), "dedupe lookup")
    duplicate = branch(d.events, FragmentKind.ALT, "duplicate")
    first_time = branch(d.events, FragmentKind.ALT, "first delivery")
    assert lookup.id < min(m.id for m in messages(duplicate.events))
    assert where(duplicate.events, MessageKind.ASYNC, inventory, bus, "ack")
    assert not where(duplicate.events, MessageKind.REQUEST)  # a duplicate changes nothing
    assert where(first_time.events, MessageKind.REQUEST, inventory, label="reserve stock")

    retry = fragment_of(first_time.events, FragmentKind.LOOP, "attempts")
    assert where(retry.branches[0].events, MessageKind.REQUEST, inventory, label="reserve stock")
    failed = branch(first_time.events, FragmentKind.ALT, "still failing")
    nack = one(where(failed.events, MessageKind.ASYNC, inventory, bus, "nack"), "nack")
    dead = one(where(failed.events, MessageKind.ASYNC, bus, dlq), "dead-letter")
    assert nack.id < dead.id
    assert not where(branch(d.events, FragmentKind.ALT, "committed").events, MessageKind.ASYNC, receiver=dlq)
    assert any("eventually consistent" in text for text in notes(d))


def test_09_closed_open_half_open(catalog: Catalog) -> None:
    d = flow(catalog, 9).diagram
    breaker, remote, cache = pid(d, "Circuit Breaker"), pid(d, "Pricing API"), pid(d, "Fallback Cache")
    by_state = phases(d)
    closed, opened, half_open = (next(events for name, events in by_state.items() if name.startswith(state))
                                 for state in ("CLOSED", "OPEN", "HALF-OPEN"))

    assert where(closed, MessageKind.REQUEST, breaker, remote)
    failing = branch(closed, FragmentKind.ALT, "timeout")
    assert where(failing.events, MessageKind.SELF, breaker, label="failures += 1")
    trip = branch(failing.events, FragmentKind.OPT, "failures ≥")
    assert where(trip.events, MessageKind.SELF, breaker, label="→ OPEN")
    assert where(branch(closed, FragmentKind.ALT, "healthy").events, MessageKind.SELF, label="failures = 0")

    assert not [m for m in messages(opened) if remote in (m.sender, m.receiver)]  # fail fast
    assert where(opened, MessageKind.REPLY, breaker, label="CircuitOpenError")
    assert where(opened, MessageKind.REQUEST, receiver=cache, label="last known")

    one(where(half_open, MessageKind.REQUEST, breaker, remote, "trial"), "trial call")
    recovered = branch(half_open, FragmentKind.ALT, "succeeds")
    reopened = branch(half_open, FragmentKind.ALT, "fails")
    assert where(recovered.events, MessageKind.SELF, breaker, label="→ CLOSED")
    assert where(reopened.events, MessageKind.SELF, breaker, label="→ OPEN")
    assert where(reopened.events, MessageKind.REQUEST, receiver=cache)
    assert not where(recovered.events, MessageKind.REQUEST, receiver=cache)


def test_10_compensations_run_in_reverse_order_of_the_forward_steps(catalog: Catalog) -> None:
    d = flow(catalog, 10).diagram
    orchestrator = pid(d, "Saga Orchestrator")
    services = [pid(d, label) for label in ("Order Service", "Payment Service", "Inventory Service",
                                            "Shipping Service")]
    forward = [m for m in where(d.events, MessageKind.REQUEST, orchestrator) if re.match(r"\d\. ", m.label)]
    assert [m.receiver for m in forward] == services
    assert [int(m.label[0]) for m in forward] == [1, 2, 3, 4]

    failure = branch(d.events, FragmentKind.ALT, "fails")
    fail_reply = one(where(failure.events, MessageKind.REPLY, services[3], orchestrator), "failing step reply")
    undo = [m for m in where(failure.events, MessageKind.REQUEST, orchestrator) if m.label.startswith("undo ")]
    completed = forward[:-1]  # the failing step did nothing to undo
    assert [m.receiver for m in undo] == [m.receiver for m in reversed(completed)]
    assert [int(m.label.split()[1].rstrip(":")) for m in undo] == [3, 2, 1]
    assert all(m.id > fail_reply.id for m in undo)
    assert all(r.kind is MessageKind.REPLY for r in messages(failure.events) if r.reply_to in {m.id for m in undo})
    assert len([r for r in messages(failure.events) if r.reply_to in {m.id for m in undo}]) == len(undo)

    success = branch(d.events, FragmentKind.ALT, "scheduled")
    assert not [m for m in messages(success.events) if m.label.startswith("undo ")]
    saga_log = pid(d, "Saga Log")
    assert [m.label for m in where(failure.events, MessageKind.REQUEST, orchestrator, saga_log)][-1].endswith(
        "ABORTED (compensated)")
    client = pid(d, "Client")
    assert where(success.events, MessageKind.ASYNC, orchestrator, client)
    assert where(failure.events, MessageKind.ASYNC, orchestrator, client)


def test_11_command_to_projection_to_query_with_lag(catalog: Catalog) -> None:
    d = flow(catalog, 11).diagram
    api, handler, store = pid(d, "API"), pid(d, "Command Handler"), pid(d, "Event Store")
    projector, read_model, queries = pid(d, "Projector"), pid(d, "Read Model"), pid(d, "Query Handler")
    command = one(where(d.events, MessageKind.REQUEST, api, handler), "command")
    append = one(where(d.events, MessageKind.REQUEST, handler, store, "append"), "append")
    event = one(where(d.events, MessageKind.ASYNC, store, projector), "event to projector")
    upsert = one(where(d.events, MessageKind.REQUEST, projector, read_model), "projection write")
    query = one(where(d.events, MessageKind.REQUEST, api, queries), "query")
    select = one(where(d.events, MessageKind.REQUEST, queries, read_model, "SELECT"), "read")
    assert command.id < append.id < event.id < upsert.id < query.id < select.id
    assert "ItemAdded" in append.label and "ItemAdded" in event.label

    write_side = {handler, pid(d, "Order Aggregate"), store}
    assert not [m for m in d.messages() if m.sender in write_side and m.receiver in {read_model, queries}]
    assert not [m for m in d.messages() if m.sender == queries and m.receiver in write_side]

    lagging = branch(d.events, FragmentKind.ALT, "lagging")
    assert where(lagging.events, MessageKind.REPLY, read_model, queries, "stale")
    assert any("lag" in text for text in notes(d)) or where(d.events, MessageKind.SELF, projector, label="lag")
    rejected = branch(d.events, FragmentKind.ALT, "violated")
    assert not where(rejected.events, MessageKind.REQUEST, handler, store)  # nothing appended on rejection


def test_12_authorization_code_with_pkce_and_refresh(catalog: Catalog) -> None:
    d = flow(catalog, 12).diagram
    browser, app, auth = pid(d, "Browser"), pid(d, "Client App"), pid(d, "Authorization Server")
    api = pid(d, "Resource API")
    challenge = one(where(d.events, MessageKind.REQUEST, browser, auth, "code_challenge"), "authorize request")
    assert "S256" in challenge.label and "redirect_uri" in challenge.label
    made = one(where(d.events, MessageKind.SELF, app, label="code_challenge"), "challenge derivation")
    login = one(where(d.events, MessageKind.REQUEST, browser, auth, "POST /login"), "login")
    consent = one(where(d.events, MessageKind.REQUEST, browser, auth, "consent"), "consent")
    assert made.id < challenge.id < login.id < consent.id

    redirect_check = [m for m in where(d.events, MessageKind.SELF, auth, label="redirect_uri") if m.id < login.id]
    assert redirect_check
    bad_redirect = branch(d.events, FragmentKind.BREAK, "redirect_uri")
    assert where(bad_redirect.events, MessageKind.REPLY, auth, browser, "400")

    exchange = one(where(d.events, MessageKind.REQUEST, app, auth, "code_verifier"), "token exchange")
    assert "/token" in exchange.label and exchange.id > consent.id
    assert not where(d.events, MessageKind.REQUEST, browser, label="code_verifier")  # back channel only
    verify = one(where(d.events, MessageKind.SELF, auth, label="S256(code_verifier)"), "PKCE check")
    assert exchange.id < verify.id
    tokens = one(where(d.events, MessageKind.REPLY, auth, app, "access_token"), "token response")
    assert tokens.reply_to == exchange.id and "refresh_token" in tokens.label
    resource = where(d.events, MessageKind.REQUEST, app, api, "Bearer")
    assert resource and resource[0].id > tokens.id

    refresh = one(where(d.events, MessageKind.REQUEST, app, auth, "refresh_token"), "refresh")
    expired = one(where(d.events, MessageKind.REPLY, api, app, "401"), "expired token answer")
    assert expired.id < refresh.id
    valid = branch(d.events, FragmentKind.ALT, "refresh token valid")
    assert where(valid.events, MessageKind.REPLY, auth, app, "new access")
    assert where(valid.events, MessageKind.REQUEST, app, api)
    assert where(branch(d.events, FragmentKind.ALT, "revoked").events, MessageKind.REPLY, auth, app, "invalid_grant")


def test_13_verify_dedupe_validate_enqueue_and_retry(catalog: Catalog) -> None:
    d = flow(catalog, 13).diagram
    provider, endpoint = pid(d, "Payment Provider"), pid(d, "Webhook Endpoint")
    store, jobs, worker = pid(d, "Idempotency Store"), pid(d, "Job Queue"), pid(d, "Worker")

    retries = fragment_of(d.events, FragmentKind.LOOP, "retries")
    inside = retries.branches[0].events
    delivery = one(where(inside, MessageKind.REQUEST, provider, endpoint, "POST /webhooks"), "delivery")
    verify = one(where(inside, MessageKind.SELF, endpoint, label="HMAC"), "signature check")
    assert "timestamp" in verify.label and delivery.id < verify.id

    invalid = branch(inside, FragmentKind.ALT, "signature invalid")
    rejection = one(where(invalid.events, MessageKind.REPLY, endpoint, provider), "rejection")
    assert rejection.label.startswith("401") and rejection.reply_to == delivery.id
    assert not where(invalid.events, MessageKind.REQUEST)  # nothing touched before the sender is proven

    valid = branch(inside, FragmentKind.ALT, "signature valid")
    lookup = one(where(valid.events, MessageKind.REQUEST, endpoint, store, "EXISTS evt_123"), "idempotency check")
    schema = one(where(valid.events, MessageKind.SELF, endpoint, label="validate payload"), "payload validation")
    assert lookup.id < schema.id
    duplicate = branch(valid.events, FragmentKind.ALT, "already received")
    assert where(duplicate.events, MessageKind.REPLY, endpoint, provider, "200")
    assert not where(duplicate.events, MessageKind.REQUEST, receiver=jobs)
    malformed = branch(valid.events, FragmentKind.ALT, "malformed")
    assert where(malformed.events, MessageKind.REPLY, endpoint, provider, "400")
    fresh = branch(valid.events, FragmentKind.ALT, "new and valid")
    enqueue = one(where(fresh.events, MessageKind.REQUEST, endpoint, jobs, "enqueue"), "enqueue")
    accepted = one(where(fresh.events, MessageKind.REPLY, endpoint, provider), "fast answer")
    assert accepted.label.startswith("2") and enqueue.id < accepted.id
    remember = one(where(fresh.events, MessageKind.REQUEST, endpoint, store, "SET evt_123"), "idempotency record")
    assert enqueue.id < remember.id < accepted.id
    assert not where(fresh.events, MessageKind.REQUEST, receiver=pid(d, "Orders DB"))  # real work comes later

    handoff = one(where(d.events, MessageKind.ASYNC, jobs, worker), "delivery to worker")
    work = one(where(d.events, MessageKind.REQUEST, worker, pid(d, "Orders DB")), "worker processing")
    assert accepted.id < handoff.id < work.id
    assert handoff not in messages(inside)


def test_14_validate_upload_scan_then_publish_or_quarantine(catalog: Catalog) -> None:
    d = flow(catalog, 14).diagram
    user, web, api = pid(d, "User"), pid(d, "Web App"), pid(d, "Upload API")
    storage, scanner, files_db = pid(d, "Object Storage"), pid(d, "Virus Scanner"), pid(d, "Files DB")

    check = one(where(d.events, MessageKind.SELF, api, label="type, size"), "server-side validation")
    refused = branch(d.events, FragmentKind.BREAK, "type or size")
    assert [m.label[:3] for m in where(refused.events, MessageKind.REPLY, api, web)] == ["422"]

    parts = fragment_of(d.events, FragmentKind.LOOP, "part")
    upload = one(where(parts.branches[0].events, MessageKind.REQUEST, web, storage, "pre-signed"), "direct upload")
    assert check.id < upload.id
    assert not where(d.events, MessageKind.REQUEST, api, storage, "PUT part")  # bytes bypass the API
    assert where(parts.branches[0].events, MessageKind.ASYNC, web, user, "progress")
    assert where(branch(parts.branches[0].events, FragmentKind.OPT, "failed").events, MessageKind.REQUEST, web,
                 storage, "retry")

    scan = one(where(d.events, MessageKind.ASYNC, api, scanner, "scan"), "scan request")
    assert upload.id < scan.id
    assert not where(d.events, MessageKind.REQUEST, receiver=scanner)  # scanning never blocks a caller
    outcome = fragment_of(d.events, FragmentKind.ALT, "clean")
    assert all(m.id > scan.id for m in messages((outcome,)))
    clean, infected = branch(d.events, FragmentKind.ALT, "clean"), branch(d.events, FragmentKind.ALT, "infected")
    assert where(clean.events, MessageKind.REQUEST, api, files_db, "AVAILABLE")
    assert where(clean.events, MessageKind.ASYNC, receiver=user)
    assert where(infected.events, MessageKind.REQUEST, api, storage, "quarantine")
    assert where(infected.events, MessageKind.REQUEST, api, files_db, "QUARANTINED")
    assert where(infected.events, MessageKind.ASYNC, receiver=user, label="blocked")
    assert not where(infected.events, MessageKind.REQUEST, label="AVAILABLE")
