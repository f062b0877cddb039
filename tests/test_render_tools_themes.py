"""The real PlantUML and Mermaid draw both themes a project asks for: dark pictures are dark, with light ink."""

from __future__ import annotations

import io

import pytest
import render_tools_env as env
from PIL import Image

from diagram_dsl.renderers.plantuml.session import DARK_SKIN, with_theme

pytestmark = pytest.mark.tools  # needs a real tool: left out of `make test-fast`

FLOWS = (1, 5)


def _page_and_ink(png: bytes) -> tuple[float, float]:
    """Luminance of the page (the most common colour) and the mean of the pixels that differ from it."""
    with Image.open(io.BytesIO(png)) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
    page = max(range(256), key=histogram.__getitem__)
    others = [(level, count) for level, count in enumerate(histogram) if abs(level - page) > 64]
    ink = sum(level * count for level, count in others) / max(1, sum(count for _, count in others))
    return page, ink


def _assert_themes(renderer: str, require: object) -> None:
    assert callable(require)
    require()
    light = env.render_catalog_flows(renderer, FLOWS)
    dark = env.render_catalog_flows(renderer, FLOWS, theme="dark")
    for (flow, day), (_, night) in zip(light, dark, strict=True):
        day_page, day_ink = _page_and_ink(day.png)
        night_page, night_ink = _page_and_ink(night.png)
        assert day_page > 200 and day_ink < day_page, f"{flow.metadata.title}: light picture is not light"
        assert night_page < 60 and night_ink > night_page + 64, f"{flow.metadata.title}: dark picture is not dark"
        # The same diagram, drawn in the other theme: every label still there.
        assert sorted(env.svg_texts(night.svg).split()) == sorted(env.svg_texts(day.svg).split())


def test_plantuml_draws_light_and_dark() -> None:
    _assert_themes("plantuml", env.require_plantuml)


def test_mermaid_draws_light_and_dark() -> None:
    _assert_themes("mermaid", env.require_mermaid_cli)


def test_the_dark_skin_keeps_the_lines_of_the_text() -> None:
    text = "@startuml\nA -> B : x\n@enduml\n"
    themed = with_theme(text, "dark")
    assert themed.splitlines()[:2] == text.splitlines()[:2] and DARK_SKIN in themed
    assert themed.rstrip().endswith("@enduml") and with_theme(text, "light") == text
