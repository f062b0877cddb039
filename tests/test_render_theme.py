"""Light and dark themes: every text readable (WCAG contrast >= 4.5:1) on what it is actually drawn on,
and the build writes the dark pictures beside the light ones."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest
import sample_flows
from click.testing import CliRunner
from PIL import Image

from diagram_dsl.catalog import load_catalog
from diagram_dsl.cli import main
from diagram_dsl.model import FlowModel
from diagram_dsl.renderers.base import RenderError, RenderOptions
from diagram_dsl.renderers.native import layout_flow, render_flow
from diagram_dsl.renderers.native.scene import EllipseShape, Layout, PolygonShape, RectShape, TextShape, shape_bounds
from diagram_dsl.renderers.native.theme import DARK_THEME, DEFAULT_THEME, THEMES, contrast_ratio, user_fill

ROOT = Path(__file__).resolve().parents[1]
MIN_CONTRAST = 4.5  # WCAG 2 AA for body text


def _flows() -> list[FlowModel]:
    flows = [flow.model for flow in load_catalog(ROOT).flows]
    return [*flows, sample_flows.kitchen_sink(), sample_flows.simple_login()]


def _fill_under(layout: Layout, text: TextShape) -> str:
    """The colour painted last, before ``text``, under the centre of each of its lines."""
    fill = layout.background
    centre_x, centre_y = text.box.x + text.box.w / 2, text.box.y + text.box.h / 2
    for shape in layout.shapes:
        if shape is text:
            return fill
        if isinstance(shape, RectShape | PolygonShape | EllipseShape) and shape.fill is not None:
            box = shape_bounds(shape)
            if box.x <= centre_x <= box.right and box.y <= centre_y <= box.bottom:
                fill = shape.fill
    raise AssertionError("text is not in its own layout")


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_text_keeps_its_contrast_on_what_it_is_drawn_on(theme: str) -> None:
    checked = 0
    poor = []
    for flow in _flows():
        layout = layout_flow(flow, RenderOptions(theme=theme))
        for text in layout.texts:
            under = _fill_under(layout, text)
            ratio = contrast_ratio(text.style.color, under)
            checked += 1
            if ratio < MIN_CONTRAST:
                poor.append(f"{flow.metadata.slug} {text.role} {text.style.color} on {under}: {ratio:.2f}")
    assert checked > 500
    assert not poor, "\n".join(poor[:20])


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_text_colours_read_on_every_fill_of_the_palette(theme: str) -> None:
    palette = THEMES[theme]
    fills = [palette.background, palette.head_fill, palette.note_fill, palette.tab_fill, palette.ref_fill,
             palette.divider_fill, palette.box_fill]
    for ink in (palette.ink, palette.muted_ink, palette.number_ink):
        for fill in fills:
            assert contrast_ratio(ink, fill) >= MIN_CONTRAST, f"{theme}: {ink} on {fill}"


def test_diagram_colours_become_dark_tints_in_the_dark_theme() -> None:
    assert user_fill(DEFAULT_THEME, "#FFF3E6") == "#FFF3E6"
    for pastel in ("#FFF3E6", "#EEF5FF", "#FFFFFF", "#FF0", "#E8F5E9"):
        tint = user_fill(DARK_THEME, pastel)
        assert tint is not None
        assert contrast_ratio(DARK_THEME.ink, tint) >= MIN_CONTRAST
        assert contrast_ratio(DARK_THEME.muted_ink, tint) >= MIN_CONTRAST
    assert user_fill(DARK_THEME, None) is None


def test_contrast_ratio_matches_the_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def _background(png: bytes) -> tuple[int, int, int]:
    with Image.open(io.BytesIO(png)) as image:
        red, green, blue = image.convert("RGB").getpixel((1, 1))  # type: ignore[misc]
    return red, green, blue


def test_the_dark_theme_draws_on_a_dark_background() -> None:
    flow = sample_flows.kitchen_sink()
    dark = render_flow(flow, RenderOptions(theme="dark"))
    light = render_flow(flow, RenderOptions(theme="light"))
    assert _background(dark.png) == (0x0D, 0x11, 0x17)
    assert _background(light.png) == (0xFF, 0xFF, 0xFF)
    assert b'fill="#0D1117"' in dark.svg and b'fill="#E6EDF3"' in dark.svg
    assert dark.png != light.png


def test_an_unknown_theme_is_a_clear_error() -> None:
    with pytest.raises(RenderError, match="theme 'sepia' is unknown"):
        render_flow(sample_flows.simple_login(), RenderOptions(theme="sepia"))


FLOW = '''from diagram_dsl import Flow, Scores

flow = Flow(number=1, title="Ping Pong", description="One call and its reply.",
            scores=Scores(solution_quality=5, implementation_difficulty=2, performance_level="High"),
            when_to_use=["always"], important_points=["none"])
a, b = flow.participant("A"), flow.participant("B")
a.call(b, "ping").reply("pong")
'''


def _project(tmp_path: Path, table: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(table), encoding="utf-8")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "01_ping_pong.py").write_text(FLOW, encoding="utf-8")
    return tmp_path


def test_a_project_with_both_themes_gets_dark_pictures_beside_the_light_ones(tmp_path: Path) -> None:
    root = _project(tmp_path, '[tool.diagram-dsl]\ntheme = ["light", "dark"]\n')
    result = CliRunner().invoke(main, ["--root", str(root), "build", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    out = root / "generated-diagrams" / "sequence-diagram-solutions"
    assert _background((out / "1-ping-pong.png").read_bytes()) == (0xFF, 0xFF, 0xFF)
    assert _background((out / "1-ping-pong.dark.png").read_bytes()) == (0x0D, 0x11, 0x17)
    assert b'fill="#0D1117"' in (out / "1-ping-pong.dark.svg").read_bytes()
    check = CliRunner().invoke(main, ["--root", str(root), "check"])
    assert check.exit_code == 0, check.output


def test_build_theme_option_overrides_the_project_setting(tmp_path: Path) -> None:
    root = _project(tmp_path, "[tool.diagram-dsl]\n")
    result = CliRunner().invoke(main, ["--root", str(root), "build", "--jobs", "1", "--theme", "dark"])
    assert result.exit_code == 0, result.output
    out = root / "generated-diagrams" / "sequence-diagram-solutions"
    assert _background((out / "1-ping-pong.png").read_bytes()) == (0x0D, 0x11, 0x17)
    assert not (out / "1-ping-pong.dark.png").exists()
    bad = CliRunner().invoke(main, ["--root", str(root), "build", "--theme", "sepia"])
    assert bad.exit_code == 2 and "sepia" in bad.output


def test_the_readme_palette_table_shows_the_real_colours() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, palette in THEMES.items():
        for role in ("background", "ink", "muted_ink", "head_fill", "head_stroke", "lifeline", "bar_fill",
                     "note_fill", "note_stroke", "fragment_stroke", "tab_fill", "box_fill", "number_ink",
                     "destroy_ink"):
            assert f"`{getattr(palette, role)}`" in readme, f"{name} {role}"
