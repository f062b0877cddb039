from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Answered In Branch And After",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
user, api, cache = flow.actor("User"), flow.service("API"), flow.database("Cache")
with user.call(api, "GET /item") as item:
    with api.call(cache, "get(item)", activate=False) as get:
        with flow.alt("hit"):
            get.reply("item")
        with flow.else_("miss"):
            cache.step("load from disk")
        cache.reply(api, "item (loaded)")
    item.reply("200 OK")
