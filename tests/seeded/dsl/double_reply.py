from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Double Reply",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
user, api = flow.actor("User"), flow.service("API")
with user.call(api, "GET /item") as get:
    get.reply("200 item")
    get.reply("200 item again")
