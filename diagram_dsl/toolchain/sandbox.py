"""Every PlantUML run is sandboxed: diagram text never reads a file, a URL or the environment.

Markdown blocks and hand-written diagrams are untrusted. PlantUML's preprocessor can read files
(``!include``, ``%load_json``, ``<img:file:...>``), fetch URLs and read environment variables
(``%getenv``), and an ``!assert`` message prints whatever it read. PlantUML's ``SANDBOX`` security
profile forbids all of it (``%getenv`` answers an empty string, ``!include`` fails with
"cannot include").

PlantUML 1.2026.8 reads its settings through ``SecurityUtils.getenv``: the Java system property
first, then the environment variable of the same name. So the profile is given both ways, and the
JVM option variables are removed from the child's environment: ``_JAVA_OPTIONS`` is applied after
the command line and could otherwise set the profile back to ``UNSECURE``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

SECURITY_PROFILE = "SANDBOX"
_SETTINGS = {
    "PLANTUML_SECURITY_PROFILE": SECURITY_PROFILE,
    # A `[[javascript:...]]` link would run code in whatever opens the SVG.
    "PLANTUML_ALLOW_JAVASCRIPT_IN_LINK": "false",
}
# Variables through which the environment passes options to every JVM (the first one overrides ours).
_JVM_OPTION_VARIABLES = ("_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")


def sandbox_properties() -> list[str]:
    """``-D`` options for the ``java`` command line, before ``-jar``."""
    return [f"-D{name}={value}" for name, value in _SETTINGS.items()]


def sandbox_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a PlantUML JVM: ``base`` (default: ours) with the sandbox set and no JVM option variables."""
    env = {name: value for name, value in (os.environ if base is None else base).items()
           if name not in _JVM_OPTION_VARIABLES}
    env.update(_SETTINGS)
    return env
