"""6. Database Transaction: pooled connection, BEGIN, statements, COMMIT or ROLLBACK, deadlock retry, release."""

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=6,
    title="Database Transaction",
    description=(
        "Database transaction management with ACID properties, rollback handling, and connection management."
    ),
    scores=Scores(solution_quality=9, implementation_difficulty=6, performance_level="High"),
    when_to_use=[
        "Data consistency requirements",
        "Multi-step operations",
        "Financial transactions",
        "Critical business operations",
    ],
    important_points=[
        "Ensure ACID compliance",
        "Implement proper rollback",
        "Manage connection pooling",
        "Handle deadlock scenarios",
        "Monitor transaction performance",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "E-commerce & Transactions", "Data consistency"),
        GuideEntry("Implementation Complexity", "Medium Complexity (5-7/10)", "Data consistency"),
        GuideEntry("Performance Levels", "High Performance", "Optimized data access"),
        GuideEntry("Business Domain Applications", "Financial Services", "Financial operations"),
    ],
)

client = flow.actor("Client")
service = flow.control("Transfer Service")
pool = flow.participant("Connection Pool")
db = flow.database("PostgreSQL")
metrics = flow.participant("Metrics")

with client.call(service, "POST /transfers\n(A -> B, 100.00)") as transfer:
    with service.call(pool, "acquire connection\n(wait max 5 s)") as acquire:
        with pool.call(db, "SELECT 1 (validate idle conn)") as ping:
            ping.reply("ok")
        acquire.reply("conn #7")
    flow.note("pool exhausted for 5 s:\nfail fast with 503", right_of=pool)
    with flow.loop("attempt 1..3: retry only after deadlock"):
        service.call(db, "BEGIN ISOLATION LEVEL\nREAD COMMITTED").reply("BEGIN")
        with service.call(db, "SELECT … FOR UPDATE\naccounts A, B (by id order)") as lock:
            lock.reply("balances")
        service.step("check A has >= 100.00")
        service.call(db, "UPDATE balance - 100 WHERE id=A").reply("UPDATE 1")
        service.call(db, "UPDATE balance + 100 WHERE id=B").reply("UPDATE 1")
        service.call(db, "INSERT INTO ledger (A, B, 100)").reply("INSERT 1")
        with flow.alt("all statements succeeded"):
            service.call(db, "COMMIT").reply("COMMIT (durable)")
        with flow.else_("deadlock detected (40P01)"):
            service.call(db, "ROLLBACK").reply("ROLLBACK")
            service.step("back off 50 ms * 2^n\n+ jitter, then retry")
        with flow.else_("other failure (funds, constraint)"):
            service.call(db, "ROLLBACK").reply("ROLLBACK")
    flow.note("all-or-nothing: no reader ever sees\nA debited without B credited", over=[service, db])
    with service.call(pool, "release conn #7 (finally)") as release:
        release.reply("returned to pool")
    service.send(metrics, "tx duration, retries,\noutcome, pool wait")
    with flow.alt("committed"):
        transfer.reply("201 Created (transfer id)")
    with flow.else_("rolled back"):
        transfer.reply("409 / 422 with reason")
