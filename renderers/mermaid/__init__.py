"""The ``mermaid`` renderer: real mermaid.js in the system Chromium through mermaid-cli (one browser per build).

With ``--mermaid-ink-server URL`` / ``$MERMAID_INK_SERVER`` it asks a mermaid.ink-compatible server instead.
Install the local pieces with ``make tools-mermaid-cli`` (``python -m diagram_dsl.renderers.mermaid.install``).
"""

from __future__ import annotations

import contextlib
import os

from diagram_dsl.renderers.base import RenderOptions, RenderSession, register
from diagram_dsl.renderers.mermaid.locate import SERVER_ENV, describe_versions


class MermaidRenderer:
    name = "mermaid"

    def version(self) -> str:
        """E.g. ``mermaid-cli 12.2.0 (mermaid 12.3.0, chromium 156.0.8078.79, script 1a2b3c4d)``; never raises."""
        server = os.environ.get(SERVER_ENV)
        if server:
            return f"mermaid (mermaid.ink server {server})"
        return describe_versions()

    def session(self, options: RenderOptions) -> contextlib.AbstractContextManager[RenderSession]:
        # Imported here: a build with nothing to render never loads requests, mermaid-py or Pillow.
        from diagram_dsl.renderers.mermaid.session import mermaid_session

        return mermaid_session(options)


register("mermaid", MermaidRenderer)
