"""CQRS Implementation: commands append events, a projector builds the read model, queries read only that."""

from __future__ import annotations

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=11,
    title="CQRS Implementation",
    description="Command Query Responsibility Segregation with separate read/write models and event sourcing.",
    scores=Scores(solution_quality=9, implementation_difficulty=8, performance_level="Very High"),
    when_to_use=[
        "Complex domain models",
        "High-performance requirements",
        "Event sourcing architectures",
        "Scalable read/write operations",
    ],
    important_points=[
        "Separate command and query models",
        "Implement event sourcing",
        "Handle eventual consistency",
        "Optimize read projections",
        "Monitor synchronization lag",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Performance & Scalability", "Read/write optimization"),
        GuideEntry("Implementation Complexity", "High Complexity (8-10/10)", "Advanced patterns"),
        GuideEntry("Performance Levels", "Very High Performance", "Optimized read/write"),
        GuideEntry("Business Domain Applications", "Enterprise Systems", "Performance optimization"),
    ],
)

user = flow.actor("User")
api = flow.boundary("API")
with flow.box("Write side", color="#FFF3E6"):
    handler = flow.control("Command Handler")
    aggregate = flow.entity("Order Aggregate")
    event_store = flow.database("Event Store")
with flow.box("Read side", color="#EEF5FF"):
    projector = flow.control("Projector")
    queries = flow.participant("Query Handler")
    read_model = flow.database("Read Model")

flow.divider("Command: change state, return no data")
with user.call(api, "POST /orders/42/items") as post:
    with api.call(handler, "AddItem(order 42, sku, qty)") as command:
        handler.call(event_store, "load stream order-42").reply("events v1 … v6")
        with handler.call(aggregate, "rehydrate(v1 … v6)\naddItem(sku, qty)") as decide:
            aggregate.step("check invariants\n(stock limit, order still open)")
            with flow.alt("invariants hold"):
                decide.reply("ItemAdded")
                with handler.call(event_store, "append ItemAdded\n(expected version 6)") as append:
                    append.reply("stored as v7")
                command.reply("accepted, v7")
                post.reply("202 Accepted")
            with flow.else_("rule violated"):
                decide.reply("rejected: order closed")
                command.reply("rejected")
                post.reply("409 Conflict")

flow.note("append fails if another writer got\npast v6 (optimistic concurrency):\nreload and retry",
          right_of=event_store)

flow.divider("Projection: async, eventually consistent")
event_store.send(projector, "ItemAdded v7 (subscription)")
with projector.call(read_model, "UPSERT order_summary 42\n(totals precomputed)") as upsert:
    upsert.reply("ok")
projector.step("checkpoint = v7\nlag = head - checkpoint → metrics")

flow.divider("Query: read model only, no aggregate")
with user.call(api, "GET /orders/42") as get:
    with api.call(queries, "GetOrderSummary(42)") as query:
        select = queries.call(read_model, "SELECT * FROM order_summary\nWHERE id = 42")
        with flow.alt("projector caught up"):
            select.reply("row (version 7)")
        with flow.else_("projection lagging"):
            select.reply("row (version 6, stale)")
        query.reply("OrderSummary + version")
    get.reply("200 OK (ETag = version)")

flow.note("reads may trail writes by the\nprojection lag; clients compare\nthe version they wrote",
          over=[projector, queries])
