"""``diagram-dsl list``: what the catalog holds."""

from __future__ import annotations

from pathlib import Path

import click

from diagram_dsl.catalog import load_catalog
from diagram_dsl.cli.common import report_load_errors, require_project


@click.command("list")
@click.pass_obj
def command(root: Path) -> None:
    """List the flows in sources/: number, title, slug, participants, messages.

    \b
    Example:
      diagram-dsl list
    """
    catalog = load_catalog(require_project(root))
    rows = [("#", "title", "slug", "participants", "messages")]
    for flow in catalog.flows:
        meta, diagram = flow.metadata, flow.model.diagram
        rows.append((str(meta.number), meta.title, meta.slug, str(len(diagram.participants)),
                     str(len(diagram.messages()))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    report_load_errors(catalog)
