"""``diagram-dsl build``: render every changed flow into generated-diagrams/."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import click

from diagram_dsl.build import run_build
from diagram_dsl.cli.common import require_project
from diagram_dsl.project import THEMES
from diagram_dsl.renderers.base import RenderOptions, renderer_names

WARNINGS_SHOWN = 5


@click.command("build")
@click.option("--renderer", type=click.Choice(["native", "plantuml", "mermaid"]), default=None,
              help="native needs only Python; plantuml and mermaid drive the real tools (default: the project's "
                   "[tool.diagram-dsl] renderer, else native).")
@click.option("--force", is_flag=True, help="Rebuild every flow even when nothing changed.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Parallel workers (default: all cores).")
@click.option("--scale", type=click.FloatRange(min=0.25, max=8), default=1.0, show_default=True,
              help="PNG pixel density (2 for high-DPI screens).")
@click.option("--wrap-width", type=click.IntRange(min=60), default=260, show_default=True,
              help="Wrap labels wider than this many logical pixels (native renderer).")
@click.option("--theme", "themes", type=click.Choice(THEMES), multiple=True,
              help="Colour theme of the pictures; repeat for several, the first under the plain names "
                   "(default: the project's [tool.diagram-dsl] theme, else light).")
@click.option("--plantuml-server", envvar="PLANTUML_SERVER", default=None,
              help="Use this PlantUML server instead of starting one (env PLANTUML_SERVER).")
@click.option("--mermaid-ink-server", envvar="MERMAID_INK_SERVER", default=None,
              help="Render Mermaid through this mermaid.ink-compatible server (env MERMAID_INK_SERVER).")
@click.pass_obj
def command(root: Path, renderer: str | None, force: bool, jobs: int | None, scale: float, wrap_width: int,
            themes: tuple[str, ...], plantuml_server: str | None, mermaid_ink_server: str | None) -> None:
    """Validate, emit and render every flow whose source or the code changed.

    Writes generated-diagrams/sequence-diagram-solutions/<n>-<slug>.{png,svg,puml,mmd}, the build
    manifest and sequence-diagram-solutions.md. Flows with validator errors are not rendered; the
    others still are, and the command exits 1. Warnings are counted and the first few shown; they
    never fail a build. A --renderer other than the project's ([tool.diagram-dsl] renderer) draws a
    preview into a git-ignored folder beside the outputs and leaves the committed files alone.

    \b
    Example:
      diagram-dsl build
      diagram-dsl build --renderer plantuml --force
    """
    project = require_project(root)
    if themes:
        project = dataclasses.replace(project, themes=tuple(dict.fromkeys(themes)))
    renderer = renderer or project.renderer
    if renderer not in renderer_names():
        raise click.ClickException(f"renderer {renderer!r} is not available in this installation")
    interactive = sys.stdout.isatty() and os.environ.get("CI", "") != "true"

    def progress(line: str, done: int, total: int) -> None:
        counted = f"[{done}/{total}] {line}" if total else line
        if not interactive:
            click.echo(counted)
        elif total:
            filled = round(24 * done / total)
            click.echo(f"\r\x1b[2K[{'#' * filled}{'.' * (24 - filled)}] {done}/{total} {line}", nl=False)
        else:
            click.echo(f"\r\x1b[2K{line}")

    options = RenderOptions(scale=scale, wrap_width=wrap_width, plantuml_server=plantuml_server,
                            mermaid_ink_server=mermaid_ink_server)
    report = run_build(project, renderer_name=renderer, options=options, jobs=jobs, force=force, progress=progress)
    if interactive:
        click.echo("\r\x1b[2K", nl=False)
    for line in report.failed + report.notes:
        click.echo(line, err=True)
    if report.warnings:
        shown = report.warnings[:WARNINGS_SHOWN]
        more = len(report.warnings) - len(shown)
        click.echo(f"{len(report.warnings)} warning(s) in the flows built" + (
            f" (first {len(shown)}; `diagram-dsl check` lists all)" if more else "") + ":", err=True)
        for line in shown:
            click.echo(f"  {line}", err=True)
    click.echo(report.summary())
    if not report.ok:
        raise click.exceptions.Exit(1)
