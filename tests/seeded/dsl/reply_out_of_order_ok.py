from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Reply Out Of Order",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
user, web, auth = flow.actor("User"), flow.boundary("Web"), flow.service("Auth")
login = user.call(web, "POST /login")
verify = web.call(auth, "verify")
verify.reply("valid")
login.reply("200 OK")
