"""``diagram-dsl docs``: regenerate the catalog page from the flows' metadata, or check it is current."""

from __future__ import annotations

from pathlib import Path

import click

from diagram_dsl.catalog import load_catalog
from diagram_dsl.catalog_page import render_catalog_page
from diagram_dsl.cli.common import report_load_errors, require_project
from diagram_dsl.fsutil import atomic_write_text, read_regular_file


@click.command("docs")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the page on disk is out of date.")
@click.pass_obj
def command(root: Path, check: bool) -> None:
    """Write the catalog page (sequence-diagram-solutions.md): index, one section per flow, selection guides.

    \b
    Example:
      diagram-dsl docs
      diagram-dsl docs --check
    """
    project = require_project(root)
    if project.page_path is None:
        raise click.ClickException("this project has no catalog page ([tool.diagram-dsl] catalog-page = false)")
    catalog = load_catalog(project)
    # A flow that fails to load would silently vanish from the page, so refuse instead.
    report_load_errors(catalog)
    text = render_catalog_page(catalog)
    path = project.page_path
    if check:
        try:
            data = read_regular_file(path)
        except OSError as error:  # a folder, FIFO or unreadable file where the page should be
            raise click.ClickException(f"{path}: cannot read the catalog page: {error.strerror or error}") from None
        current = None if data is None else data.decode("utf-8", errors="replace")
        if current != text:
            state = "is missing" if current is None else "is out of date"
            click.echo(f"{path}: error: {state}; run `diagram-dsl docs` and commit it", err=True)
            raise click.exceptions.Exit(1)
        click.echo(f"{path} is up to date ({len(catalog.flows)} flows)")
        return
    try:
        changed = atomic_write_text(path, text)
    except OSError as error:
        raise click.ClickException(f"{path}: cannot write: {error.strerror or error}") from None
    click.echo(f"{'wrote' if changed else 'unchanged'} {path} ({len(catalog.flows)} flows)")
