"""Webhook Processing: verify, deduplicate, validate and enqueue fast; a worker does the real work later."""

from __future__ import annotations

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=13,
    title="Webhook Processing",
    description="Webhook processing system with signature verification, payload validation, and retry mechanisms.",
    scores=Scores(solution_quality=8, implementation_difficulty=6, performance_level="High"),
    when_to_use=[
        "Third-party integrations",
        "Real-time notifications",
        "Event-driven architectures",
        "Payment processing",
    ],
    important_points=[
        "Verify webhook signatures",
        "Implement idempotency",
        "Handle retry logic",
        "Validate payload structure",
        "Monitor webhook health",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Reliability & Monitoring", "Event handling"),
        GuideEntry("Performance Levels", "High Performance", "Real-time events"),
    ],
)

provider = flow.participant("Payment Provider")
with flow.box("Our system", color="#EEF5FF"):
    endpoint = flow.boundary("Webhook Endpoint")
    seen_events = flow.database("Idempotency Store")
    jobs = flow.queue("Job Queue")
    worker = flow.control("Worker")
    orders_db = flow.database("Orders DB")
monitoring = flow.participant("Monitoring")

provider.step("sign: HMAC-SHA256(secret,\ntimestamp + '.' + body)")

with flow.loop("provider retries with backoff\nuntil 2xx (up to 3 days)"):
    with provider.call(endpoint, "POST /webhooks/payments\nevt_123, Signature, Timestamp") as delivery:
        endpoint.step("recompute HMAC (constant time);\ntimestamp within 5 min?")
        with flow.alt("signature invalid or timestamp stale"):
            endpoint.send(monitoring, "security: rejected webhook")
            delivery.reply("401 Unauthorized")
        with flow.else_("signature valid"):
            with endpoint.call(seen_events, "EXISTS evt_123") as lookup:
                lookup.reply("1 (seen) / 0 (new)")
            endpoint.step("validate payload against schema")
            with flow.alt("evt_123 already received"):
                delivery.reply("200 OK (duplicate ignored)")
            with flow.else_("payload malformed"):
                delivery.reply("400 Bad Request")
            with flow.else_("new and valid"):
                with endpoint.call(jobs, "enqueue evt_123 (durable)") as enqueue:
                    enqueue.reply("ack")
                endpoint.call(seen_events, "SET evt_123 EX 7d").reply("OK")
                delivery.reply("202 Accepted (< 1 s)")

flow.note("answer fast, work later: a slow\nor 5xx reply makes the provider\nretry the same event",
          over=[provider, endpoint])

flow.divider("Later, in the background")
jobs.send(worker, "deliver evt_123")
with worker.call(orders_db, "mark order paid\n(upsert keyed by evt_123)") as apply:
    with flow.alt("applied"):
        apply.reply("ok")
        worker.send(jobs, "ack evt_123")
    with flow.else_("error"):
        apply.reply("error")
        worker.send(jobs, "nack: redeliver with backoff,\nDLQ after 5 tries")
worker.send(monitoring, "metrics: latency, failures, backlog")
