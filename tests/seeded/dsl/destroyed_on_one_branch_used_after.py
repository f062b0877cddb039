from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Destroyed On One Branch Used After",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
pool, worker = flow.service("Pool"), flow.service("Worker")
pool.create(worker, "spawn")
with flow.alt("idle"):
    pool.destroy(worker, "retire")
with flow.else_("busy"):
    pool.send(worker, "next task")
pool.send(worker, "status?")
