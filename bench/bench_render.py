"""Native renderer speed, side by side with the real PlantUML on the same flows (``make bench``).

Sections:
1. in-process render time per catalog flow (layout, PNG, SVG; median of several runs);
2. a generated 2,000-message flow: layout + PNG, checked not to be truncated;
3. cold build of every catalog flow in a fresh process vs PlantUML rendering the same flows'
   emitted ``.puml`` to PNG in one JVM batch (when the pinned jar is installed), twice: the same
   work (light PNGs only) and the whole command with this repository's settings;
4. compactness on the same PlantUML PNGs: summed widths and heights, and the body text size
   each flow shows when scaled into GitHub's 880 px content column.
"""

from __future__ import annotations

import io
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from diagram_dsl.catalog import load_catalog, output_stem  # noqa: E402
from diagram_dsl.model import (  # noqa: E402
    Branch,
    Diagram,
    Event,
    Fragment,
    FragmentKind,
    Message,
    MessageKind,
    Note,
    NotePosition,
    Participant,
    ParticipantKind,
)
from diagram_dsl.renderers.base import RenderOptions  # noqa: E402
from diagram_dsl.renderers.native import layout_flow, render_flow  # noqa: E402
from diagram_dsl.renderers.native.layout import layout_diagram  # noqa: E402
from diagram_dsl.renderers.native.png import render_png  # noqa: E402
from diagram_dsl.renderers.native.styles import Styles  # noqa: E402
from diagram_dsl.renderers.native.svg import render_svg  # noqa: E402
from diagram_dsl.renderers.native.theme import DEFAULT_THEME  # noqa: E402

RUNS = 7


def _median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    """Median CPU time of this process: other jobs on a shared machine do not inflate it."""
    timings = []
    for _ in range(runs):
        started = time.process_time()
        action()
        timings.append((time.process_time() - started) * 1000)
    return statistics.median(timings)


def _median_wall_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def per_flow() -> None:
    catalog = load_catalog(ROOT)
    options = RenderOptions()
    if not catalog.flows:
        print("no catalog flows in sources/")
        return
    layout_flow(catalog.flows[0].model, options)  # font loading and imports are not per-flow costs
    print("CPU time of this process, median of 7 runs; 'wall' is elapsed time (inflated when the machine is busy)")
    print(f"{'flow':44} {'msgs':>4} {'px':>11} {'layout':>7} {'png':>7} {'svg':>6} {'total':>7} {'wall':>7}")
    totals, walls = [], []
    for flow in catalog.flows:
        layout = layout_flow(flow.model, options)
        lay = _median_ms(lambda flow=flow: layout_flow(flow.model, options))  # type: ignore[misc]
        png = _median_ms(lambda layout=layout: render_png(layout))  # type: ignore[misc]
        svg = _median_ms(lambda layout=layout: render_svg(layout))  # type: ignore[misc]
        wall = _median_wall_ms(lambda flow=flow: render_flow(flow.model, options))  # type: ignore[misc]
        totals.append(lay + png + svg)
        walls.append(wall)
        size = f"{layout.width:.0f}x{layout.height:.0f}"
        print(f"{output_stem(flow.metadata):44} {len(flow.model.diagram.messages()):4} {size:>11} "
              f"{lay:6.1f}ms {png:6.1f}ms {svg:5.1f}ms {lay + png + svg:6.1f}ms {wall:6.1f}ms")
    print(f"median per flow: {statistics.median(totals):.1f} ms CPU ({statistics.median(walls):.1f} ms wall), "
          f"max {max(totals):.1f} ms CPU   (target < 10 ms typical)")


