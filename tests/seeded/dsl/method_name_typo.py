from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Method Name Typo",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
user, api = flow.actor("User"), flow.service("API")
user.call(api, "ping").reply("pong")
user.cal(api, "ping again").reply("pong")
