"""Activations read from hand-written PlantUML are the bars the real PlantUML draws.

A wrong reading of who is active is a wrong finding (SEQ120, SEQ110) on a diagram the author sees drawn
correctly, so the importer is compared with PlantUML's own picture: every activation bar in its SVG, as
(participant, message that starts it, message that ends it), against the same triples from the imported model.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from diagram_dsl.importers.plantuml import import_plantuml
from diagram_dsl.model import Activation, Message, walk_events
from diagram_dsl.toolchain import plantuml_render_svg
from diagram_dsl.validate import Severity, validate

pytestmark = pytest.mark.tools

END = "(end)"  # a bar still open when the diagram ends runs to the footer

DIAGRAMS = {
    "autoactivate: a dashed arrow ends its sender's activation, whoever receives it": """
        autoactivate on
        participant A
        participant B
        participant C
        A -> B : call
        B --> C : dashed to third
        B -> C : call2
        C --> A : dashed from C to A
        B --> A : back
        A --> B : dashed from inactive A
        """,
    "autoactivate: replies inside alt branches": """
        autoactivate on
        participant User
        participant Web
        participant Api
        User -> Web : open
        Web -> Api : get items
        return items
        return page
        alt cached
          User -> Web : refresh
          Web --> User : from cache
        else
          User -> Web : refresh again
          Web -> Api : get again
          Api --> Web : items again
          Web --> User : page again
        end
        """,
    "explicit ++ and -- with activate/deactivate": """
        participant A
        participant B
        participant C
        A -> B ++ : start
        B -> C ++ : nested
        C --> B -- : nested done
        B -> C : plain
        activate C
        C --> B : plain done
        deactivate C
        B --> A -- : finished
        A -> B ++ : left open
        """,
    "autoactivate off again mid-diagram": """
        autoactivate on
        participant A
        participant B
        A -> B : auto
        B --> A : auto back
        autoactivate off
        A -> B : manual
        B --> A : manual back
        """,
}


def _plantuml_bars(svg: str) -> list[tuple[str, str, str]]:
    """(participant, starting label, ending label) for each activation bar PlantUML drew."""
    lifelines = [float(x) for x in re.findall(r'<line x1="([\d.]+)" y1="[\d.]+" x2="\1" y2="[\d.]+" '
                                             r'style="[^"]*stroke-dasharray:5,5;', svg)]
    names = re.findall(r'<text x="[\d.]+" y="[\d.]+" fill="#000" font-size="14"[^>]*>([^<]+)</text>', svg)
    heads = names[: len(lifelines)]
    messages: dict[float, str] = {}
    for y, label in re.findall(r'<line x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="\1" style="stroke:#181818;'
                               r'stroke-width:1;[^"]*"/>\s*<text [^>]*font-size="13"[^>]*>([^<]+)</text>', svg):
        messages[float(y)] = label

    def at(y: float) -> str:
        nearest = min(messages, key=lambda message_y: abs(message_y - y))
        return messages[nearest] if abs(nearest - y) < 1 else END

    bars = []
    for x, y, height in re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="10" height="([\d.]+)" fill="#FFF"', svg):
        centre = float(x) + 5
        owner = heads[min(range(len(lifelines)), key=lambda index: abs(lifelines[index] - centre))]
        bars.append((owner, at(float(y)), at(float(y) + float(height))))
    return sorted(bars)


def _imported_bars(text: str) -> list[tuple[str, str, str]]:
    """The same triples from the imported model: who is activated by which message and ended by which."""
    diagram = import_plantuml(text, "diagram.puml")
    label_of = {participant.id: participant.label for participant in diagram.participants}
    open_bars: dict[str, list[str]] = {}
    bars: list[tuple[str, str, str]] = []
    last = END
    for event in walk_events(diagram.events):
        if isinstance(event, Message):
            last = event.label
            if event.deactivate and event.sender is not None and open_bars.get(event.sender):
                bars.append((label_of[event.sender], open_bars[event.sender].pop(), last))
            if event.activate and event.receiver is not None:
                open_bars.setdefault(event.receiver, []).append(last)
        elif isinstance(event, Activation):
            if event.active:
                open_bars.setdefault(event.participant, []).append(last)
            elif open_bars.get(event.participant):
                bars.append((label_of[event.participant], open_bars[event.participant].pop(), last))
    bars.extend((label_of[who], start, END) for who, starts in open_bars.items() for start in starts)
    return sorted(bars)


def _diagram(name: str) -> str:
    body = "\n".join(line.strip() for line in DIAGRAMS[name].strip().splitlines())
    return f"@startuml\n{body}\n@enduml\n"


@pytest.mark.parametrize("name", sorted(DIAGRAMS))
def test_imported_activations_are_the_bars_plantuml_draws(name: str, plantuml: Path) -> None:
    text = _diagram(name)
    (result,) = plantuml_render_svg([text])
    assert result.check.ok, result.check
    drawn = _plantuml_bars(result.svg)
    assert drawn, "no activation bar found in PlantUML's SVG: the SVG reader no longer matches PlantUML's output"
    assert _imported_bars(text) == drawn


def test_autoactivate_replies_in_branches_are_no_finding() -> None:
    """PlantUML draws each `Web --> User` as the end of Web's bar; reading it otherwise was a false SEQ120."""
    findings = validate(import_plantuml(_diagram("autoactivate: replies inside alt branches"), "diagram.puml"))
    assert [f for f in findings if f.severity is not Severity.INFO] == []
