from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Loop Request Answered After",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
client, api = flow.actor("Client"), flow.service("API")
with flow.loop("retry"):
    client.call(api, "try", activate=False).reply("result")
