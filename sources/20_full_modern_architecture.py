"""20. Full Modern Architecture: edge, gateway, CQRS services, transactional outbox, event bus, cache, tracing."""

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=20,
    title="Full Modern Architecture",
    description=(
        "Complete modern architecture sequence with microservices, event sourcing, CQRS, and distributed patterns."
    ),
    scores=Scores(solution_quality=10, implementation_difficulty=10, performance_level="Very High"),
    when_to_use=[
        "Enterprise-scale applications",
        "High-performance systems",
        "Complex business domains",
        "Cloud-native architectures",
    ],
    important_points=[
        "Implement comprehensive monitoring",
        "Design for fault tolerance",
        "Use distributed tracing",
        "Implement proper security",
        "Plan for scalability",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Architecture Patterns", "Complete enterprise solution"),
        GuideEntry("Implementation Complexity", "High Complexity (8-10/10)", "Enterprise architecture"),
        GuideEntry("Performance Levels", "Very High Performance", "Comprehensive optimization"),
        GuideEntry("Business Domain Applications", "Enterprise Systems", "Complete solution"),
    ],
)

client = flow.actor("Client")
with flow.box("Edge", color="#FFF4E5"):
    cdn = flow.boundary("CDN + WAF")
    gateway = flow.boundary("API Gateway")
with flow.box("Services", color="#EEF5FF"):
    orders = flow.participant("Order Service\n(commands)")
    payments = flow.participant("Payment Service")
    queries = flow.participant("Query Service\n(reads)")
with flow.box("Data", color="#EFFAF0"):
    write_db = flow.database("Orders DB\n(write model + outbox)")
    bus = flow.queue("Event Bus")
    cache = flow.database("Redis Cache")
    read_db = flow.database("Read Model DB")

flow.divider("Edge: static assets")
with client.call(cdn, "GET /app.js") as asset:
    asset.reply("200 (edge cache hit)")

flow.divider("Command: place order")
with client.call(cdn, "POST /orders (JWT)") as place:
    with cdn.call(gateway, "forward to origin") as forward:
        gateway.step("verify JWT; rate limit\nper client; start trace")
        with flow.alt("valid token, under limit"):
            with gateway.call(orders, "PlaceOrder\ntraceparent 00-4bf9...") as command:
                with orders.call(write_db, "one tx: INSERT order\n+ INSERT outbox row") as tx:
                    tx.reply("committed")
                command.reply("202 {orderId: 42}")
            forward.reply("202 Accepted")
            place.reply("202 Accepted, orderId 42")
        with flow.else_("bad token / over limit"):
            forward.reply("401 / 429 Retry-After")
            place.reply("401 / 429")
flow.note("distributed tracing: every hop, HTTP\nor event, carries traceparent;\nspans go to OpenTelemetry",
          over=[gateway, queries])

flow.divider("Transactional outbox -> events")
flow.found(orders, "outbox relay tick (100 ms)")
with orders.call(write_db, "SELECT unsent outbox rows") as unsent:
    unsent.reply("OrderPlaced #42")
with orders.call(bus, "publish OrderPlaced\n(key orderId, traceparent)") as publish:
    publish.reply("ack")
with orders.call(write_db, "mark outbox row sent") as mark:
    mark.reply("ok")
with flow.par("fan-out to subscribers"):
    bus.send(payments, "OrderPlaced #42")
    payments.step("charge card\n(idempotent by orderId)")
    payments.send(bus, "PaymentCaptured | PaymentFailed")
with flow.and_():
    bus.send(queries, "OrderPlaced #42")
    with queries.call(read_db, "project: upsert order view") as project:
        project.reply("ok")
    with queries.call(cache, "DEL order:42") as invalidate:
        invalidate.reply("1")
flow.ref("Saga (flow 10): on PaymentFailed the\nOrder Service cancels the order\n(compensation)",
         over=[orders, payments])

flow.divider("Query: order status")
with client.call(cdn, "GET /orders/42") as status:
    with cdn.call(gateway, "forward (not cacheable)") as forward_query:
        gateway.step("same JWT, rate-limit\nand trace steps")
        with gateway.call(queries, "GetOrder 42") as query:
            with queries.call(cache, "GET order:42") as lookup:
                with flow.alt("hit"):
                    lookup.reply("order view")
                with flow.else_("miss"):
                    lookup.reply("nil")
                    with queries.call(read_db, "SELECT order view") as load:
                        load.reply("row")
                    with queries.call(cache, "SET order:42 EX 60") as populate:
                        populate.reply("OK")
            query.reply("200 order view")
        forward_query.reply("200")
    status.reply("200 {status: PAID}")
flow.note("read side is eventually consistent\n(lag ~100 ms); monitor lag, p99\nand error rates",
          over=[queries, read_db])
