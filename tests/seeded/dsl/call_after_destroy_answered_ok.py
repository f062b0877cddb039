from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Call After Destroy Answered",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
scheduler, job = flow.service("Scheduler"), flow.service("Job")
scheduler.create(job, "spawn")
with scheduler.call(job, "status?") as status:
    status.reply("running")
scheduler.destroy(job, "dispose")
