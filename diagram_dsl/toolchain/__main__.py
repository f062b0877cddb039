"""``python -m diagram_dsl.toolchain install|where``: what ``make tools`` runs."""

from __future__ import annotations

import sys

from diagram_dsl.toolchain.locate import (
    install_tools,
    java_executable,
    node_executable,
    plantuml_jar,
    plantuml_version,
    tools_dir,
)
from diagram_dsl.toolchain.results import ToolError


def main(argv: list[str]) -> int:
    if argv not in (["install"], ["where"]):
        print("usage: python -m diagram_dsl.toolchain install|where", file=sys.stderr)
        return 2
    try:
        if argv == ["install"]:
            install_tools()
        print(f"java      {java_executable()}")
        print(f"node      {node_executable()}")
        print(f"tools     {tools_dir()}")
        print(f"plantuml  {plantuml_version()}  {plantuml_jar()}")
    except ToolError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
