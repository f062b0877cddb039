"""Native PNG and SVG output: registry contract, well-formed SVG with the layout's text, scale, determinism."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import sample_flows
import strategies
from hypothesis import HealthCheck, given, settings
from PIL import Image

from diagram_dsl.model import Diagram, FlowModel
from diagram_dsl.renderers.base import RenderError, RenderOptions, get_renderer, renderer_names
from diagram_dsl.renderers.native import layout_flow
from diagram_dsl.renderers.native.layout import layout_diagram
from diagram_dsl.renderers.native.svg import render_svg
from diagram_dsl.renderers.native.text import line_width

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


def _render(flow: FlowModel, **options: float) -> tuple[bytes, bytes]:
    with get_renderer("native").session(RenderOptions(**options)) as session:  # type: ignore[arg-type]
        rendered = session.render(flow)
    return rendered.png, rendered.svg


def test_native_is_registered_with_a_version() -> None:
    assert "native" in renderer_names()
    renderer = get_renderer("native")
    assert renderer.name == "native"
    assert renderer.version().startswith("native ")


def test_png_matches_the_layout_size_and_scales() -> None:
    flow = sample_flows.simple_login()
    layout = layout_flow(flow, RenderOptions())
    png, _ = _render(flow)
    double, _ = _render(flow, scale=2.0)
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (layout.width, layout.height)
    with Image.open(io.BytesIO(double)) as image:
        assert image.size == (2 * layout.width, 2 * layout.height)


@pytest.mark.parametrize("scale", [0.0, -1.0, 100.0])
def test_bad_scale_is_a_clear_error(scale: float) -> None:
    with pytest.raises(RenderError, match="scale"):
        _render(sample_flows.simple_login(), scale=scale)


def _svg_texts(svg: bytes) -> list[str]:
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def _layout_texts(diagram: Diagram) -> list[str]:
    layout = layout_diagram(diagram)
    return [line.text for shape in layout.texts for line in shape.lines if line.text]


def test_svg_is_well_formed_and_shows_the_layout_text() -> None:
    flow = sample_flows.kitchen_sink()
    _, svg = _render(flow)
    texts = _svg_texts(svg)
    assert texts == _layout_texts(flow.diagram)
    for expected in ("Kitchen Sink", "submit order", "[valid]", "alt", "see Payment flow", "Fulfilment"):
        assert expected in texts
    root = ElementTree.fromstring(svg)
    layout = layout_flow(flow, RenderOptions())
    assert float(root.get("width", "0")) == layout.width and float(root.get("height", "0")) == layout.height


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.diagrams(hostile=True))
def test_svg_survives_hostile_labels(diagram: Diagram) -> None:
    svg = render_svg(layout_diagram(diagram))
    assert _svg_texts(svg) == _layout_texts(diagram)


_DIGEST_SCRIPT = """
import hashlib, sys
from pathlib import Path
sys.path.insert(0, "tests")
import sample_flows
from diagram_dsl.catalog import load_catalog
from diagram_dsl.renderers.base import RenderOptions, get_renderer
flows = [sample_flows.kitchen_sink(), sample_flows.simple_login()]
flows += [flow.model for flow in load_catalog(Path(".")).flows]
with get_renderer("native").session(RenderOptions(scale=1.5)) as session:
    for flow in flows:
        out = session.render(flow)
        print(flow.metadata.slug, hashlib.sha256(out.png).hexdigest(), hashlib.sha256(out.svg).hexdigest())
"""


def _digests(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", _DIGEST_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=True)
    return done.stdout


def test_output_is_byte_identical_across_hash_seeds() -> None:
    first, second = _digests("1"), _digests("4242")
    assert first.count("\n") >= 2
    assert first == second


def test_output_is_byte_identical_within_a_process() -> None:
    flow = sample_flows.kitchen_sink()
    one, two = _render(flow), _render(flow)
    assert hashlib.sha256(one[0]).digest() == hashlib.sha256(two[0]).digest()
    assert one[1] == two[1]


def test_png_keeps_the_theme_colours_exact() -> None:
    from diagram_dsl.renderers.native.theme import DEFAULT_THEME

    png, _ = _render(sample_flows.kitchen_sink())
    with Image.open(io.BytesIO(png)) as image:
        colours = {colour for _, colour in image.convert("RGB").getcolors(1 << 16) or []}
    for name in ("background", "head_fill", "note_fill", "bar_fill", "tab_fill", "ink", "lifeline"):
        hex_colour = getattr(DEFAULT_THEME, name)
        rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        assert rgb in colours, f"{name} {hex_colour} is not drawn exactly"


def test_palette_falls_back_to_the_nearest_colour_when_full() -> None:
    from diagram_dsl.renderers.native.png_palette import Palette

    palette = Palette("#FFFFFF")
    indices = [palette.index((value, value, 0)) for value in range(255)]
    assert len(set(indices)) == 255 and len(palette.colours) == 256
    assert palette.index((3, 3, 1)) == palette.index((3, 3, 0))
    assert palette.index("#FFFFFF") == 0


def test_svg_places_every_character_where_the_layout_measured_it() -> None:
    flow = sample_flows.simple_login()
    _, svg = _render(flow)
    root = ElementTree.fromstring(svg)
    layout = layout_flow(flow, RenderOptions())
    lines = [(line, shape.style) for shape in layout.texts for line in shape.lines if line.text]
    elements = list(root.iter(f"{SVG}text"))
    assert len(elements) == len(lines)
    for element, (line, style) in zip(elements, lines, strict=True):
        xs = [float(value) for value in element.get("x", "").split()]
        assert len(xs) == len(line.text)  # one position per character: no viewer re-spaces the text
        assert xs[0] == pytest.approx(line.x, abs=0.01)
        assert xs == sorted(xs)
        last = line.text[-1]
        end = xs[-1] + line_width(last, style.size, style.weight)
        assert end == pytest.approx(line.x + line.width, abs=0.6)  # kerning may pull the last glyph in a little


def test_output_does_not_depend_on_what_was_rendered_before() -> None:
    login, sink = sample_flows.simple_login(), sample_flows.kitchen_sink()
    first = _render(login, scale=1.25)
    _render(sink, scale=1.25)
    again = _render(login, scale=1.25)
    assert first == again
    done = subprocess.run([sys.executable, "-c", _FRESH_LOGIN], cwd=ROOT, capture_output=True, timeout=120, check=True)
    assert done.stdout.decode().strip() == hashlib.sha256(first[0]).hexdigest()


_FRESH_LOGIN = """
import hashlib, sys
sys.path.insert(0, "tests")
import sample_flows
from diagram_dsl.renderers.base import RenderOptions
from diagram_dsl.renderers.native import render_flow
print(hashlib.sha256(render_flow(sample_flows.simple_login(), RenderOptions(scale=1.25)).png).hexdigest())
"""
