"""Event Driven Processing: publish once, fan out to subscribers, consume idempotently, dead-letter failures."""

from __future__ import annotations

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=8,
    title="Event Driven Processing",
    description="Event-driven architecture with event publishing, subscription handling, and asynchronous processing.",
    scores=Scores(solution_quality=9, implementation_difficulty=7, performance_level="Very High"),
    when_to_use=[
        "Loosely coupled systems",
        "Real-time processing",
        "Scalable architectures",
        "Event sourcing patterns",
    ],
    important_points=[
        "Ensure event ordering",
        "Handle duplicate events",
        "Implement dead letter queues",
        "Monitor event processing",
        "Design for eventual consistency",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Architecture Patterns", "Loosely coupled systems"),
        GuideEntry("Implementation Complexity", "High Complexity (8-10/10)", "Complex event handling"),
        GuideEntry("Performance Levels", "Very High Performance", "Asynchronous processing"),
        GuideEntry("Business Domain Applications", "SaaS Platforms", "Real-time features"),
    ],
)

client = flow.actor("Client")
orders = flow.participant("Order Service")
bus = flow.queue("Event Bus")
with flow.box("Subscribers", color="#EEF5FF"):
    inventory = flow.participant("Inventory Service")
    inventory_db = flow.database("Inventory DB")
    email = flow.participant("Email Service")
dead_letters = flow.queue("Dead Letter Queue")
monitoring = flow.participant("Monitoring")

with client.call(orders, "POST /orders") as place:
    orders.step("save order (PENDING)\n+ outbox row, one transaction")
    orders.send(bus, "publish OrderPlaced evt-42\n(partition key = orderId)")
    place.reply("202 Accepted (orderId)")

flow.note("one partition per order key:\nevents of an order stay in order", over=bus)

with flow.par("fan-out: one copy per subscriber"):
    bus.send(inventory, "OrderPlaced evt-42")
    with inventory.call(inventory_db, "SELECT processed_events\nWHERE id = evt-42") as seen:
        seen.reply("found / not found")
    with flow.alt("found: duplicate delivery"):
        inventory.step("skip: already applied")
        inventory.send(bus, "ack evt-42")
    with flow.else_("not found: first delivery"):
        with flow.loop("up to 3 attempts, exponential backoff"):
            with inventory.call(inventory_db, "tx: reserve stock\n+ INSERT processed evt-42") as apply:
                apply.reply("committed / error")
        with flow.alt("committed"):
            inventory.send(bus, "ack evt-42")
            inventory.send(bus, "publish StockReserved evt-43")
            bus.send(orders, "StockReserved evt-43")
            orders.step("order PENDING → CONFIRMED")
        with flow.else_("still failing after 3 attempts"):
            inventory.send(bus, "nack evt-42 (give up)")
            bus.send(dead_letters, "evt-42 + error reason")
            dead_letters.send(monitoring, "alert: DLQ depth > 0")
with flow.and_("email subscriber, independently"):
    bus.send(email, "OrderPlaced evt-42")
    email.step("dedupe on evt-42,\nsend confirmation e-mail")
    email.send(bus, "ack evt-42")

flow.note("unique key on the event id makes the\ncheck-and-apply safe under redelivery", right_of=inventory_db)

bus.send(monitoring, "metrics: consumer lag per group")
flow.note("eventually consistent: the order reads\nPENDING until StockReserved arrives", over=[client, orders])
