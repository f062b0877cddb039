"""The Sphinx extension: ``.. sequence-flow:: 4`` embeds a validated flow; findings are warnings at the directive.

Turn it on in conf.py::

    extensions = ["diagram_dsl.sphinx"]

Options: ``:alt:``, ``:caption:``, ``:theme:`` (light | dark), ``:format:`` (svg | png), ``:width:``. Without
``:format:`` each builder takes what it shows best: HTML the SVG, LaTeX the PNG. The flow's source is a
dependency of the page (editing it rebuilds the page); ``.. image::`` links to generated pictures are checked
against their section like ``diagram-dsl check`` does. Settings (conf.py): ``diagram_dsl_root`` (default: the
nearest folder with a pyproject.toml at or above conf.py), ``diagram_dsl_fail_on`` ("error" or "warning"),
``diagram_dsl_renderer`` (default: the project's).

A project with light and dark pictures (``theme = ["light", "dark"]``) gets both in HTML, marked ``only-light`` /
``only-dark``: Furo and the PyData theme (and themes built on it) show the one matching the reader's colour
scheme; on a theme with no dark mode the stylesheet added here shows the light one. Other builders get the light
picture.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from diagram_dsl.sphinx.directive import SequenceFlowDirective
from diagram_dsl.sphinx.links import GeneratedPictureLinks


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("diagram_dsl_root", None, "env", types=(str, type(None)))
    app.add_config_value("diagram_dsl_fail_on", "error", "env", types=(str,))
    app.add_config_value("diagram_dsl_renderer", None, "env", types=(str, type(None)))
    app.add_directive("sequence-flow", SequenceFlowDirective)
    app.add_transform(GeneratedPictureLinks)
    app.connect("builder-inited", _add_stylesheet)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}


def _add_stylesheet(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(Path(__file__).with_name("static")))
        app.add_css_file("diagram-dsl.css")
