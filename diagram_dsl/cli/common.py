"""Small helpers shared by the commands."""

from __future__ import annotations

import click

from diagram_dsl.catalog import Catalog


def report_load_errors(catalog: Catalog) -> None:
    """Print each flow that failed to load as ``file:line: error ...`` and exit 1 if there were any."""
    for error in catalog.errors:
        click.echo(f"{error.location}: error: {error.message}" + (f" ({error.hint})" if error.hint else ""),
                   err=True)
    if catalog.errors:
        raise click.exceptions.Exit(1)
