"""``[tool.diagram-dsl]``: this repository's layout by default, every path configurable and kept inside the root."""

from __future__ import annotations

import textwrap
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner

from diagram_dsl.build import run_build
from diagram_dsl.cli import main
from diagram_dsl.project import (
    DEFAULT_MANIFEST,
    DEFAULT_OUTPUT,
    DEFAULT_PAGE,
    DEFAULT_SOURCES,
    ConfigError,
    load_project,
)

FLOW = '''from diagram_dsl import Flow, Scores

flow = Flow(number=1, title="Ping Pong", description="One call and its reply.",
            scores=Scores(solution_quality=5, implementation_difficulty=2, performance_level="High"),
            when_to_use=["always"], important_points=["none"])
a, b = flow.participant("A"), flow.participant("B")
a.call(b, "ping").reply("pong")
'''


def _project(tmp_path: Path, table: str, sources: str = "sources") -> Path:
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(table), encoding="utf-8")
    (tmp_path / sources).mkdir(parents=True, exist_ok=True)
    (tmp_path / sources / "01_ping_pong.py").write_text(FLOW, encoding="utf-8")
    return tmp_path


def test_defaults_are_this_repositorys_layout(tmp_path: Path) -> None:
    project = load_project(tmp_path)  # no pyproject.toml at all
    assert project.sources == PurePosixPath(DEFAULT_SOURCES) == PurePosixPath("sources")
    assert project.output == PurePosixPath(DEFAULT_OUTPUT) == PurePosixPath(
        "generated-diagrams/sequence-diagram-solutions")
    assert project.manifest == PurePosixPath(DEFAULT_MANIFEST) == PurePosixPath("generated-diagrams/.manifest.json")
    assert project.page is not None and project.page.path == PurePosixPath(DEFAULT_PAGE)
    assert project.formats == ("png", "svg", "puml", "mmd")
    assert (project.renderer, project.themes[0]) == ("native", "light")
    assert project.output_settings_key() == ""


def test_a_configured_project_builds_into_its_own_folders(tmp_path: Path) -> None:
    root = _project(tmp_path, """
        [tool.diagram-dsl]
        sources = "flows"
        output = "docs/img/flows"
        formats = ["svg", "png"]
        [tool.diagram-dsl.catalog-page]
        path = "docs/flows.md"
        title = "Payments flows"
        intro = "{count} flow(s) of the payments team."
        """, sources="flows")
    report = run_build(root)
    assert report.ok, report.failed
    assert sorted(p.name for p in (root / "docs/img/flows").iterdir()) == [
        ".manifest.json", "1-ping-pong.png", "1-ping-pong.svg"]
    page = (root / "docs/flows.md").read_text(encoding="utf-8")
    assert "# Payments flows" in page and "1 flow(s) of the payments team." in page
    assert "showcasing common architectural patterns" not in page
    assert '<img src="img/flows/1-ping-pong.png"' in page  # relative to the page, not the root
    assert not (root / "generated-diagrams").exists() and not (root / DEFAULT_PAGE).exists()
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    assert result.exit_code == 0, result.output


def test_no_catalog_page(tmp_path: Path) -> None:
    root = _project(tmp_path, """
        [tool.diagram-dsl]
        catalog-page = false
        """)
    assert run_build(root).ok
    assert not (root / DEFAULT_PAGE).exists()
    assert CliRunner().invoke(main, ["--root", str(root), "check"]).exit_code == 0


def test_changing_an_output_setting_makes_outputs_stale(tmp_path: Path) -> None:
    root = _project(tmp_path, "[tool.diagram-dsl]\n")
    assert run_build(root).ok
    (root / "pyproject.toml").write_text('[tool.diagram-dsl.catalog-page]\ntitle = "Renamed"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    assert result.exit_code == 1 and "OUT301" in result.output
    assert run_build(root).built == ["sources/01_ping_pong.py"]
    assert "# Renamed" in (root / DEFAULT_PAGE).read_text(encoding="utf-8")


@pytest.mark.parametrize(("table", "key", "line"), [
    ('[tool.diagram-dsl]\noutput = "../elsewhere"\n', "output", 2),
    ('[tool.diagram-dsl]\n\nsources = "/etc"\n', "sources", 3),
    ('[tool.diagram-dsl]\nmanifest = "C:\\\\x.json"\n', "manifest", 2),
    ('[tool.diagram-dsl]\nformats = ["png", "gif"]\n', "formats", 2),
    ('[tool.diagram-dsl]\nrenderer = "graphviz"\n', "renderer", 2),
    ('[tool.diagram-dsl]\ntheme = "neon"\n', "theme", 2),
    ('[tool.diagram-dsl]\ntheme = ["dark", "dark"]\n', "theme", 2),
    ('[tool.diagram-dsl]\nload-timeout = -1\n', "load-timeout", 2),
    ('[tool.diagram-dsl]\nload-timeout = true\n', "load-timeout", 2),
    ('[tool.diagram-dsl]\ndocs-exclude = "x"\n', "docs-exclude", 2),
    ('[tool.diagram-dsl]\nsourcez = "x"\n', "sourcez", 2),
    ('[tool.diagram-dsl]\noutput = "sources/out"\n', "output", 2),
    ('[tool.diagram-dsl.catalog-page]\npath = "page.html"\n', "catalog-page", 1),
    ('[tool.diagram-dsl]\ncatalog-page = "yes"\n', "catalog-page", 2),
])
def test_bad_settings_are_located_errors(tmp_path: Path, table: str, key: str, line: int) -> None:
    (tmp_path / "pyproject.toml").write_text(table, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_project(tmp_path)
    assert key in raised.value.message
    assert raised.value.location is not None and raised.value.location.line == line
    (tmp_path / "sources").mkdir()
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "build"])
    assert result.exit_code == 1 and f"pyproject.toml:{line}:" in result.output
    assert "Traceback" not in result.output


def test_broken_toml_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.diagram-dsl]\noutput = \n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_project(tmp_path)
    assert raised.value.location is not None and raised.value.location.line == 2


def test_the_configured_renderer_is_the_build_default(tmp_path: Path) -> None:
    root = _project(tmp_path, '[tool.diagram-dsl]\nrenderer = "native"\n')
    assert load_project(root).renderer == "native"
    assert "renderer" in load_project(root).configured


def test_every_theme_has_its_own_pictures(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path, '[tool.diagram-dsl]\ntheme = ["light", "dark"]\n'))
    assert project.themes == ("light", "dark")
    from diagram_dsl.catalog import load_catalog

    meta = load_catalog(project).flows[0].metadata
    names = sorted(path.name for path in project.output_files(meta).values())
    assert names == ["1-ping-pong.dark.png", "1-ping-pong.dark.svg", "1-ping-pong.mmd", "1-ping-pong.png",
                     "1-ping-pong.puml", "1-ping-pong.svg"]
