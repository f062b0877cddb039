"""7. Microservice Communication: discovery, load-balanced call, timeout and retry with backoff via a sidecar."""

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=7,
    title="Microservice Communication",
    description=(
        "Inter-service communication pattern with service discovery, load balancing, and failure handling."
    ),
    scores=Scores(solution_quality=9, implementation_difficulty=7, performance_level="High"),
    when_to_use=[
        "Microservices architectures",
        "Distributed systems",
        "Service-oriented architectures",
        "Cloud-native applications",
    ],
    important_points=[
        "Implement service discovery",
        "Handle network failures",
        "Use circuit breakers",
        "Implement retry mechanisms",
        "Monitor service health",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Architecture Patterns", "Service interaction"),
        GuideEntry("Implementation Complexity", "Medium Complexity (5-7/10)", "Service interaction"),
        GuideEntry("Performance Levels", "High Performance", "Distributed efficiency"),
        GuideEntry("Business Domain Applications", "SaaS Platforms", "Service architecture"),
    ],
)

client = flow.actor("Client")
orders = flow.participant("Order Service")
proxy = flow.control("Sidecar Proxy\n(LB + breaker)")
registry = flow.participant("Service Registry")
with flow.box("inventory-service", color="#F3F8EC"):
    inventory_1 = flow.participant("Inventory #1")
    inventory_2 = flow.participant("Inventory #2")

flow.note("instances register and heartbeat;\nregistry drops silent ones (TTL 10 s)", over=registry)
with client.call(orders, "POST /orders") as place:
    orders.step("validate order")
    with orders.call(proxy, "GET inventory/stock/42\ntraceparent, deadline 2 s") as stock:
        with proxy.call(registry, "resolve inventory-service") as resolve:
            resolve.reply("healthy: inv-1, inv-2")
        proxy.step("cache endpoints 30 s;\nround robin picks inv-1")
        flow.note("circuit breaker per instance:\n5 failures in 30 s -> open, fail fast", right_of=proxy)
        proxy.lose("GET /stock/42", toward=inventory_1)
        proxy.step("no answer in 500 ms (timeout):\ncount failure for inv-1")
        with flow.loop("retry, at most 2 more attempts"):
            proxy.step("back off 100 ms x 2^n + jitter;\nnext healthy instance")
            with flow.alt("instance answers in time"):
                with proxy.call(inventory_2, "GET /stock/42 (retry)") as retry:
                    retry.reply("200 {available: 7}")
                proxy.step("record success; stop retrying")
            with flow.else_("times out again"):
                proxy.step("count failure;\nbreaker may open")
        with flow.alt("a retry succeeded"):
            stock.reply("200 {available: 7}")
        with flow.else_("attempts exhausted or breaker open"):
            stock.reply("503 upstream unavailable")
    with flow.alt("stock confirmed"):
        orders.step("create order")
        place.reply("201 Created")
    with flow.else_("inventory unavailable"):
        orders.step("fallback: accept as\nPENDING, re-check later")
        place.reply("202 Accepted (pending)")
flow.note("retry only idempotent calls, within\nthe caller's deadline (retry budget)", over=[orders, proxy])
