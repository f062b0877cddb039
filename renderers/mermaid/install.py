"""``python -m diagram_dsl.renderers.mermaid.install`` (``make tools-mermaid-cli``): Chromium + the npm tools."""

from __future__ import annotations

import sys

from diagram_dsl.renderers.mermaid.locate import describe_versions, install
from diagram_dsl.toolchain import ToolError, tools_dir
from diagram_dsl.toolchain.chromium import chromium_executable


def main() -> int:
    try:
        install()
    except ToolError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"chromium     {chromium_executable()}")
    print(f"mermaid-cli  {tools_dir() / 'node_modules'}")
    print(f"version      {describe_versions()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
