from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Opt Skipped No Reply",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
user, shop, coupons = flow.actor("User"), flow.service("Shop"), flow.service("Coupons")
with user.call(shop, "checkout") as checkout:
    with flow.opt("code present"):
        shop.call(coupons, "validate(code)").reply("discount")
    checkout.reply("total")
