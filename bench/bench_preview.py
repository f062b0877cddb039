"""Live preview speed: from saving a catalog flow to its new SVG being in the page's DOM, in real headless Chromium.

A scratch copy of the catalog is served by the real `diagram-dsl serve`; Debian's Chromium (driven by
Playwright, never a downloaded browser) opens each flow's page; the benchmark saves an edited label the
way an editor does (write a temporary file, rename it over the source) and takes the time the page itself
records when it has swapped the new drawing into its DOM (``window.__dslUpdates``, epoch milliseconds),
minus the wall-clock time just before the save. Target: median <= 150 ms.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOWS = ("01_simple_login_sequence", "04_e_commerce_checkout", "10_saga_pattern_transaction",
         "20_full_modern_architecture")
SAVES_PER_FLOW = 8
_LABEL = re.compile(r'(\.(?:call|send)\(\w+, ")([^"]*)(")')


def _save(path: Path, text: str) -> float:
    """Saves as an editor does; returns the wall-clock time (epoch ms) just before the rename."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    started = time.time() * 1000
    os.replace(temporary, path)
    return started


def _serve(project: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, "-m", "diagram_dsl", "serve", "--port", "0"], cwd=project, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ,
                                                                                       "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None
    for line in process.stdout:
        match = re.search(r"http://\S+?/", line)
        if match:
            return process, match.group(0)
    raise RuntimeError("diagram-dsl serve printed no URL")


def main() -> None:
    try:
        from playwright.sync_api import sync_playwright

        from diagram_dsl.toolchain.chromium import HEADLESS_ARGS, chromium_executable
    except ImportError:
        print("skipped: Playwright is not installed (make venv installs the dev extra)")
        return
    executable = chromium_executable()
    if executable is None:
        print("skipped: Chromium is not installed (apt-get install chromium)")
        return
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        shutil.copytree(ROOT / "sources", project / "sources")
        process, url = _serve(project)
        latencies: dict[str, list[float]] = {}
        loads: list[float] = []  # load + validate + draw, in the loader process
        notices: list[float] = []  # save -> the watcher reports it
        transit: list[float] = []  # the event leaves the server -> the page receives it
        pages: list[float] = []  # the page receives it -> the drawing is in its DOM
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(executable), args=list(HEADLESS_ARGS))
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                for flow in FLOWS:
                    source = project / "sources" / f"{flow}.py"
                    original = source.read_text(encoding="utf-8")
                    page.goto(f"{url}flow/{flow}")
                    page.wait_for_selector("#drawing svg")
                    page.wait_for_selector("#status[data-kind=live]")
                    for attempt in range(SAVES_PER_FLOW + 1):
                        count = page.evaluate("window.__dslUpdates.length")
                        edited = _LABEL.sub(lambda m, n=attempt: f"{m.group(1)}{m.group(2)} #{n}{m.group(3)}",
                                            original, count=1)
                        saved_at = _save(source, edited)
                        page.wait_for_function(f"window.__dslUpdates.length > {count}", timeout=30_000)
                        update = page.evaluate("window.__dslUpdates.at(-1)")
                        applied = update["at"]
                        assert page.locator(f"#drawing svg text:has-text('#{attempt}')").count() >= 1
                        if attempt:  # the first save also warms the page's own code paths
                            latencies.setdefault(flow, []).append(applied - saved_at)
                            loads.append(1000 * update["seconds"])
                            notices.append(update["noticedAt"] - saved_at)
                            transit.append(update["receivedAt"] - update["sentAt"])
                            pages.append(applied - update["receivedAt"])
                        time.sleep(0.15)
                    source.write_text(original, encoding="utf-8")
                browser.close()
        finally:
            process.terminate()
            process.wait(15)
            if process.stdout is not None:
                process.stdout.close()
    every = [value for values in latencies.values() for value in values]
    print(f"save -> new SVG in the page's DOM, {len(every)} saves of {len(FLOWS)} catalog flows "
          f"(real `diagram-dsl serve`, headless Chromium {executable.name}):")
    print("| flow | median | max |")
    print("|---|---|---|")
    for flow, values in latencies.items():
        print(f"| {flow} | {statistics.median(values):.0f} ms | {max(values):.0f} ms |")
    quantiles = statistics.quantiles(every, n=10)
    print(f"| all | **{statistics.median(every):.0f} ms** (p90 {quantiles[-1]:.0f} ms) | {max(every):.0f} ms |")
    print(f"medians of the parts: save noticed {statistics.median(notices):.0f} ms; load + validate + draw in the "
          f"loader process {statistics.median(loads):.0f} ms; server -> page {statistics.median(transit):.0f} ms; "
          f"swapped into the DOM {statistics.median(pages):.0f} ms. "
          "Target: median <= 150 ms")
