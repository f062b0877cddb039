from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Missing Reply",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
user, web = flow.actor("User"), flow.boundary("Web App")
auth = flow.service("Auth Service")
with user.call(web, "POST /login") as login:
    web.call(auth, "verify(credentials)")
    login.reply("200 OK")
