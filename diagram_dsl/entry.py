"""The ``diagram-dsl`` command's entry point: Ctrl-C at any moment ends it like Ctrl-C during a command.

The command line handles Ctrl-C once click runs its command (``diagram_dsl.cli``); an interrupt that arrives
while Python is still importing it would otherwise end in a ``KeyboardInterrupt`` traceback. Only the small
errors module is imported here at module level, so the guard is in place before anything slow runs.
"""

from __future__ import annotations

import sys

from diagram_dsl.errors import INTERRUPTED


def run() -> None:
    try:
        from diagram_dsl.cli import main

        main()
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted before anything was written\n")
        sys.exit(INTERRUPTED)
