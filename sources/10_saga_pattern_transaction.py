"""Saga Pattern Transaction: an orchestrated saga whose failing step is undone by compensations in reverse order."""

from __future__ import annotations

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=10,
    title="Saga Pattern Transaction",
    description="Saga pattern for distributed transactions with compensation actions and failure recovery.",
    scores=Scores(solution_quality=10, implementation_difficulty=9, performance_level="Medium"),
    when_to_use=[
        "Distributed transactions",
        "Microservices coordination",
        "Long-running processes",
        "Complex business workflows",
    ],
    important_points=[
        "Design compensation actions",
        "Handle partial failures",
        "Implement saga orchestration",
        "Monitor transaction state",
        "Ensure data consistency",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "E-commerce & Transactions", "Distributed transactions"),
        GuideEntry("Implementation Complexity", "High Complexity (8-10/10)", "Distributed coordination"),
        GuideEntry("Performance Levels", "Medium Performance", "Distributed coordination"),
        GuideEntry("Business Domain Applications", "Financial Services", "Complex workflows"),
    ],
)

client = flow.actor("Client")
with flow.box("Saga Orchestration", color="#EEF5FF"):
    orchestrator = flow.control("Saga Orchestrator")
    saga_log = flow.database("Saga Log")
order = flow.participant("Order Service")
payment = flow.participant("Payment Service")
inventory = flow.participant("Inventory Service")
shipping = flow.participant("Shipping Service")

client.send(orchestrator, "PlaceOrder command (saga s-7)")
orchestrator.call(saga_log, "s-7 STARTED").reply("saved")
flow.note("every step's outcome is persisted,\nso a restarted orchestrator resumes\nthe saga where it stopped",
          over=[orchestrator, saga_log])

orchestrator.call(order, "1. create order (PENDING)").reply("order o-1")
orchestrator.call(payment, "2. charge card €120").reply("payment p-1")
orchestrator.call(inventory, "3. reserve 2 items").reply("reservation r-1")
orchestrator.call(saga_log, "s-7 steps 1-3 DONE").reply("saved")
shipment = orchestrator.call(shipping, "4. schedule shipment")

with flow.alt("shipment scheduled"):
    shipment.reply("shipment sh-1")
    orchestrator.call(order, "approve order o-1").reply("APPROVED")
    orchestrator.call(saga_log, "s-7 COMPLETED").reply("saved")
    orchestrator.send(client, "OrderConfirmed o-1")
with flow.else_("step 4 fails: no carrier available"):
    shipment.reply("ShippingFailed")
    orchestrator.call(saga_log, "s-7 COMPENSATING from step 3").reply("saved")
    orchestrator.call(inventory, "undo 3: release reservation r-1").reply("released")
    orchestrator.call(payment, "undo 2: refund payment p-1").reply("refunded")
    orchestrator.call(order, "undo 1: cancel order o-1").reply("CANCELLED")
    orchestrator.call(saga_log, "s-7 ABORTED (compensated)").reply("saved")
    orchestrator.send(client, "OrderRejected o-1: cannot ship")

flow.note(
    "compensations are idempotent and retried\nuntil they succeed; a failure at step k\n"
    "undoes steps k-1 … 1, newest first",
    over=[order, shipping],
)
