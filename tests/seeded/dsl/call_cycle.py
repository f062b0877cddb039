from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Call Cycle",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
user, orders, stock = flow.actor("User"), flow.service("Orders"), flow.service("Stock")
with user.call(orders, "order") as order:
    with orders.call(stock, "reserve") as reserve:
        stock.call(orders, "get order details").reply("details")
        reserve.reply("reserved")
    order.reply("ok")
