from diagram_dsl import Flow, Scores

flow = Flow(
    number=1,
    title="Missing Reply In Else",
    description="A seeded case for the validator's scorer.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="High"),
    when_to_use=["scoring the validator"],
    important_points=["one mistake, or none"],
)
user, web = flow.actor("User"), flow.boundary("Web App")
auth, db = flow.service("Auth Service"), flow.database("User DB")
with user.call(web, "POST /login") as login:
    with web.call(auth, "verify(credentials)") as verify:
        auth.call(db, "SELECT user").reply("user row")
        with flow.alt("password matches"):
            verify.reply("session token")
        with flow.else_("mismatch"):
            verify.reply("401")
    login.reply("200 + Set-Cookie")
