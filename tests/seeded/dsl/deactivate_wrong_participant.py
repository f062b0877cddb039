from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Deactivate Wrong Participant",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
client, gateway, consumer = flow.actor("Client"), flow.service("Gateway"), flow.service("Consumer")
with client.call(gateway, "submit") as submit:
    gateway.send(consumer, "handle")
    flow.activate(consumer)
    consumer.send(gateway, "done")
    flow.deactivate(client)
    submit.reply("accepted")
