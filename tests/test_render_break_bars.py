"""Below a break, the flow continues on the path that skipped it: activation bars go on through the break."""

from __future__ import annotations

from diagram_dsl import Flow, Scores
from diagram_dsl.renderers.base import RenderOptions
from diagram_dsl.renderers.native import layout_flow


def test_bars_open_before_a_break_resume_after_it() -> None:
    flow = Flow(number=1, title="Break Bars", description="d", scores=Scores(5, 5, "High"))
    user, web, auth = flow.actor("User"), flow.participant("Web"), flow.participant("Auth")
    with user.call(web, "login") as login:
        with web.call(auth, "verify") as verify:
            with flow.break_("locked"):
                verify.reply("locked")
                login.reply("429")
            verify.reply("ok")
        login.reply("200")
    model = flow.build()
    layout = layout_flow(model, RenderOptions())
    (fragment,) = layout.fragments
    for participant in ("web", "auth"):
        bars = [bar.rect for bar in layout.bars if bar.participant == participant]
        assert len(bars) == 1, f"{participant}: one bar through the break, not ended and restarted: {bars}"
        assert bars[0].y < fragment.rect.y and bars[0].bottom > fragment.rect.bottom, bars
    ok_reply = next(a for a in layout.arrows if a.message_id == 5)  # "ok" from Auth to Web, below the break
    web_bars = [bar.rect for bar in layout.bars if bar.participant == "web"]
    assert any(rect.y <= ok_reply.end[1] <= rect.bottom for rect in web_bars), "the reply lands on a live bar"
