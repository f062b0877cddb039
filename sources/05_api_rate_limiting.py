"""5. API Rate Limiting: per-client counters with expiry at the gateway, 429 with Retry-After when over limit."""

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=5,
    title="API Rate Limiting",
    description=(
        "API rate limiting implementation with request counting, threshold checking, and response handling."
    ),
    scores=Scores(solution_quality=8, implementation_difficulty=5, performance_level="High"),
    when_to_use=[
        "Public APIs",
        "Resource protection",
        "Abuse prevention",
        "Cost control mechanisms",
    ],
    important_points=[
        "Choose appropriate limiting algorithms",
        "Implement per-client tracking",
        "Provide clear error responses",
        "Consider burst allowances",
        "Monitor usage patterns",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Performance & Scalability", "Resource protection"),
        GuideEntry("Implementation Complexity", "Low Complexity (1-4/10)", "Traffic control"),
        GuideEntry("Performance Levels", "High Performance", "Efficient throttling"),
        GuideEntry("Business Domain Applications", "E-commerce", "API protection"),
    ],
)

client = flow.actor("API Client")
gateway = flow.boundary("API Gateway")
limiter = flow.control("Rate Limiter")
counters = flow.database("Counter Store\n(Redis)")
backend = flow.participant("Backend API")
metrics = flow.participant("Usage Metrics")

flow.note(
    "100 req/min per API key + burst of 20;\n"
    "fixed window shown (sliding window or\n"
    "token bucket smooth the window edges)",
    over=[gateway, limiter],
)
with client.call(gateway, "GET /v1/orders\nX-API-Key: k1") as request:
    gateway.step("authenticate key,\nclient id = k1")
    with gateway.call(limiter, "allow?(client=k1, route)") as check:
        with limiter.call(counters, "INCR rl:k1:12:05\nEXPIRE 60 s (one Lua script)") as incr:
            incr.reply("count = 87")
        limiter.step("compare with\nlimit + burst")
        limiter.send(metrics, "usage(k1, count, route)")
        check.reply("allow | deny,\nremaining, reset at")
    with flow.alt("count <= limit + burst"):
        with gateway.call(backend, "forward GET /v1/orders") as forward:
            forward.reply("200 + orders")
        request.reply("200 OK\nX-RateLimit-Remaining: 13")
    with flow.else_("over limit"):
        gateway.send(metrics, "throttled(k1)")
        request.reply("429 Too Many Requests\nRetry-After: 23")
        client.step("wait Retry-After,\nthen retry with backoff")
metrics.step("per-client usage dashboards,\nabuse alerts")
flow.note("counter store down: fail open\n(allow) and alert, never block all", over=[limiter, counters])
