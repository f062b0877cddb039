"""2. User Registration Flow: sign-up, pending account, asynchronous verification e-mail, activation by link."""

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=2,
    title="User Registration Flow",
    description=(
        "Complete user registration process with validation, email verification, and account activation."
    ),
    scores=Scores(solution_quality=8, implementation_difficulty=5, performance_level="Medium"),
    when_to_use=[
        "User-facing applications",
        "Systems requiring email verification",
        "Applications with user onboarding",
        "SaaS platforms",
    ],
    important_points=[
        "Validate input data thoroughly",
        "Implement email verification",
        "Use secure password requirements",
        "Handle duplicate registrations",
        "Provide clear user feedback",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Authentication & Authorization", "User onboarding"),
        GuideEntry("Implementation Complexity", "Medium Complexity (5-7/10)", "User management"),
        GuideEntry("Performance Levels", "Medium Performance", "User onboarding"),
        GuideEntry("Business Domain Applications", "E-commerce", "Customer onboarding"),
    ],
)

user = flow.actor("User")
web = flow.boundary("Web App")
accounts = flow.control("Account Service")
users = flow.database("User DB")
mail_queue = flow.queue("Mail Queue")
mailer = flow.participant("Email Service")

flow.divider("Sign up")
with user.call(web, "submit sign-up form") as submit:
    web.step("client-side checks\n(format, password rules)")
    with web.call(accounts, "POST /users\n(email, password, name)") as register:
        accounts.step("validate input: schema,\ne-mail syntax, password policy")
        with flow.break_("invalid input"):
            register.reply("400 Bad Request + field errors")
            submit.reply("highlight fields to fix")
        with accounts.call(users, "SELECT id WHERE email = ?") as lookup:
            lookup.reply("existing user | none")
        with flow.alt("e-mail already registered"):
            register.reply("409 Conflict")
            submit.reply("account exists:\nsign in or reset password")
        with flow.else_("new e-mail"):
            accounts.step("hash password (argon2id)")
            accounts.step("verification token\n(CSPRNG, expires 24 h)")
            with accounts.call(users, "INSERT user status=PENDING,\nSHA-256(token), UNIQUE(email)") as insert:
                insert.reply("user id")
            accounts.send(mail_queue, "VerificationRequested\n(email, token)")
            register.reply("201 Created (pending)")
            submit.reply("check your inbox")
flow.note("UNIQUE(email) also catches two\nsign-ups racing past the SELECT", over=[accounts, users])

flow.divider("Verify e-mail (asynchronous)")
mail_queue.send(mailer, "VerificationRequested")
mailer.send(user, "e-mail: verify link\n/verify?token=…")
with user.call(web, "click link") as click:
    with web.call(accounts, "GET /verify?token=…") as verify:
        with accounts.call(users, "find PENDING user\nby SHA-256(token)") as find:
            find.reply("user, token expiry | none")
        with flow.alt("token matches and not expired"):
            with accounts.call(users, "UPDATE status=ACTIVE,\ndelete token") as activate:
                activate.reply("1 row")
            verify.reply("200 account activated")
            click.reply("welcome: account active")
        with flow.else_("unknown or expired token"):
            verify.reply("410 Gone")
            click.reply("link expired:\noffer to resend")
