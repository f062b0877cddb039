from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Loop Without Guard",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
poller, queue = flow.service("Poller"), flow.queue("Queue")
with flow.loop(""):
    poller.call(queue, "poll").reply("messages")
