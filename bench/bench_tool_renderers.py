"""Tool renderers vs native on the catalog: cold (session start + first flow) and warm per-flow time.

A row per renderer. ``cold`` is what a one-flow build pays: starting the JVM or Chromium plus
the first render. ``warm`` is the median time of every later flow in the same session (the
server or browser reused, JIT warm). Ratios are against the native renderer's figures.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from diagram_dsl.catalog import load_catalog
from diagram_dsl.model import FlowModel
from diagram_dsl.renderers.base import RenderError, RenderOptions, get_renderer

ROOT = Path(__file__).resolve().parents[1]
RENDERERS = ("native", "plantuml", "mermaid")


def measure(name: str, flows: list[FlowModel]) -> tuple[float, float, float] | str:
    """``(cold, warm median, whole batch)`` in seconds, or why the renderer could not run."""
    try:
        started = time.perf_counter()
        with get_renderer(name).session(RenderOptions()) as session:
            session.render(flows[0])
            cold = time.perf_counter() - started
            warm: list[float] = []
            for flow in flows[1:]:
                begin = time.perf_counter()
                session.render(flow)
                warm.append(time.perf_counter() - begin)
        total = time.perf_counter() - started
    except RenderError as error:
        return str(error)
    return cold, statistics.median(warm) if warm else cold, total


def _ratio(value: float, base: float | None) -> str:
    return f"{value / base:7.1f}x" if base else "      -"


def main() -> None:
    flows = [flow.model for flow in load_catalog(ROOT).flows]
    print(f"{len(flows)} catalog flows, PNG + SVG each, one session per renderer")
    print(f"{'renderer':<9} {'cold s':>8} {'vs native':>9} {'warm ms':>9} {'vs native':>9} {'batch s':>8}")
    native: tuple[float, float, float] | None = None
    for name in RENDERERS:
        result = measure(name, flows)
        if isinstance(result, str):
            print(f"{name:<9} not measured: {result}")
            continue
        if name == "native":
            native = result
        cold, warm, total = result
        print(f"{name:<9} {cold:8.2f} {_ratio(cold, native and native[0]):>9} {warm * 1000:9.0f} "
              f"{_ratio(warm, native and native[1]):>9} {total:8.2f}")


if __name__ == "__main__":
    main()
