"""How a build spends its render work: both themes of a flow in one worker (the same bytes as one theme at a time in
this process), and only the pictures the project keeps."""

from __future__ import annotations

from pathlib import Path

from test_build import OUT, write_flow

from diagram_dsl.build import run_build
from diagram_dsl.renderers.base import Rendered, RenderOptions

TWO_THEMES = '[tool.diagram-dsl]\ntheme = ["light", "dark"]\n'


def _project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(TWO_THEMES)
    for number, title in ((1, "Alpha Flow"), (2, "Beta Flow"), (3, "Gamma Flow")):
        write_flow(root, number, title, label=f"GET /{title.lower().replace(' ', '-')}")
    return root


def _pictures(root: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((root / OUT).iterdir())
            if path.suffix in (".png", ".svg")}


def test_workers_draw_every_theme_as_a_single_process_does(tmp_path: Path) -> None:
    pooled, serial = _project(tmp_path / "pooled"), _project(tmp_path / "serial")
    assert run_build(pooled, jobs=2).ok
    assert run_build(serial, jobs=1).ok
    pictures = _pictures(pooled)
    assert len(pictures) == 12  # 3 flows x (PNG, SVG) x (light, dark)
    assert pictures == _pictures(serial)
    assert pictures["1-alpha-flow.png"] != pictures["1-alpha-flow.dark.png"]


def test_a_flow_that_fails_in_a_worker_is_reported_and_the_others_are_built(tmp_path: Path) -> None:
    root = _project(tmp_path)
    report = run_build(root, jobs=2, options=RenderOptions(wrap_width=10))  # too small for the native renderer
    assert not report.built
    assert len(report.failed) == 3
    assert all("wrap width 10 is too small" in line for line in report.failed)


def test_a_png_only_project_draws_no_svg_and_the_same_pngs(tmp_path: Path) -> None:
    both, png_only = _project(tmp_path / "both"), _project(tmp_path / "png")
    (png_only / "pyproject.toml").write_text(TWO_THEMES + 'formats = ["png", "puml"]\n')
    assert run_build(both, jobs=2).ok
    assert run_build(png_only, jobs=2).ok
    pngs = _pictures(png_only)
    assert sorted(pngs) == sorted(name for name in _pictures(both) if name.endswith(".png"))
    assert pngs == {name: data for name, data in _pictures(both).items() if name.endswith(".png")}


def test_the_native_renderer_leaves_a_picture_nobody_keeps_empty() -> None:
    from sample_flows import kitchen_sink

    from diagram_dsl.renderers.native import render_flow

    flow = kitchen_sink()
    whole = render_flow(flow, RenderOptions())
    assert render_flow(flow, RenderOptions(pictures=("png",))) == Rendered(whole.png, b"")
    assert render_flow(flow, RenderOptions(pictures=("svg",))) == Rendered(b"", whole.svg)
