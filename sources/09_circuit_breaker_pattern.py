"""Circuit Breaker Pattern: the breaker's three states, each shown with the call that passes through it."""

from __future__ import annotations

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=9,
    title="Circuit Breaker Pattern",
    description=(
        "Circuit breaker implementation for fault tolerance with failure detection, state management, and recovery."
    ),
    scores=Scores(solution_quality=9, implementation_difficulty=6, performance_level="High"),
    when_to_use=[
        "Distributed systems",
        "External service dependencies",
        "Fault-tolerant architectures",
        "High-availability systems",
    ],
    important_points=[
        "Configure appropriate thresholds",
        "Implement fallback mechanisms",
        "Monitor circuit state",
        "Handle partial failures",
        "Test recovery scenarios",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Reliability & Monitoring", "Fault tolerance"),
        GuideEntry("Performance Levels", "High Performance", "Fault tolerance"),
        GuideEntry("Business Domain Applications", "Enterprise Systems", "Reliability"),
    ],
)

client = flow.actor("Client")
with flow.box("Quote Service process", color="#EEF5FF"):
    service = flow.participant("Quote Handler")
    breaker = flow.control("Circuit Breaker")
remote = flow.participant("Pricing API")
cache = flow.database("Fallback Cache")
metrics = flow.participant("Metrics")

flow.note("thresholds: 5 failures in 30 s opens;\ncall timeout 2 s; cool-down 30 s", over=breaker)

flow.divider("CLOSED: calls pass, failures counted")
with client.call(service, "GET /quote") as closed_request:
    with service.call(breaker, "getPrice(sku)") as closed_call:
        closed_remote = breaker.call(remote, "GET /prices/sku (2 s timeout)")
        with flow.alt("Pricing API healthy"):
            closed_remote.reply("200 price")
            breaker.step("failures = 0")
            closed_call.reply("price")
            closed_request.reply("200 quote")
        with flow.else_("timeout / 5xx"):
            closed_remote.reply("503 / timed out")
            breaker.step("failures += 1")
            with flow.opt("failures ≥ 5 within 30 s"):
                breaker.step("state → OPEN")
                breaker.send(metrics, "circuit OPEN (pricing)")
            closed_call.reply("PricingUnavailable")
            service.call(cache, "last known price").reply("cached price")
            closed_request.reply("200 quote (cached price)")

flow.divider("OPEN: fail fast, serve the fallback")
with client.call(service, "GET /quote") as open_request:
    with service.call(breaker, "getPrice(sku)") as open_call:
        breaker.step("OPEN: reject at once,\nno call to Pricing API")
        open_call.reply("CircuitOpenError")
    service.call(cache, "last known price").reply("cached price")
    open_request.reply("200 quote (cached price)")

flow.delay("30 s cool-down elapses")

flow.divider("HALF-OPEN: one trial call decides")
with client.call(service, "GET /quote") as trial_request:
    with service.call(breaker, "getPrice(sku)") as trial_call:
        breaker.step("state → HALF-OPEN:\nlet one trial call through")
        trial = breaker.call(remote, "GET /prices/sku (trial)")
        with flow.alt("trial succeeds"):
            trial.reply("200 price")
            breaker.step("state → CLOSED, failures = 0")
            breaker.send(metrics, "circuit CLOSED (pricing)")
            trial_call.reply("price")
            trial_request.reply("200 quote")
        with flow.else_("trial fails"):
            trial.reply("503 / timed out")
            breaker.step("state → OPEN, restart cool-down")
            breaker.send(metrics, "circuit re-OPENED (pricing)")
            trial_call.reply("CircuitOpenError")
            service.call(cache, "last known price").reply("cached price")
            trial_request.reply("200 quote (cached price)")

flow.note("recovery path is tested: chaos tests\nforce OPEN → HALF-OPEN → CLOSED", over=[service, remote])
