"""``diagram-dsl watch``: the live preview's loop in a terminal, for working without a browser."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click


@click.command("watch")
@click.argument("flows", nargs=-1)
@click.option("--build/--no-build", default=True, show_default=True,
              help="After each save, rebuild the outputs that changed (an incremental `diagram-dsl build`).")
@click.pass_obj
def command(root: Path, flows: tuple[str, ...], build: bool) -> None:
    """Recheck flows every time one is saved: findings in the terminal, outputs rebuilt.

    Follows every flow of the project (or the FLOWs given: files anywhere, or numbers, slugs or file
    names of the project's flows). Each save prints that flow's findings as file:line lines, with the
    DSL fix where there is one, or the line where it stops loading. Ctrl-C stops it.

    \b
    Example:
      diagram-dsl watch
      diagram-dsl watch sources/21_order_refund.py --no-build
    """
    from diagram_dsl.preview.targets import TargetError, resolve_targets
    from diagram_dsl.preview.terminal import run_watch

    try:
        targets = resolve_targets(root, flows)
    except TargetError as error:
        raise click.UsageError(str(error)) from None
    in_project = targets.folder is not None or all(path.is_relative_to(targets.root / "") for path in targets.files)
    try:
        asyncio.run(run_watch(targets, build=build and in_project, echo=click.echo))
    except KeyboardInterrupt:
        click.echo("watch stopped")
        raise click.exceptions.Exit(130) from None
