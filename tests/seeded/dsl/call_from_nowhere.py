from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Call From Nowhere",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
user, api, worker = flow.actor("User"), flow.service("API"), flow.service("Worker")
user.call(api, "start").reply("202 Accepted")
api.call(worker, "crunch").reply("done")
