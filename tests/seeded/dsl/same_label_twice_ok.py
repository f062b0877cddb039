from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Same Label Twice",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
user = flow.actor("User")
pay1 = flow.service("Payment API", id="pay_api")
pay2 = flow.service("Payment Processor", id="pay_proc")
with user.call(pay1, "pay") as pay:
    pay1.call(pay2, "capture").reply("captured")
    pay.reply("paid")
