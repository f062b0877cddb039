"""Small helpers shared by the commands."""

from __future__ import annotations

from pathlib import Path

import click

from diagram_dsl.catalog import SOURCES_DIR, Catalog


def require_project(root: Path) -> None:
    """Stop with one line when ``root`` holds no sources/ folder, instead of quietly finding no flows."""
    if not (root / SOURCES_DIR).is_dir():
        raise click.ClickException(f"{root.resolve()} has no {SOURCES_DIR}/ folder: run inside a diagram-dsl project "
                                   'or pass --root PATH (`diagram-dsl new "Title"` starts one)')


def report_load_errors(catalog: Catalog) -> None:
    """Print each flow that failed to load as ``file:line: error ...`` and exit 1 if there were any."""
    for error in catalog.errors:
        click.echo(f"{error.location}: error: {error.message}" + (f" ({error.hint})" if error.hint else ""),
                   err=True)
    if catalog.errors:
        raise click.exceptions.Exit(1)
