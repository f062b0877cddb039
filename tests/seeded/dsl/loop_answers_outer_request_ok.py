from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Loop Answers Outer Request",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
client, api = flow.actor("Client"), flow.service("Stream API")
with client.call(api, "subscribe") as subscribe:
    subscribe.reply("subscribed")
with flow.loop("each event"):
    api.send(client, "event")
