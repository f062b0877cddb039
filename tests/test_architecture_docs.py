"""docs/architecture.md shows flows of this repository, built and checked like the catalog: they cannot drift."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from diagram_dsl.catalog import load_catalog
from diagram_dsl.cli import main

REPO = Path(__file__).resolve().parents[1]
PROJECT = REPO / "docs" / "architecture"
PAGE = REPO / "docs" / "architecture.md"


def _check(root: Path, *paths: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), "check", *paths])


def test_the_architecture_flows_are_valid_and_their_pictures_current() -> None:
    result = _check(PROJECT)
    assert result.exit_code == 0, result.output
    assert "checked 2 flow(s)" in result.output


def test_the_page_embeds_every_architecture_flow_through_a_checked_link() -> None:
    catalog = load_catalog(PROJECT)
    assert not catalog.errors
    text = PAGE.read_text(encoding="utf-8")
    linked = set(re.findall(r"!\[[^\]]*\]\(architecture/diagrams/([^)]+)\.png\)", text))
    assert linked == {f"{flow.metadata.number}-{flow.metadata.slug}" for flow in catalog.flows}
    assert all((PROJECT / "diagrams" / f"{stem}.png").is_file() for stem in linked)
    result = _check(PROJECT, str(PAGE))
    assert result.exit_code == 0, result.output


def test_a_drifted_architecture_link_fails_the_check(tmp_path: Path) -> None:
    shutil.copytree(PROJECT, tmp_path / "architecture")
    page = tmp_path / "architecture.md"
    page.write_text(PAGE.read_text(encoding="utf-8").replace("1-build-pipeline.png", "1-build-pipelines.png"),
                    encoding="utf-8")
    result = _check(tmp_path / "architecture", str(page))
    assert result.exit_code == 1 and "DOC20" in result.output
