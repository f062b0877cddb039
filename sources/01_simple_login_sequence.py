"""1. Simple Login Sequence: username/password login with attempt limiting and a server-side session."""

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=1,
    title="Simple Login Sequence",
    description=(
        "Basic user authentication flow with username/password validation, session creation, "
        "and response handling."
    ),
    scores=Scores(solution_quality=7, implementation_difficulty=3, performance_level="High"),
    when_to_use=[
        "Simple web applications",
        "MVP implementations",
        "Internal tools with basic security",
        "Learning and prototyping",
    ],
    important_points=[
        "Implement secure password hashing",
        "Use HTTPS for credential transmission",
        "Consider session timeout policies",
        "Add rate limiting for login attempts",
        "Implement proper error handling",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Authentication & Authorization", "Basic authentication"),
        GuideEntry("Implementation Complexity", "Low Complexity (1-4/10)", "Basic authentication"),
        GuideEntry("Performance Levels", "High Performance", "Fast authentication"),
    ],
)

user = flow.actor("User")
web = flow.boundary("Web App")
with flow.box("Auth backend", color="#EEF5FF"):
    auth = flow.control("Auth Service")
    limiter = flow.participant("Attempt Limiter")
    users = flow.database("User DB")
    sessions = flow.database("Session Store")

flow.note("HTTPS only: credentials never\ntravel or get logged in clear", over=[user, web])
with user.call(web, "POST /login\n(username, password)") as login:
    with web.call(auth, "authenticate(username, password)") as authenticate:
        with auth.call(limiter, "INCR attempts(username, IP)\nwindow 15 min") as count:
            count.reply("attempts = 2 (max 5)")
        with flow.break_("more than 5 attempts in window"):
            authenticate.reply("locked: too many attempts")
            login.reply("429 Too Many Requests\nRetry-After: 900")
        with auth.call(users, "SELECT id, password_hash\nWHERE username = ?") as lookup:
            lookup.reply("user row | none")
        auth.step("verify password hash\n(argon2id / bcrypt)")
        flow.note("constant-time compare; verify a dummy\nhash when the user is unknown", right_of=auth)
        with flow.alt("user found and password matches"):
            auth.call(limiter, "reset attempts(username, IP)").reply("ok")
            auth.step("new session id\n(128-bit CSPRNG)")
            with auth.call(sessions, "SET session:id -> user\nidle TTL 30 min, max 12 h") as store:
                store.reply("OK")
            authenticate.reply("session id")
            login.reply("302 to /home\nSet-Cookie: Secure; HttpOnly; SameSite")
        with flow.else_("unknown user or wrong password"):
            authenticate.reply("invalid credentials")
            login.reply("401 Invalid username or password")
flow.note("one generic message: never reveal\nwhich of the two was wrong", over=[user, web])
