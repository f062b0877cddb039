"""Catalog flows 1-7 show what the issue's "must show" table demands, asserted on the model.

Each test finds the participants, messages and fragments that carry a pattern's point (the attempt
limit before the password check, the 409 branch for a duplicate sign-up, ROLLBACK inside a deadlock
retry loop) and checks where they sit in the event tree, not how the source file is written.
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
    REPLY,
    REQUEST,
    SELF,
    assert_metadata_verbatim,
    branch_holding,
    branches_with,
    diagram,
    enclosing,
    fragment_holding,
    frags,
    msgs,
    one,
    pid,
    replies_to,
    texts,
    validator_problems,
)

from diagram_dsl.model import MessageKind

CONDITIONAL = (ALT, OPT, BREAK, LOOP)


@pytest.mark.parametrize("number", range(1, 8))
def test_flow_passes_the_validator_without_errors_or_unwaived_warnings(number: int) -> None:
    problems = validator_problems(number)
    assert not problems, "\n".join(str(p) for p in problems)


@pytest.mark.parametrize("number", range(1, 8))
def test_metadata_is_verbatim_from_the_seed(number: int) -> None:
    assert_metadata_verbatim(number)


# -- 1 simple login --------------------------------------------------------------------------------------
def test_01_attempts_are_limited_before_the_password_is_checked() -> None:
    d = diagram(1)
    user, auth = pid(d, "^user$"), pid(d, "auth service")
    count = one(msgs(d, REQUEST, sender=auth, receiver=pid(d, "limiter"), label="attempts"), "attempt counter")
    locked = [b for b in branches_with(d, (BREAK, ALT), "attempt|limit") if msgs(b, REPLY, receiver=user,
                                                                                 label="429")]
    assert locked, "too many attempts end in 429 for the user"
    verify = one(msgs(d, SELF, sender=auth, label=r"hash.*(argon2|bcrypt|scrypt)"), "password hash verify")
    assert count.id < min(m.id for m in msgs(locked[0])) < verify.id


def test_01_session_is_created_and_stored_only_on_success() -> None:
    d = diagram(1)
    user, auth, sessions = pid(d, "^user$"), pid(d, "auth service"), pid(d, "session")
    store = one(msgs(d, REQUEST, sender=auth, receiver=sessions, label="session"), "session stored")
    assert re.search(r"TTL|expir|idle", store.label), "the session times out"
    outcome = fragment_holding(d, store, ALT)
    success = branch_holding(outcome, store)
    assert msgs(success, SELF, sender=auth, label="session id"), "a new session id is generated"
    assert msgs(success, REPLY, receiver=user, label="Set-Cookie")
    failures = [b for b in outcome.branches if b is not success]
    assert len(failures) == 1, "unknown user and wrong password share one branch"
    refused = one(msgs(failures[0], REPLY, receiver=user), "failure answered")
    assert re.search(r"401", refused.label) and re.search("invalid", refused.label, re.IGNORECASE)
    assert not re.search(r"unknown user|not found|no such user|does not exist|(wrong|incorrect) password",
                         refused.label, re.IGNORECASE), "the error must not say which credential was wrong"
    assert not msgs(failures[0], receiver=sessions)


# -- 2 user registration ------------------------------------------------------------------------------
def test_02_input_validated_and_duplicates_rejected_with_409() -> None:
    d = diagram(2)
    accounts, users = pid(d, "account service"), pid(d, "user db")
    validate = one(msgs(d, SELF, sender=accounts, label="validat"), "server-side validation")
    invalid = [b for b in branches_with(d, (BREAK, ALT), "invalid") if msgs(b, REPLY, sender=accounts,
                                                                             label="400")]
    assert invalid and validate.id < min(m.id for m in msgs(invalid[0]))
    lookup = one(msgs(d, REQUEST, sender=accounts, receiver=users, label="email"), "duplicate lookup")
    duplicate = [b for b in branches_with(d, (ALT,), "already|exists|duplicate")
                 if msgs(b, REPLY, sender=accounts, label="409")]
    assert duplicate and lookup.id < min(m.id for m in msgs(duplicate[0]))
    assert not msgs(duplicate[0], label="hash|INSERT"), "a duplicate is not hashed or stored"


def test_02_password_hashed_account_pending_and_email_sent_asynchronously() -> None:
    d = diagram(2)
    accounts, users = pid(d, "account service"), pid(d, "user db")
    hashing = one(msgs(d, SELF, sender=accounts, label=r"hash password"), "password hashing")
    insert = one(msgs(d, REQUEST, sender=accounts, receiver=users, label=r"INSERT.*PENDING"), "pending account")
    assert hashing.id < insert.id
    verification = msgs(d, ASYNC, label="verif")
    assert verification and all(m.id > insert.id for m in verification)
    mailer = pid(d, "email service")
    assert not msgs(d, REQUEST, receiver=mailer) and not msgs(d, REQUEST, sender=mailer)
    assert msgs(d, ASYNC, sender=mailer, receiver=pid(d, "^user$"), label="verify")


def test_02_clicked_link_activates_the_account() -> None:
    d = diagram(2)
    click = one(msgs(d, REQUEST, sender=pid(d, "^user$"), label="click"), "link clicked")
    answer = replies_to(d, click)
    activate = one(msgs(d, REQUEST, receiver=pid(d, "user db"), label="ACTIVE"), "account activated")
    assert click.id < activate.id < min(a.id for a in answer)
    assert any(re.search("expired|unknown", b.guard) for b in fragment_holding(d, activate, ALT).branches)


# -- 3 password reset -----------------------------------------------------------------------------------
def test_03_token_generated_stored_hashed_with_expiry_and_mailed_asynchronously() -> None:
    d = diagram(3)
    auth, users, mailer = pid(d, "auth service"), pid(d, "user db"), pid(d, "email")
    token = one(msgs(d, SELF, sender=auth, label=r"token.*(CSPRNG|random)"), "secure token")
    store = one(msgs(d, REQUEST, sender=auth, receiver=users, label=r"(SHA-256|hash)\(token\).*expir"),
                "hashed token with expiry")
    mail = one(msgs(d, ASYNC, sender=auth, receiver=mailer, label="reset link"), "reset e-mail")
    assert token.id < store.id < mail.id
    assert not msgs(d, REQUEST, receiver=mailer)


def test_03_same_response_whether_or_not_the_account_exists() -> None:
    d = diagram(3)
    user, web = pid(d, "^user$"), pid(d, "web app")
    forgot = one(msgs(d, REQUEST, sender=user, receiver=web, label="forgot"), "reset requested")
    answer = replies_to(d, forgot)
    assert len(answer) == 1, "one answer for both cases"
    assert not [f for f in enclosing(d, answer[0]) if f.kind in CONDITIONAL]
    exists = branches_with(d, (OPT, ALT), "exists")
    assert exists and msgs(exists[0], ASYNC, receiver=pid(d, "email"))
    assert re.search("identical|same", texts(d))


def test_03_new_password_checked_then_stored_sessions_revoked_and_logged() -> None:
    d = diagram(3)
    auth, users, log = pid(d, "auth service"), pid(d, "user db"), pid(d, "security log")
    confirm = one(msgs(d, REQUEST, receiver=auth, label=r"token.*new password"), "token + new password")
    expired = [b for b in branches_with(d, (BREAK, ALT), "expired") if msgs(b, REPLY, sender=auth)]
    strength = one(msgs(d, SELF, sender=auth, label="strength"), "strength check")
    update = one(msgs(d, REQUEST, sender=auth, receiver=users, label="UPDATE password"), "password updated")
    revoke = one(msgs(d, REQUEST, sender=auth, receiver=pid(d, "session"), label="revoke"), "sessions revoked")
    logged = [m for m in msgs(d, ASYNC, sender=auth, receiver=log) if m.id > revoke.id]
    assert expired and logged
    assert confirm.id < min(m.id for m in msgs(expired[0])) < strength.id < update.id < revoke.id
    assert msgs(d, ASYNC, receiver=log, label="fail"), "failed attempts are logged too"


# -- 4 e-commerce checkout --------------------------------------------------------------------------------
def test_04_cart_then_inventory_reserved_then_payment() -> None:
    d = diagram(4)
    checkout = pid(d, "checkout service")
    cart = one(msgs(d, REQUEST, sender=checkout, receiver=pid(d, "cart"), label="cart"), "cart read")
    reserve = one(msgs(d, REQUEST, sender=checkout, receiver=pid(d, "inventory"), label="reserve"), "reservation")
    pay = one(msgs(d, REQUEST, sender=checkout, receiver=pid(d, "payment")), "payment")
    assert cart.id < reserve.id < pay.id


def test_04_approved_creates_order_declined_releases_reservation() -> None:
    d = diagram(4)
    checkout, inventory = pid(d, "checkout service"), pid(d, "inventory")
    insert = one(msgs(d, REQUEST, sender=checkout, receiver=pid(d, "order db"), label="INSERT order"), "order")
    release = one(msgs(d, REQUEST, sender=checkout, receiver=inventory, label="release"), "release")
    outcome = fragment_holding(d, insert, ALT)
    assert outcome is fragment_holding(d, release, ALT)
    approved, declined = branch_holding(outcome, insert), branch_holding(outcome, release)
    assert approved is not declined
    assert re.search("approved", approved.guard) and re.search("declined", declined.guard)
    assert not msgs(declined, receiver=pid(d, "order db"))
    notify = one(msgs(approved, ASYNC, sender=checkout), "confirmation handed off asynchronously")
    assert notify.id > insert.id
    assert msgs(d, ASYNC, receiver=pid(d, "customer"), label="confirmation")


# -- 5 API rate limiting ----------------------------------------------------------------------------------
def test_05_limiter_counts_per_client_with_expiry() -> None:
    d = diagram(5)
    gateway, limiter = pid(d, "gateway"), pid(d, "limiter")
    check = one(msgs(d, REQUEST, sender=gateway, receiver=limiter, label=r"client=\w+"), "per-client check")
    client_id = re.findall(r"client=(\w+)", check.label)[0]
    counter = one(msgs(d, REQUEST, sender=limiter, receiver=pid(d, "counter"), label=r"INCR.*EXPIRE"),
                  "counter with expiry")
    assert client_id in counter.label, "the counter key is per client"
    assert check.id < counter.id < replies_to(d, check)[0].id


def test_05_under_limit_forwarded_over_limit_429_with_retry_after() -> None:
    d = diagram(5)
    gateway, client = pid(d, "gateway"), pid(d, "client")
    forward = one(msgs(d, REQUEST, sender=gateway, receiver=pid(d, "backend")), "forwarded")
    decision = fragment_holding(d, forward, ALT)
    under = branch_holding(decision, forward)
    over = [b for b in decision.branches if b is not under]
    assert len(over) == 1 and re.search("over", over[0].guard)
    throttled = one(msgs(over[0], REPLY, sender=gateway, receiver=client, label=r"429"), "429")
    assert re.search(r"Retry-After: \d+", throttled.label)
    assert not msgs(over[0], receiver=pid(d, "backend"))
    assert re.search(r"burst", texts(d))


# -- 6 database transaction --------------------------------------------------------------------------------
def test_06_connection_from_pool_and_returned_after_the_transaction() -> None:
    d = diagram(6)
    service, pool = pid(d, "service"), pid(d, "pool")
    acquire = one(msgs(d, REQUEST, sender=service, receiver=pool, label="acquire"), "connection acquired")
    release = one(msgs(d, REQUEST, sender=service, receiver=pool, label="release|return"), "connection returned")
    retry = frags(d, LOOP)
    assert len(retry) == 1
    inside = msgs(retry[0].branches[0])
    assert acquire.id < min(m.id for m in inside) and release.id > max(m.id for m in inside)
    assert not enclosing(d, release), "the connection goes back on every path"


def test_06_begin_statements_then_commit_or_rollback_in_a_deadlock_retry_loop() -> None:
    d = diagram(6)
    service, db = pid(d, "service"), pid(d, "postgres")
    loop = frags(d, LOOP)[0]
    assert re.search("deadlock", loop.label) and re.search(r"\d", loop.label), "bounded retry on deadlock"
    body = loop.branches[0]
    begin = one(msgs(body, REQUEST, sender=service, receiver=db, label="^BEGIN"), "BEGIN")
    statements = msgs(body, REQUEST, sender=service, receiver=db, label=r"^(UPDATE|INSERT|SELECT)")
    assert len(statements) >= 2 and begin.id < min(s.id for s in statements)
    commit = one(msgs(body, REQUEST, sender=service, receiver=db, label="^COMMIT"), "COMMIT")
    outcome = fragment_holding(d, commit, ALT)
    success = branch_holding(outcome, commit)
    failures = [b for b in outcome.branches if b is not success]
    assert failures and all(msgs(b, REQUEST, receiver=db, label="^ROLLBACK") for b in failures)
    deadlock = [b for b in failures if re.search("deadlock", b.guard)]
    assert deadlock and msgs(deadlock[0], SELF, sender=service, label=r"back.?off")
    assert max(s.id for s in statements) < commit.id


# -- 7 microservice communication --------------------------------------------------------------------------
def test_07_discovery_then_load_balanced_call_to_an_instance() -> None:
    d = diagram(7)
    proxy, registry = pid(d, "proxy"), pid(d, "registry")
    resolve = one(msgs(d, REQUEST, sender=proxy, receiver=registry, label="resolve"), "service discovery")
    instances = {p.id for p in d.participants if re.search(r"#\d", p.label)}
    assert len(instances) >= 2
    balance = one(msgs(d, SELF, sender=proxy, label=r"round robin|load.balanc|least"), "load-balancing choice")
    calls = [m for m in msgs(d, sender=proxy) if m.receiver in instances]
    assert calls and resolve.id < balance.id < min(c.id for c in calls)


def test_07_timeout_retried_with_backoff_and_circuit_breaker_noted() -> None:
    d = diagram(7)
    proxy = pid(d, "proxy")
    instances = {p.id for p in d.participants if re.search(r"#\d", p.label)}
    timeout = one(msgs(d, sender=proxy, label=r"no answer|timeout|timed out"), "timeout")
    lost = [m for m in msgs(d, MessageKind.LOST, sender=proxy) if m.receiver in instances]
    backoff = one(msgs(d, SELF, sender=proxy, label=r"back.?off"), "backoff")
    retry = [m for m in msgs(d, REQUEST, sender=proxy, label="retry") if m.receiver in instances]
    assert lost and retry and lost[0].id <= timeout.id <= backoff.id < retry[0].id
    assert lost[0].receiver != retry[0].receiver, "the retry goes to another instance"
    assert re.search(r"circuit breaker", texts(d)) and re.search(r"open", texts(d))
    assert msgs(d, REPLY, sender=proxy, label="503"), "retries exhausted: the caller gets a clear failure"
