"""Labels are drawn exactly as written by every renderer, even when they look like preprocessor code.

PlantUML's preprocessor evaluates ``%date()``, ``%version()``, ``%getenv("HOME")`` and ``$names`` anywhere
in a line. The emitter must keep them text: the real PlantUML (``-pipe`` and the renderer's server) draws
them literally, Mermaid reads them back literally, and the native renderer draws them as they are.
"""

from __future__ import annotations

import html
import re

import pytest
import render_tools_env as env

from diagram_dsl import Flow, Scores
from diagram_dsl.emit import emit_mermaid, emit_plantuml
from diagram_dsl.model import FlowModel
from diagram_dsl.renderers.base import RenderOptions, get_renderer
from diagram_dsl.toolchain import mermaid_inspect, plantuml_render_svg

# Each one is evaluated by PlantUML's preprocessor when written as is (see test_they_would_be_evaluated).
EVALUATED = ['%date()', '%version()', '%chr(65)', '%getenv("HOME")', '%true()', '%strlen("abc")',
             '%%date()', '\\%version()', '%newline()', '%filename()', '%dirpath()', '%intval("3")',
             '%date("yyyy")', '%invoke_procedure("x")', '%get_variable_value("$x")', '%variable_exists("x")']
# Preprocessor syntax that must stay text too: directives, variables, user functions, concatenation.
LOOKALIKES = ['!include /etc/passwd', '!$x = 1', '$x', '$foo()', '$x = 3', 'a##b', '## hi', '!assert 0',
              '!define X 1', '%', '50% off', '% date()', '$', '100$', '%_x()', '%Date()', '%%', 'é%é()']
LABELS = EVALUATED + LOOKALIKES


def _flow() -> FlowModel:
    """Every label in every text slot PlantUML has: title, names, box, message, note, guard, ref, divider, delay."""
    flow = Flow(number=90, title="Hostile", description="Preprocessor lookalikes.", scores=Scores(5, 5, "Medium"),
                diagram_title="%version() title $x")
    a = flow.actor("%date() actor")
    with flow.box("%getenv(\"HOME\") box"):
        b = flow.participant("$x participant")
    for label in LABELS:
        a.send(b, label)
    flow.note(" / ".join(LABELS[:8]), over=[a, b])
    with flow.alt("%version() guard"):
        flow.ref("%chr(65) ref", over=[a, b])
    flow.divider("%date() divider")
    flow.delay("%true() delay")
    b.send(a, "end")
    return flow.build()


def _every_text(flow: FlowModel) -> list[str]:
    return ["%version() title $x", "%date() actor", '%getenv("HOME") box', "$x participant", *LABELS,
            " / ".join(LABELS[:8]), "%version() guard", "%chr(65) ref", "%date() divider", "%true() delay"]


def _svg_text(svg: str) -> str:
    pieces = [html.unescape(piece) for piece in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    return "\n".join(pieces).replace("\u00a0", " ")


def _missing(drawn: str, flow: FlowModel) -> list[str]:
    lines = set(drawn.splitlines())
    return [text for text in _every_text(flow) if text not in lines and text not in drawn]


@pytest.mark.usefixtures("plantuml")
def test_plantuml_draws_preprocessor_lookalikes_as_written() -> None:
    flow = _flow()
    (result,) = plantuml_render_svg([emit_plantuml(flow.diagram)])
    assert result.check.ok, result.check.describe()
    assert _missing(_svg_text(result.svg), flow) == []


@pytest.mark.usefixtures("plantuml")
def test_they_would_be_evaluated_if_written_as_is() -> None:
    """The probe can fail: unescaped, PlantUML replaces or rejects every one of EVALUATED."""
    texts = [f"@startuml\nA -> B : {label}\n@enduml\n" for label in EVALUATED]
    for label, result in zip(EVALUATED, plantuml_render_svg(texts), strict=True):
        assert not result.check.ok or label not in _svg_text(result.svg), label


def test_the_renderer_server_draws_them_as_written() -> None:
    env.require_plantuml()
    flow = _flow()
    with get_renderer("plantuml").session(RenderOptions()) as session:
        rendered = session.render(flow)
    assert _missing(_svg_text(rendered.svg.decode("utf-8")), flow) == []
    assert rendered.png.startswith(b"\x89PNG")


@pytest.mark.usefixtures("mermaid")
def test_mermaid_reads_them_back_as_written() -> None:
    flow = _flow()
    (seen,) = mermaid_inspect([emit_mermaid(flow.diagram)])
    assert seen.check.ok, seen.check.describe()
    texts = {message.text for message in seen.messages}
    assert [label for label in LABELS if label not in texts] == []
    assert seen.title == "%version() title $x"
    assert {actor.label for actor in seen.actors} == {"%date() actor", "$x participant"}


def test_the_native_renderer_draws_them_as_written() -> None:
    flow = _flow()
    with get_renderer("native").session(RenderOptions()) as session:
        rendered = session.render(flow)
    drawn = _svg_text(rendered.svg.decode("utf-8"))
    assert [label for label in LABELS if label not in drawn] == []
