from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Created Twice",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
pool, worker = flow.service("Pool"), flow.service("Worker")
pool.create(worker, "spawn")
pool.send(worker, "task")
pool.send(worker, "drain")
pool.create(worker, "spawn a fresh one")
pool.send(worker, "next task")