def big_diagram(messages: int = 2000) -> Diagram:
    """A long flow: nested calls with replies, self steps, notes and a fragment every 40 messages."""
    kinds = list(ParticipantKind)
    participants = tuple(Participant(f"p{i}", f"Service {i}", kinds[i % len(kinds)]) for i in range(8))
    events: list[Event] = []
    next_id = 1
    block: list[Event] = []
    while next_id <= messages:
        caller, callee = participants[next_id % 4].id, participants[4 + next_id % 4].id
        request = Message(next_id, MessageKind.REQUEST, caller, callee, f"call {next_id} with some arguments",
                          activate=True)
        step = Message(next_id + 1, MessageKind.SELF, callee, callee, "work")
        reply = Message(next_id + 2, MessageKind.REPLY, callee, caller, f"result {next_id}", reply_to=next_id,
                        deactivate=True)
        block.extend([request, step, reply])
        next_id += 3
        if next_id % 40 < 3:
            block.append(Note(NotePosition.RIGHT, (callee,), f"checkpoint {next_id}"))
            events.append(Fragment(FragmentKind.LOOP, (Branch(f"batch {next_id // 40}", tuple(block)),)))
            block = []
    events.extend(block)
    return Diagram(participants, tuple(events), title="2,000 messages")


def big_flow() -> None:
    diagram = big_diagram()
    started = time.perf_counter()
    layout = layout_diagram(diagram)
    laid = time.perf_counter()
    png = render_png(layout)
    drawn = time.perf_counter()
    svg = render_svg(layout)
    done = time.perf_counter()
    with Image.open(io.BytesIO(png)) as image:
        size = image.size
    last_arrow = max(arrow.end[1] for arrow in layout.arrows)
    whole = size == (layout.width, layout.height) and last_arrow < layout.height
    print(f"{len(diagram.messages())} messages: {size[0]}x{size[1]} px, layout {(laid - started) * 1000:.0f} ms, "
          f"PNG {(drawn - laid) * 1000:.0f} ms, layout+PNG {(drawn - started):.2f} s (target < 2 s), "
          f"SVG {(done - drawn) * 1000:.0f} ms ({len(svg) // 1024} KiB); {'not truncated' if whole else 'TRUNCATED'}")


# What PlantUML's batch below does, and no more: light PNGs only, no SVG, text formats or catalog page.
LIKE_FOR_LIKE = '[tool.diagram-dsl]\nformats = ["png"]\ntheme = "light"\ncatalog-page = false\n'


def _native_cold_build(root: Path, settings: str) -> float:
    """Wall time of ``diagram-dsl build --force`` in a fresh process on a copy of the catalog with ``settings``."""
    shutil.copytree(ROOT / "sources", root / "sources")
    (root / "generated-diagrams" / "sequence-diagram-solutions").mkdir(parents=True)
    (root / "pyproject.toml").write_text(settings, encoding="utf-8")
    command = [sys.executable, "-m", "diagram_dsl", "--root", str(root), "build", "--force"]
    return _best_wall(lambda: subprocess.run(command, cwd=ROOT, env={**os.environ, "CI": "true"},
                                             capture_output=True, check=True))


COLD_RUNS = 3  # best of: each side gets the same number of tries on a shared machine


def _best_wall(action: Callable[[], object]) -> float:
    timings = []
    for _ in range(COLD_RUNS):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def _outputs(root: Path) -> str:
    files = [path for path in (root / "generated-diagrams").rglob("*") if path.is_file()
             and path.name != ".manifest.json"]
    kinds = sorted({"." + ".".join(path.name.split(".")[1:]) for path in files})
    return f"{len(files)} files: {', '.join(kinds)}"


