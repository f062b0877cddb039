"""17. Distributed Lock: a leased lock with an owner id, renewal, owner-only release and fencing tokens."""

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=17,
    title="Distributed Lock",
    description=(
        "Distributed locking mechanism for resource coordination with acquisition, renewal, and release."
    ),
    scores=Scores(solution_quality=8, implementation_difficulty=7, performance_level="Medium"),
    when_to_use=[
        "Resource synchronization",
        "Distributed systems coordination",
        "Critical section protection",
        "Leader election scenarios",
    ],
    important_points=[
        "Implement lock timeouts",
        "Handle lock renewal",
        "Prevent deadlocks",
        "Monitor lock contention",
        "Ensure lock release",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "E-commerce & Transactions", "Resource coordination"),
        GuideEntry("Performance Levels", "Medium Performance", "Coordination overhead"),
        GuideEntry("Business Domain Applications", "Financial Services", "Resource coordination"),
    ],
)

scheduler = flow.control("Job Scheduler")
with flow.box("Workers", color="#EEF5FF"):
    worker_a = flow.participant("Worker A")
    worker_b = flow.participant("Worker B")
lock_store = flow.database("Redis\n(lock store)")
storage = flow.database("Ledger Storage\n(checks fencing)")

with flow.par("the job fires on every instance"):
    scheduler.send(worker_a, "run settle-ledger")
with flow.and_():
    scheduler.send(worker_b, "run settle-ledger")

flow.divider("Worker A acquires")
with worker_a.call(lock_store, "SET lock:ledger A-uuid\nNX PX 30000") as acquire_a:
    acquire_a.reply("OK (acquired, TTL 30 s)")
with worker_a.call(lock_store, "INCR fence:ledger") as fence_a:
    fence_a.reply("fencing token 34")
flow.note("value = unique owner id; the TTL\nfrees the lock if the holder dies\n(no deadlock)",
          right_of=lock_store)

flow.divider("Worker B contends")
with worker_b.call(lock_store, "SET lock:ledger B-uuid\nNX PX 30000") as acquire_b:
    with flow.alt("key absent"):
        acquire_b.reply("OK")
        flow.ref("same critical section as Worker A", over=[worker_b, storage])
    with flow.else_("held by Worker A"):
        acquire_b.reply("nil (not acquired)")
        worker_b.step("lock.contention +1;\nback off 200 ms x 2^n + jitter")

flow.divider("Worker A works, renewing its lease")
with flow.loop("while working, every TTL/3 (10 s)"):
    with worker_a.call(lock_store, "PEXPIRE 30000\nonly if value = A-uuid (Lua)") as renew:
        renew.reply("1 (still owner)")
    with flow.break_("renew returns 0: lock lost"):
        worker_a.step("abort: stop writing")
    with worker_a.call(storage, "write batch\nfencing token 34") as write_a:
        storage.step("34 >= highest seen 33: accept")
        write_a.reply("OK")

flow.divider("Release: owner only, in finally")
with worker_a.call(lock_store, "EVAL: if GET = A-uuid\nthen DEL (compare-and-delete)") as release:
    release.reply("1 (released)")
flow.note("a plain DEL could delete a lock that\nexpired and now belongs to Worker B", right_of=lock_store)

flow.divider("Worker B retries after back-off")
with worker_b.call(lock_store, "SET lock:ledger B-uuid\nNX PX 30000") as retry_b:
    retry_b.reply("OK (acquired)")
with worker_b.call(lock_store, "INCR fence:ledger") as fence_b:
    fence_b.reply("fencing token 35")
with worker_b.call(storage, "write batch\nfencing token 35") as write_b:
    write_b.reply("OK (highest seen = 35)")
with flow.opt("a paused ex-holder (GC) wakes up"):
    with worker_a.call(storage, "write batch\nfencing token 34") as stale:
        stale.reply("409 rejected: 34 < 35")
flow.note("fencing: the resource rejects writes\nfrom a holder whose lease\nsilently expired",
          over=[worker_a, storage])
with worker_b.call(lock_store, "EVAL: if GET = B-uuid\nthen DEL (compare-and-delete)") as release_b:
    release_b.reply("1 (released)")
