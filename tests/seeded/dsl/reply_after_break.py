from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Reply After Break",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
user, shop = flow.actor("User"), flow.service("Shop")
with user.call(shop, "order") as order:
    with flow.break_("out of stock"):
        shop.step("log shortage")
    order.reply("confirmed")
