"""Image snapshots of two sample flows at half scale, compared with a small tolerance.

The geometry tests are the renderer's real checks; these catch what geometry cannot
see (colours, glyph shapes, a canvas drawing the wrong primitive). After an intended
change of look, refresh them with ``RENDER_GOLDEN_UPDATE=1 pytest tests/test_render_snapshot.py``
and look at the new files before committing.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
import sample_flows
from PIL import Image, ImageChops

from diagram_dsl.renderers.base import RenderOptions
from diagram_dsl.renderers.native import render_flow

GOLDEN = Path(__file__).resolve().parent / "golden" / "render"
CHANGED_LEVEL = 48  # a channel difference below this is anti-aliasing noise, not a change
MAX_CHANGED_SHARE = 0.004


@pytest.mark.parametrize("name", ["simple_login", "kitchen_sink"])
def test_png_matches_the_golden_image(name: str) -> None:
    png = render_flow(getattr(sample_flows, name)(), RenderOptions(scale=0.5)).png
    golden = GOLDEN / f"{name}.png"
    if os.environ.get("RENDER_GOLDEN_UPDATE") == "1":
        golden.write_bytes(png)
    with Image.open(io.BytesIO(png)) as fresh_file, Image.open(golden) as golden_file:
        fresh, expected = fresh_file.convert("RGB"), golden_file.convert("RGB")
    assert fresh.size == expected.size, f"{name}: size {fresh.size} != golden {expected.size}"
    difference = ImageChops.difference(fresh, expected).convert("L")
    changed = sum(difference.point(lambda level: 255 if level >= CHANGED_LEVEL else 0).histogram()[255:])
    share = changed / (fresh.size[0] * fresh.size[1])
    assert share <= MAX_CHANGED_SHARE, f"{name}: {share:.2%} of pixels differ from {golden.name}"
