"""19. Audit Log System: capture every action, enrich it, append it to a hash chain, index it, verify it."""

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=19,
    title="Audit Log System",
    description=(
        "Comprehensive audit logging system with event capture, enrichment, and secure storage."
    ),
    scores=Scores(solution_quality=9, implementation_difficulty=6, performance_level="Medium"),
    when_to_use=[
        "Compliance requirements",
        "Security monitoring",
        "Regulatory audits",
        "Change tracking",
    ],
    important_points=[
        "Capture all relevant events",
        "Ensure log immutability",
        "Implement secure storage",
        "Provide search capabilities",
        "Monitor log integrity",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Reliability & Monitoring", "Compliance and tracking"),
        GuideEntry("Performance Levels", "Medium Performance", "Logging operations"),
        GuideEntry("Business Domain Applications", "E-commerce", "Transaction tracking"),
        GuideEntry("Business Domain Applications", "Financial Services", "Regulatory compliance"),
    ],
)

admin = flow.actor("Admin")
api = flow.participant("Account API\n(audit middleware)")
queue = flow.queue("Audit Queue")
audit = flow.participant("Audit Service")
ledger = flow.database("Audit Ledger\n(append-only, WORM)")
index = flow.database("Search Index")
auditor = flow.actor("Auditor")

flow.divider("Capture")
with admin.call(api, "DELETE /accounts/981") as action:
    api.step("capture: actor, action, target,\nrequest id, before state")
    with flow.alt("authorized"):
        api.step("delete account 981")
        api.send(queue, "AuditEvent outcome=success\n(durable publish)")
        action.reply("204 No Content")
    with flow.else_("forbidden"):
        api.send(queue, "AuditEvent outcome=denied\n(durable publish)")
        action.reply("403 Forbidden")
flow.note("middleware, not handlers, captures\nevents, so denied and failed\nattempts are logged too",
          over=[admin, api])

flow.divider("Enrich and append (async)")
queue.send(audit, "deliver AuditEvent")
audit.step("enrich: who (user id, roles),\nwhat, when (UTC), where (IP, geo)")
audit.step("redact secrets and card numbers")
with audit.call(ledger, "append(event)") as append:
    ledger.step("seq = n + 1; hash = SHA-256(\nprev_hash + canonical(event))")
    append.reply("seq 100457, hash 9f3c...")
audit.send(queue, "ack AuditEvent")
audit.send(index, "index: actor, action, target,\ntime, seq")
flow.note("ledger: no UPDATE/DELETE grants,\nobject lock; the index is derived\nand can be rebuilt",
          over=[ledger, index])

flow.divider("Search")
with auditor.call(audit, "search actor=alice,\nlast 30 days") as search:
    with audit.call(index, "query") as query:
        query.reply("matching seq numbers")
    with audit.call(ledger, "read entries by seq") as read:
        read.reply("entries")
    search.reply("events with ledger seq + hash")

flow.divider("Integrity check")
with auditor.call(audit, "verify chain since checkpoint") as verify:
    with audit.call(ledger, "read entries in seq order") as scan:
        scan.reply("entries + signed checkpoint")
    audit.step("recompute each hash and\ncompare with the stored chain")
    with flow.alt("every hash matches"):
        verify.reply("intact: 100457 entries")
    with flow.else_("mismatch at seq k"):
        audit.send(index, "flag entries >= k as suspect")
        verify.reply("TAMPERED at seq k: incident")
flow.note("the chain head is signed (KMS) and\nanchored hourly, so a rewritten\nchain is detectable",
          over=[audit, ledger])
