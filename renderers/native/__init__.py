"""The native renderer: our own layout engine drawn by a Pillow (PNG) and a plain-text (SVG) canvas.

No Java, no browser: ``make diagrams`` works wherever Python does. Use it through
the registry: ``get_renderer("native").session(RenderOptions(...))``.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
from typing import TYPE_CHECKING

from diagram_dsl.glyphs import FONTS  # the pinned fonts as data: asking the version loads no font or Pillow
from diagram_dsl.model import FlowModel
from diagram_dsl.renderers.base import Rendered, RenderError, RenderOptions, RenderSession, nullsession, register

if TYPE_CHECKING:
    from diagram_dsl.renderers.native.scene import Layout

# The layout engine and the canvases are imported when something is drawn, not when the renderer is only asked
# for its version (what `check` does to compare with the manifest).

__all__ = ["NativeRenderer", "layout_flow", "preload", "render_flow"]

RENDERER_VERSION = "0.1.0"
MAX_SCALE = 8.0


def preload() -> None:
    """Import the layout engine and the canvases (a build does this before it forks its render workers)."""
    import diagram_dsl.renderers.native.layout
    import diagram_dsl.renderers.native.png
    import diagram_dsl.renderers.native.svg
    import diagram_dsl.renderers.native.theme  # noqa: F401 - imported for their side effect: loaded once


def layout_flow(flow: FlowModel, options: RenderOptions) -> Layout:
    from diagram_dsl.renderers.native.layout import layout_diagram
    from diagram_dsl.renderers.native.theme import theme_named

    return layout_diagram(flow.diagram, theme_named(options.theme), wrap_width=options.wrap_width,
                          highlights=dict(options.highlights))


def render_flow(flow: FlowModel, options: RenderOptions) -> Rendered:
    from diagram_dsl.renderers.native.png import render_png
    from diagram_dsl.renderers.native.svg import render_svg
    from diagram_dsl.renderers.native.theme import THEMES

    where = str(flow.metadata.location)
    if not 0 < options.scale <= MAX_SCALE:
        raise RenderError(f"{where}: scale {options.scale} is out of range; use a value in (0, {MAX_SCALE:g}]")
    if options.theme not in THEMES:
        raise RenderError(f"{where}: theme {options.theme!r} is unknown; use one of {', '.join(THEMES)}")
    if options.wrap_width < 40:
        raise RenderError(f"{where}: wrap width {options.wrap_width} is too small; use at least 40")
    layout = layout_flow(flow, options)
    try:
        png = render_png(layout, options.scale) if "png" in options.pictures else b""
    except ValueError as error:
        raise RenderError(f"{where}: {error}") from None
    svg = render_svg(layout, flow.metadata.title, flow.metadata.description) if "svg" in options.pictures else b""
    return Rendered(png=png, svg=svg)


class NativeRenderer:
    name = "native"

    def version(self) -> str:
        # Pillow's FreeType draws the PNG pixels and zlib-ng compresses them, HarfBuzz shapes the advances and
        # the embedded font subsets, brotli compresses those: their versions are part of ours, and so are the fonts'.
        fonts = ", ".join(f"{font.family} {font.version}" for font in FONTS)
        tools = ", ".join(f"{name} {importlib.metadata.version(name)}"
                          for name in ("pillow", "zlib-ng", "uharfbuzz", "brotli"))
        return f"native {RENDERER_VERSION} ({fonts}; {tools})"

    def session(self, options: RenderOptions) -> contextlib.AbstractContextManager[RenderSession]:
        return nullsession(lambda flow: render_flow(flow, options))


register("native", NativeRenderer)
