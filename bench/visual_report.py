"""``make visual-report``: every catalog flow as the native PNG, the native SVG and PlantUML's PNG, side by side.

Writes ``build/visual-report/index.html`` (git-ignored) with the pictures beside it, and the geometry
oracle's collision count per flow (``tests/geometry_oracle.py``, the suite's own oracle; the column says
"n/a" where that module is not in the checkout). The native pictures come straight from the renderer
(light and dark); PlantUML's from the real PlantUML through the ``plantuml`` renderer (``make tools``).
Look at every row before changing how anything is drawn; ``--screenshot FILE`` also saves a full-page
screenshot of the report taken in Debian's Chromium.
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diagram_dsl.catalog import load_catalog, output_stem  # noqa: E402
from diagram_dsl.renderers.base import RenderError, RenderOptions, get_renderer  # noqa: E402
from diagram_dsl.renderers.native import layout_flow, render_flow  # noqa: E402
from diagram_dsl.renderers.native.scene import Layout  # noqa: E402

OUT = ROOT / "build" / "visual-report"


def collision_counter() -> Callable[[Layout], list[str]] | None:
    """The test suite's geometry oracle (``violations(layout)``), or None when this checkout has none."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from geometry_oracle import violations  # type: ignore[import-not-found]
    except ImportError:
        return None
    found: Callable[[Layout], list[str]] = violations
    return found


def _plantuml_pictures(flows: list, out: Path) -> dict[str, str]:  # type: ignore[type-arg]
    """stem -> file name of PlantUML's PNG (or an error message starting with "error:")."""
    pictures: dict[str, str] = {}
    try:
        with get_renderer("plantuml").session(RenderOptions()) as session:
            for flow in flows:
                stem = output_stem(flow.metadata)
                try:
                    rendered = session.render(flow.model)
                except RenderError as error:
                    pictures[stem] = f"error: {error}"
                    continue
                (out / f"{stem}.plantuml.png").write_bytes(rendered.png)
                pictures[stem] = f"{stem}.plantuml.png"
    except (RenderError, OSError) as error:
        return {output_stem(flow.metadata): f"error: PlantUML unavailable ({error}); run `make tools`"
                for flow in flows}
    return pictures


_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #1F2933; background: #F4F6F8; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin: 28px 0 6px; }
.row { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; align-items: start; }
figure { margin: 0; background: #FFF; border: 1px solid #D5DBE3; padding: 6px; }
figure img { width: 100%; height: auto; display: block; }
figcaption { font-size: 12px; color: #52606D; margin-bottom: 4px; }
.clean { color: #1E7B34; } .dirty { color: #B3261E; font-weight: 600; }
details { font-size: 12px; margin: 4px 0; } .dark { background: #0D1117; }
"""


def _figure(caption: str, source: str, alt: str, dark: bool = False) -> str:
    if source.startswith("error:"):
        return f"<figure><figcaption>{html.escape(caption)}</figcaption><p>{html.escape(source)}</p></figure>"
    cls = ' class="dark"' if dark else ""
    return (f'<figure{cls}><figcaption>{html.escape(caption)}</figcaption>'
            f'<a href="{html.escape(source)}"><img src="{html.escape(source)}" alt="{html.escape(alt)}" '
            f'loading="lazy"></a></figure>')


def build_report(out: Path = OUT, with_plantuml: bool = True) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog(ROOT)
    flows = list(catalog.flows)
    oracle = collision_counter()
    plantuml = _plantuml_pictures(flows, out) if with_plantuml else {
        output_stem(flow.metadata): "error: PlantUML skipped (--no-plantuml)" for flow in flows}
    rows, total = [], 0
    for flow in flows:
        stem = output_stem(flow.metadata)
        light = render_flow(flow.model, RenderOptions())
        dark = render_flow(flow.model, RenderOptions(theme="dark"))
        (out / f"{stem}.png").write_bytes(light.png)
        (out / f"{stem}.svg").write_bytes(light.svg)
        (out / f"{stem}.dark.png").write_bytes(dark.png)
        if oracle is None:
            count = '<span title="tests/geometry_oracle.py is not in this checkout">n/a</span>'
            found: list[str] = []
        else:
            found = oracle(layout_flow(flow.model, RenderOptions()))
            total += len(found)
            count = f'<span class="{"dirty" if found else "clean"}">{len(found)}</span>'
        listing = "".join(f"<li>{html.escape(item)}</li>" for item in found)
        details = f"<details><summary>what collides</summary><ul>{listing}</ul></details>" if found else ""
        title = f"{flow.metadata.number}. {flow.metadata.title}"
        rows.append(
            f'<h2 id="flow-{stem}">{html.escape(title)} — collisions: {count}</h2>{details}<div class="row">'
            + _figure("native PNG", f"{stem}.png", title)
            + _figure("native SVG (as an <img>, like GitHub)", f"{stem}.svg", title)
            + _figure("PlantUML PNG", plantuml[stem], title)
            + f'</div><p><a href="{stem}.dark.png">dark PNG</a></p>')
    summary = ("oracle: tests/geometry_oracle.py not in this checkout" if oracle is None
               else f"oracle collisions over {len(flows)} flows: {total}")
    page = (f"<!doctype html><html lang=en><meta charset=utf-8><title>diagram-dsl visual review</title>"
            f"<style>{_STYLE}</style><h1>diagram-dsl visual review — {len(flows)} catalog flows</h1>"
            f"<p>{html.escape(summary)}. Generated {time.strftime('%Y-%m-%d %H:%M')}.</p>{''.join(rows)}</html>")
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def screenshot(index: Path, target: Path, width: int = 1500) -> None:
    from playwright.sync_api import sync_playwright

    from diagram_dsl.toolchain.chromium import HEADLESS_ARGS, chromium_executable

    executable = chromium_executable()
    if executable is None:
        raise SystemExit("Chromium is missing (`make tools-mermaid-cli` installs it with apt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=list(HEADLESS_ARGS))
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(index.as_uri())
            page.evaluate("document.querySelectorAll('img').forEach(img => img.loading = 'eager')")
            page.wait_for_function("[...document.images].every(img => img.complete)")
            page.screenshot(path=str(target), full_page=True)
        finally:
            browser.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-plantuml", action="store_true", help="leave out PlantUML's column")
    parser.add_argument("--screenshot", type=Path, help="also save a full-page screenshot of the report here")
    args = parser.parse_args(argv)
    index = build_report(with_plantuml=not args.no_plantuml)
    print(f"wrote {index.relative_to(ROOT)}")
    if args.screenshot:
        screenshot(index, args.screenshot)
        print(f"wrote {args.screenshot}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
