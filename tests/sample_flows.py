"""Hand-written flows shared by the tests: one that uses every model feature, and a small login."""

from __future__ import annotations

from diagram_dsl import Flow, Scores
from diagram_dsl.model import FlowModel


def kitchen_sink() -> FlowModel:
    """Every participant kind, arrow kind, fragment kind, note position and decoration at least once."""
    flow = Flow(number=99, title="Kitchen Sink", description="Every feature of the model.",
                scores=Scores(5, 5, "Medium"), when_to_use=["tests"], important_points=["covers all"])
    flow.autonumber()
    with flow.box("Clients", color="#E8F0FE"):
        user = flow.actor("User")
        ui = flow.boundary("Web UI")
    ctrl = flow.control("Order\nController")
    order = flow.entity("Order")
    db = flow.database("Orders DB")
    bus = flow.queue("Event Bus")
    workers = flow.collections("Workers")
    temp = flow.participant("Temp Worker")

    flow.found(ui, "page load")
    with user.call(ui, "submit order") as submit:
        flow.note("validates the form", right_of=ui)
        with ui.call(ctrl, "POST /orders") as post:
            ctrl.step("check input")
            with flow.alt("valid"):
                ctrl.create(temp, "spawn")
                with ctrl.call(db, "INSERT order") as insert:
                    insert.reply("id")
                ctrl.send(bus, "OrderPlaced")
                post.reply("201 Created")
            with flow.else_("invalid"):
                post.reply("400 Bad Request")
            flow.ref("see Payment flow", over=[ctrl, db])
        with flow.opt("has coupon"):
            ui.send(ctrl, "apply coupon")
        with flow.loop("every 5 s"):
            ui.send(ctrl, "poll status")
        submit.reply("done")
    flow.divider("Fulfilment")
    with flow.par("fan out"):
        bus.send(workers, "pick")
    with flow.and_("audit"):
        bus.send(order, "record")
    with flow.critical("reserve stock"):
        workers.send(order, "reserve")
    with flow.option("stock gone"):
        workers.send(order, "cancel")
    flow.delay("5 minutes later")
    flow.space(30)
    with flow.break_("timeout"):
        workers.lose("late ack", toward=bus)
    with flow.group("cleanup"):
        flow.activate(order)
        order.send(bus, "closed")
        flow.deactivate(order)
        ctrl.destroy(temp, "kill")
    flow.note("spans two", over=[db, bus])
    flow.note("left side", left_of=user)
    workers.lose("dropped")
    return flow.build()


def simple_login() -> FlowModel:
    flow = Flow(number=1, title="Simple Login Sequence", description="Login.", scores=Scores(7, 3, "High"))
    user, web, auth, db = (flow.actor("User"), flow.participant("Web App"), flow.control("Auth Service"),
                           flow.database("User DB"))
    with user.call(web, "POST /login") as login:
        with web.call(auth, "verify(credentials)") as verify:
            auth.call(db, "SELECT user").reply("user row")
            with flow.alt("password matches"):
                verify.reply("session token")
            with flow.else_("mismatch"):
                verify.reply("401")
        login.reply("200 + Set-Cookie")
    return flow.build()
