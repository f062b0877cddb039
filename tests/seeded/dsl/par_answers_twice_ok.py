from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Par Answers Twice",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
user, api, bus = flow.actor("User"), flow.service("API"), flow.queue("Bus")
with user.call(api, "POST /order") as order:
    with flow.par("respond"):
        order.reply("201 Created")
    with flow.and_("publish"):
        api.send(bus, "OrderCreated")
