from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Activation Never Ended",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
producer, worker = flow.actor("Producer"), flow.service("Worker")
producer.send(worker, "job")
flow.activate(worker)
worker.step("crunch")
flow.deactivate(worker)