def side_by_side() -> None:
    try:
        from diagram_dsl.emit import emit_plantuml
        from diagram_dsl.toolchain import java_command, plantuml_version
    except ImportError as error:
        print(f"PlantUML side by side skipped: {error}")
        return
    catalog = load_catalog(ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        # The repository's own settings (both themes, PNG+SVG+PUML+MMD, the catalog page): what `make diagrams` runs.
        whole = _native_cold_build(base / "whole", (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        equal = _native_cold_build(base / "equal", LIKE_FOR_LIKE)
        puml_dir = base / "puml"
        puml_dir.mkdir()
        files = []
        for flow in catalog.flows:
            path = puml_dir / f"{output_stem(flow.metadata)}.puml"
            path.write_text(emit_plantuml(flow.model.diagram), encoding="utf-8")
            files.append(str(path))
        try:
            command = java_command()
            version = plantuml_version()
        except Exception as error:  # noqa: BLE001 - any missing tool means "not measured", said plainly
            print(f"native cold build: {whole:.2f} s whole command, {equal:.2f} s light PNGs only; "
                  f"PlantUML not installed ({error}); run `make tools`")
            return
        env = {**os.environ, "PLANTUML_LIMIT_SIZE": "32768"}
        plantuml = _best_wall(lambda: subprocess.run([*command, "-tpng", *files], env=env, capture_output=True,
                                                     check=True))
        pngs = len(list(puml_dir.glob("*.png")))
        print(f"{len(catalog.flows)} flows, cold, each a fresh process "
              f"(best wall time of {COLD_RUNS}; ratio = PlantUML / native):")
        print(f"  PlantUML {plantuml:6.2f} s   PlantUML {version}, one JVM batch: {pngs} light PNGs")
        print(f"  native   {equal:6.2f} s   same work: `diagram-dsl build --force`, {_outputs(base / 'equal')}"
              f"  ratio {plantuml / equal:4.1f}x (target >= 3x)")
        print(f"  native   {whole:6.2f} s   whole command with this repository's settings, "
              f"{_outputs(base / 'whole')} + catalog page  ratio {plantuml / whole:4.1f}x")
        subprocess.run([*command, "-tsvg", *files], env=env, capture_output=True, check=True)  # untimed: font sizes
        print("\n### compactness vs PlantUML (same flows, PNG at scale 1)")
        compactness(catalog.flows, puml_dir)


DOCS_WIDTH = 880  # px: GitHub's content column, where a wider picture is scaled down


def _plantuml_body_size(svg: str) -> float:
    """The font size of most text in a PlantUML SVG: its message labels."""
    sizes = re.findall(r'<text[^>]*font-size="([0-9.]+)"', svg)
    return float(statistics.mode(sizes)) if sizes else 0.0


def compactness(flows: list[Any], puml_dir: Path) -> None:
    """Summed PNG width and height against PlantUML's, and the body text size each flow shows at docs width."""
    options = RenderOptions()
    print(f"body text at {DOCS_WIDTH} px = font size x min(1, {DOCS_WIDTH} / PNG width)")
    print(f"{'flow':36} {'native px':>11} {'PlantUML px':>11} {'text native':>11} {'PlantUML':>8}")
    sums = [0, 0, 0, 0]
    smaller_text = []
    for flow in flows:
        stem = output_stem(flow.metadata)
        with Image.open(io.BytesIO(render_flow(flow.model, options).png)) as image:
            width, height = image.size
        with Image.open(puml_dir / f"{stem}.png") as image:
            p_width, p_height = image.size
        body = Styles.from_theme(DEFAULT_THEME).body.size
        native_text = body * min(1.0, DOCS_WIDTH / width)
        p_body = _plantuml_body_size((puml_dir / f"{stem}.svg").read_text(encoding="utf-8"))
        plantuml_text = p_body * min(1.0, DOCS_WIDTH / p_width)
        if native_text < plantuml_text - 1e-9:
            smaller_text.append(stem)
        for index, value in enumerate((width, height, p_width, p_height)):
            sums[index] += value
        print(f"{stem[:36]:36} {width:5}x{height:<5} {p_width:5}x{p_height:<5} {native_text:8.1f} px "
              f"{plantuml_text:6.1f} px")
    print(f"summed width:  native {sums[0]:6} px vs PlantUML {sums[2]:6} px  ({sums[0] / sums[2]:.3f}; target <= 1)")
    print(f"summed height: native {sums[1]:6} px vs PlantUML {sums[3]:6} px  ({sums[1] / sums[3]:.3f}; target <= 1)")
    verdict = "on every flow" if not smaller_text else f"NOT on {', '.join(smaller_text)}"
    print(f"body text at {DOCS_WIDTH} px >= PlantUML's {verdict}")


def main() -> None:
    print(f"python {platform.python_version()}, {os.cpu_count()} cores")
    print("\n### in-process render per catalog flow")
    per_flow()
    print("\n### generated 2,000-message flow")
    big_flow()
    print("\n### cold build vs PlantUML")
    side_by_side()


if __name__ == "__main__":
    main()
