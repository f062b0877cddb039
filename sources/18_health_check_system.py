"""18. Health Check System: a prober, parallel dependency checks with timeouts, an aggregated status, alerts."""

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=18,
    title="Health Check System",
    description=(
        "Comprehensive health check system with dependency validation, status aggregation, and alerting."
    ),
    scores=Scores(solution_quality=8, implementation_difficulty=5, performance_level="High"),
    when_to_use=[
        "Production monitoring",
        "Load balancer integration",
        "Service mesh environments",
        "Automated deployment systems",
    ],
    important_points=[
        "Check critical dependencies",
        "Implement graceful degradation",
        "Configure appropriate timeouts",
        "Provide detailed status information",
        "Monitor health check performance",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Reliability & Monitoring", "System monitoring"),
        GuideEntry("Implementation Complexity", "Low Complexity (1-4/10)", "Basic monitoring"),
        GuideEntry("Performance Levels", "High Performance", "Quick status checks"),
        GuideEntry("Business Domain Applications", "SaaS Platforms", "Service monitoring"),
    ],
)

prober = flow.control("Prober\n(load balancer)")
service = flow.participant("Order Service\n/health/ready")
with flow.box("Dependencies", color="#F3F6FA"):
    db = flow.database("Postgres\n(critical)")
    cache = flow.database("Redis\n(critical)")
    payments = flow.participant("Payment API\n(non-critical)")
alerts = flow.participant("Alertmanager")

flow.note("liveness (/health/live) stays shallow:\nprocess up. Readiness (/health/ready)\nchecks dependencies.",
          over=[prober, service])
with flow.loop("every 10 s per instance"):
    with prober.call(service, "GET /health/ready\n(probe timeout 2 s)") as probe:
        with flow.par("checks in parallel, each with a timeout"):
            with service.call(db, "SELECT 1\n(timeout 500 ms)") as db_check:
                db_check.reply("ok in 4 ms | error | timeout")
        with flow.and_():
            with service.call(cache, "PING\n(timeout 200 ms)") as cache_check:
                cache_check.reply("PONG in 1 ms | timeout")
        with flow.and_():
            with service.call(payments, "GET /status\n(timeout 1 s)") as payments_check:
                with flow.alt("answers within 1 s"):
                    payments_check.reply("200 OK")
                with flow.else_("no answer within 1 s"):
                    payments_check.reply("timed out: counted DOWN")
        service.step("aggregate; record check\nlatencies as metrics")
        with flow.alt("all dependencies up"):
            probe.reply("200 healthy\n{db: up, cache: up, payments: up}")
        with flow.else_("only non-critical down"):
            probe.reply("200 degraded\n{payments: down, timeout}")
            flow.note("degraded keeps taking traffic:\ncheckout queues payments", right_of=service)
        with flow.else_("a critical dependency down"):
            probe.reply("503 unhealthy\n{db: down, timeout}")
    with flow.opt("3 consecutive 503s"):
        prober.step("take instance out of rotation")
        prober.send(alerts, "ALERT order-service unhealthy\n(severity page)")
    with flow.opt("degraded for > 5 min"):
        prober.send(alerts, "WARN order-service degraded\n(severity ticket)")
flow.note("cache check results for ~5 s so\nprobes never overload the\ndependencies themselves",
          over=[service, payments])
