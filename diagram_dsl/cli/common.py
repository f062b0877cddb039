"""Small helpers shared by the commands."""

from __future__ import annotations

from pathlib import Path

import click

from diagram_dsl.catalog import Catalog
from diagram_dsl.project import Project, load_project


def require_project(root: Path) -> Project:
    """The project at ``root``; stop with one line when it has no sources folder, instead of finding no flows."""
    project = load_project(root)
    if not project.sources_dir.is_dir():
        raise click.ClickException(f"{project.root} has no {project.sources}/ folder: run inside a diagram-dsl "
                                   'project or pass --root PATH (`diagram-dsl init` or `diagram-dsl new "Title"` '
                                   "starts one)")
    return project


def report_load_errors(catalog: Catalog) -> None:
    """Print each flow that failed to load as ``file:line: error ...`` and exit 1 if there were any."""
    for error in catalog.errors:
        click.echo(f"{error.location}: error: {error.message}" + (f" ({error.hint})" if error.hint else ""),
                   err=True)
    if catalog.errors:
        raise click.exceptions.Exit(1)
