"""The ``diagram-dsl`` command line. Each command lives in its own module."""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import os
import signal
from pathlib import Path
from typing import Any

import click

from diagram_dsl.errors import INTERRUPTED, DiagramDslError

# Command name -> module; a module is imported only when its command runs, so `diagram-dsl build`
# with nothing to do never pays for networkx, Pillow or the tool clients.
_COMMANDS = {
    "init": "cmd_init",
    "list": "cmd_list",
    "new": "cmd_new",
    "build": "cmd_build",
    "check": "cmd_check",
    "emit": "cmd_emit",
    "docs": "cmd_docs",
    "convert": "cmd_convert",
    "diff": "cmd_diff",
    "serve": "cmd_serve",
    "watch": "cmd_watch",
}


class _Group(click.Group):
    """Loads commands lazily and turns our located errors into one-line messages — never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = _COMMANDS.get(cmd_name)
        if module_name is None:
            return None
        module = importlib.import_module(f"diagram_dsl.cli.{module_name}")
        command: click.Command = module.command
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DiagramDslError as error:
            raise click.ClickException(str(error)) from None
        except (KeyboardInterrupt, click.exceptions.Abort):
            # Ctrl-C: whatever was being written is either finished or removed; say so and exit like a shell does.
            click.echo("\ninterrupted; nothing was half-written (run the command again to finish)", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None
        except (click.ClickException, click.exceptions.Exit):
            raise
        except (importlib.metadata.PackageNotFoundError, ModuleNotFoundError) as error:
            # A dependency missing from this environment is a broken install, not a bug: say how to repair it.
            missing = error.name if isinstance(error, ModuleNotFoundError) else error.args[0] if error.args else "?"
            raise click.ClickException(f"this installation of diagram-dsl lacks its dependency {missing!r}; "
                                       "reinstall it (`make venv` in its repository, or `pip install diagram-dsl`)"
                                       ) from None
        except Exception as error:
            if os.environ.get("DIAGRAM_DSL_DEBUG"):
                raise
            click.echo(f"internal error: {type(error).__name__}: {error} — this is a diagram-dsl bug; rerun with "
                       "DIAGRAM_DSL_DEBUG=1 for the traceback and report it", err=True)
            raise click.exceptions.Exit(70) from None


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
    _write_errors_not_signals()
    ctx.obj = root


def _write_errors_not_signals() -> None:
    """Past the file-size limit (``ulimit -f``) the kernel kills the writer with SIGXFSZ unless it is ignored; ignored,
    the write fails with EFBIG, which the build reports as one line naming the file."""
    if hasattr(signal, "SIGXFSZ"):
        with contextlib.suppress(ValueError):  # not the main thread (an embedding app): leave signals alone
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
