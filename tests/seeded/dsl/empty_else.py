from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Empty Else",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
user, api, audit = flow.actor("User"), flow.service("API"), flow.service("Audit")
with user.call(api, "delete item") as delete:
    with flow.alt("allowed"):
        api.send(audit, "record delete")
    with flow.else_("denied"):
        pass
    delete.reply("done")
