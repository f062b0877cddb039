"""16. Message Queue Processing: durable publish, acknowledged consumption, redelivery and a dead-letter queue."""

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=16,
    title="Message Queue Processing",
    description=(
        "Message queue processing with producer/consumer pattern, acknowledgments, and error handling."
    ),
    scores=Scores(solution_quality=9, implementation_difficulty=6, performance_level="Very High"),
    when_to_use=[
        "Asynchronous processing",
        "Decoupled architectures",
        "Load leveling",
        "Background job processing",
    ],
    important_points=[
        "Implement message acknowledgments",
        "Handle processing failures",
        "Configure dead letter queues",
        "Monitor queue depth",
        "Ensure message durability",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Performance & Scalability", "Asynchronous processing"),
        GuideEntry("Performance Levels", "Very High Performance", "Decoupled operations"),
        GuideEntry("Business Domain Applications", "Enterprise Systems", "Scalable processing"),
    ],
)

client = flow.actor("Client")
producer = flow.participant("Order API\n(producer)")
broker = flow.queue("Broker\norders queue")
workers = flow.collections("Consumer Workers")
db = flow.database("Orders DB")
dlq = flow.queue("Dead-Letter Queue")
monitor = flow.control("Queue Monitor")

flow.divider("Durable publish")
with client.call(producer, "POST /orders") as post:
    with producer.call(broker, "publish OrderPlaced msg-7\npersistent, publisher confirm") as publish:
        broker.step("write to disk + replicate\nto quorum")
        publish.reply("confirm (broker ack)")
    flow.note("no confirm within 5 s: publish again;\nconsumers dedupe by message id", right_of=producer)
    post.reply("202 Accepted")

flow.divider("Consume, acknowledge, retry")
with flow.loop("each delivery, up to N = 5 attempts"):
    broker.send(workers, "deliver msg-7 (attempt k,\nprefetch 10, manual ack)")
    with workers.call(db, "upsert order\n(idempotent by msg id)") as process:
        with flow.alt("processed"):
            process.reply("committed")
            workers.send(broker, "ack msg-7")
            broker.step("delete msg-7")
        with flow.else_("processing failed"):
            process.reply("error: timeout")
            workers.send(broker, "nack msg-7 (requeue)")
            broker.step("redeliver after backoff\n2^k s")
    with flow.break_("attempt k = N and still failing"):
        broker.send(dlq, "dead-letter msg-7\n+ reason, attempt count")
        flow.note("poison message parked for inspection\nand manual replay; the queue\nkeeps moving",
                  right_of=dlq)

flow.divider("Monitoring")
with flow.loop("every 30 s"):
    broker.send(monitor, "queue depth, oldest msg age,\nDLQ depth")
    with flow.opt("depth > 10 000 or oldest > 5 min"):
        monitor.send(workers, "scale out: +2 consumers")
    with flow.opt("DLQ depth > 0"):
        monitor.step("page on-call: poison messages")
