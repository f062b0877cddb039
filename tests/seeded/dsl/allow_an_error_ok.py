from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Allow An Error",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
    allow=["SEQ102"],
)
user, api = flow.actor("User"), flow.service("API")
unused = flow.service("Spare")
user.call(api, "ping").reply("pong")
