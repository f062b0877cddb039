"""The ``diagram-dsl`` command line. Each command lives in its own module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from diagram_dsl.errors import DiagramDslError


class _Group(click.Group):
    """Turns our located errors into one-line messages with exit code 1 — never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DiagramDslError as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Project root: the folder holding sources/ and generated-diagrams/.")
@click.version_option(package_name="diagram-dsl")
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    """Sequence diagrams as checked code.

    \b
    Example:
      diagram-dsl list
      diagram-dsl new "Order Refund"
    """
    ctx.obj = root


def _register() -> None:
    # Imported here so each command module can import `main`-free helpers without cycles.
    from diagram_dsl.cli import cmd_check, cmd_convert, cmd_docs, cmd_emit, cmd_list, cmd_new

    for module in (cmd_list, cmd_new, cmd_docs, cmd_emit, cmd_check, cmd_convert):
        main.add_command(module.command)


_register()
