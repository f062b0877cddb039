"""``diagram-dsl emit``: print one flow as PlantUML or Mermaid text."""

from __future__ import annotations

from pathlib import Path

import click

from diagram_dsl.catalog import LoadedFlow, load_catalog, load_flow_file
from diagram_dsl.cli.common import report_load_errors, require_project
from diagram_dsl.emit import EMITTERS


def _find(root: Path, key: str) -> LoadedFlow:
    if key.endswith(".py") and Path(key).is_file():
        return load_flow_file(Path(key))
    project = require_project(root)
    catalog = load_catalog(project)
    flow = catalog.find(key)
    if flow is None:
        report_load_errors(catalog)  # the flow may be one that failed to load: say why, exit 1
        known = ", ".join(str(f.metadata.number) for f in catalog.flows) or "none"
        raise click.ClickException(f"no flow {key!r} in {project.sources_dir} (numbers: {known}); "
                                   "give a number, slug, <n>-<slug> stem or a .py file")
    return flow


@click.command("emit")
@click.option("--format", "fmt", type=click.Choice(sorted(EMITTERS)), required=True,
              help="Target language.")
@click.argument("flow")
@click.pass_obj
def command(root: Path, fmt: str, flow: str) -> None:
    """Print FLOW (a number, slug, <n>-<slug> stem or source file) as PlantUML or Mermaid text.

    \b
    Example:
      diagram-dsl emit --format plantuml 1
      diagram-dsl emit --format mermaid simple-login-sequence > login.mmd
    """
    loaded = _find(root, flow)
    click.echo(EMITTERS[fmt](loaded.model.diagram), nl=False)
