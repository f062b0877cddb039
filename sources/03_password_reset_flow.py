"""3. Password Reset Flow: hashed single-use token with expiry, e-mailed link, strength check, sessions revoked."""

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=3,
    title="Password Reset Flow",
    description=(
        "Secure password reset mechanism with token generation, email delivery, and password update validation."
    ),
    scores=Scores(solution_quality=8, implementation_difficulty=6, performance_level="Medium"),
    when_to_use=[
        "Applications with user authentication",
        "Systems requiring self-service password reset",
        "Security-conscious applications",
        "Enterprise user management",
    ],
    important_points=[
        "Generate secure reset tokens",
        "Implement token expiration",
        "Use secure email delivery",
        "Validate new password strength",
        "Log security events",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Authentication & Authorization",
                   "Self-service password management"),
        GuideEntry("Implementation Complexity", "Medium Complexity (5-7/10)", "Security workflows"),
        GuideEntry("Performance Levels", "Medium Performance", "Security processes"),
    ],
)

user = flow.actor("User")
web = flow.boundary("Web App")
with flow.box("Identity backend", color="#EEF5FF"):
    auth = flow.control("Auth Service")
    users = flow.database("User DB")
    sessions = flow.database("Session Store")
mailer = flow.participant("Email Service")
audit = flow.queue("Security Log")

flow.divider("1. Request a reset link")
with user.call(web, "Forgot password (email)") as forgot:
    with web.call(auth, "POST /password-reset\n(email)") as request:
        with auth.call(users, "SELECT id WHERE email = ?") as lookup:
            lookup.reply("user | none")
        with flow.opt("account exists"):
            auth.step("token = 32 random bytes\n(CSPRNG, single use)")
            with auth.call(users, "store SHA-256(token),\nexpires_at = now + 15 min") as store:
                store.reply("ok")
            auth.send(mailer, "send reset link\n(https://…/reset?token=…)")
        auth.send(audit, "reset_requested\n(email, IP, time)")
        request.reply("202 Accepted")
        forgot.reply("If the account exists,\na link is on its way")
flow.note("identical response and timing\nwhether or not the account exists", over=[web, auth])
mailer.send(user, "e-mail over TLS:\nreset link (valid 15 min)")

flow.divider("2. Set a new password")
with user.call(web, "open link,\nsubmit new password") as submit:
    with web.call(auth, "POST /password-reset/confirm\n(token, new password)") as confirm:
        with auth.call(users, "find by SHA-256(token)") as find:
            find.reply("user id, expires_at, used | none")
        with flow.break_("unknown, used or expired token"):
            auth.send(audit, "reset_failed (reason, IP)")
            confirm.reply("400 invalid or expired link")
            submit.reply("ask for a new link")
        auth.step("check strength: length,\nbreached-password list")
        with flow.break_("password too weak"):
            confirm.reply("422 weak password")
            submit.reply("show password rules")
        auth.step("hash new password (argon2id)")
        with auth.call(users, "UPDATE password_hash,\nmark token used") as update:
            update.reply("1 row")
        with auth.call(sessions, "revoke all sessions of user") as revoke:
            revoke.reply("3 sessions revoked")
        auth.send(audit, "password_reset\n(user, IP, time)")
        auth.send(mailer, "notify: your password\nwas changed")
        confirm.reply("200 OK")
        submit.reply("password changed:\nplease sign in")
