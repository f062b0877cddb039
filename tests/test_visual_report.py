"""``make visual-report`` writes one row per catalog flow: native PNG, native SVG and PlantUML side by side."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _report_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("visual_report", ROOT / "bench" / "visual_report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["visual_report"] = module
    spec.loader.exec_module(module)
    return module


def test_the_review_page_shows_every_flow_with_its_pictures(tmp_path: Path) -> None:
    report = _report_module()
    index = report.build_report(out=tmp_path, with_plantuml=False)
    page = index.read_text(encoding="utf-8")
    flows = len(list((ROOT / "sources").glob("[0-9]*.py")))
    assert page.count('<div class="row">') == flows
    pictures = re.findall(r'<img src="([^"]+)"', page)
    assert len(pictures) == 2 * flows  # native PNG and SVG; PlantUML's column says why it is missing
    assert all((tmp_path / name).is_file() for name in pictures)
    assert page.count("PlantUML skipped") == flows
    assert page.count("collisions:") == flows
    oracle = report.collision_counter()
    if oracle is not None:  # the suite's own oracle counts each flow's collisions
        assert re.search(r"oracle collisions over \d+ flows: \d+", page)
