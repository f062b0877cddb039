"""OAuth Authorization: the authorization code grant with PKCE, a resource call and a token refresh."""

from __future__ import annotations

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=12,
    title="OAuth Authorization",
    description="OAuth 2.0 authorization flow with client registration, user consent, and token exchange.",
    scores=Scores(solution_quality=8, implementation_difficulty=7, performance_level="High"),
    when_to_use=[
        "Third-party integrations",
        "API access control",
        "Single sign-on implementations",
        "Mobile applications",
    ],
    important_points=[
        "Validate redirect URIs",
        "Implement PKCE for security",
        "Handle token refresh",
        "Configure appropriate scopes",
        "Monitor authorization patterns",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Authentication & Authorization", "Third-party access control"),
        GuideEntry("Performance Levels", "High Performance", "Secure access"),
        GuideEntry("Business Domain Applications", "SaaS Platforms", "Third-party integration"),
    ],
)

user = flow.actor("User")
browser = flow.boundary("Browser")
client_app = flow.participant("Client App")
auth_server = flow.control("Authorization Server")
resource_api = flow.participant("Resource API")

flow.note("client registered beforehand:\nclient_id, exact redirect URIs,\nallowed scopes", over=auth_server)

flow.divider("Authorization request")
with user.call(browser, "click 'Connect calendar'") as connect:
    with browser.call(client_app, "GET /connect") as start:
        client_app.step("code_verifier = random 64 chars\ncode_challenge = S256(verifier)")
        start.reply("302 to /authorize\n(verifier, state kept in session)")
    with browser.call(auth_server, "GET /authorize?client_id, state,\nscope=calendar.read, redirect_uri,\n"
                      "code_challenge, method=S256") as authorize:
        auth_server.step("redirect_uri == registered one?\nscopes allowed for client?")
        with flow.break_("redirect_uri not registered"):
            authorize.reply("400 invalid_request\n(never redirects)")
            connect.reply("error page")
        authorize.reply("login page")
    connect.reply("show login page")

flow.divider("Login and consent")
with user.call(browser, "submit credentials") as login:
    with browser.call(auth_server, "POST /login") as authenticate:
        auth_server.step("authenticate user (+ MFA)")
        authenticate.reply("consent page: calendar.read")
    login.reply("show consent page")
with user.call(browser, "approve access") as consent:
    with browser.call(auth_server, "POST /consent") as approve:
        auth_server.step("store grant; one-time code,\nbound to challenge, 60 s")
        approve.reply("302 redirect_uri?code&state")
    with browser.call(client_app, "GET /callback?code&state") as callback:
        client_app.step("state == session state?")

        flow.divider("Token exchange (back channel)")
        with client_app.call(auth_server, "POST /token: code,\ncode_verifier, redirect_uri") as exchange:
            auth_server.step("S256(code_verifier) == code_challenge?\ncode unused, same redirect_uri?")
            with flow.break_("any check fails"):
                exchange.reply("400 invalid_grant")
                callback.reply("login failed page")
                consent.reply("show error")
            exchange.reply("access_token (15 min)\n+ refresh_token")
        with client_app.call(resource_api, "GET /calendar\nBearer access_token") as read:
            resource_api.step("verify JWT: signature,\nexp, aud, scope")
            read.reply("200 events")
        callback.reply("302 /dashboard")
    consent.reply("calendar shown")

flow.note("tokens stay on the server side;\nthe code alone is useless\nwithout the verifier",
          over=[browser, client_app])

flow.divider("Later: access token expired")
with user.call(browser, "open dashboard") as dashboard:
    with browser.call(client_app, "GET /dashboard") as page:
        client_app.call(resource_api, "GET /calendar (expired token)").reply("401 invalid_token")
        with client_app.call(auth_server, "POST /token: refresh_token") as refresh:
            auth_server.step("rotate refresh token,\nlog grant use for monitoring")
            with flow.alt("refresh token valid"):
                refresh.reply("new access + refresh token")
                client_app.call(resource_api, "GET /calendar (new token)").reply("200 events")
                page.reply("dashboard")
            with flow.else_("revoked or reused"):
                refresh.reply("400 invalid_grant")
                page.reply("302 start login again")
    dashboard.reply("page shown")
