"""The built wheel works on its own: a fresh virtualenv outside the repository, an empty repository, four commands.

This is what a new team does: `pip install diagram-dsl`, `diagram-dsl init`, `new`, `build`, `check`. It also
proves the wheel installs no generic top-level name (``renderers`` lives at ``diagram_dsl.renderers``) and carries
the font licences.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check", "-w", str(out),
          str(REPO)], cwd=out)
    (built,) = out.glob("diagram_dsl-*.whl")
    return built


def test_the_wheel_installs_one_top_level_package_and_the_font_licences(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/", 1)[0] for name in names if not name.split("/", 1)[0].endswith(".dist-info")}
    assert top_level == {"diagram_dsl"}
    assert "diagram_dsl/renderers/native/layout.py" in names
    assert "diagram_dsl/renderers/native/licenses/Inter-OFL-1.1.txt" in names
    # Files the package reads at run time besides its modules: the preview page's assets, Sphinx's stylesheet.
    assert {"diagram_dsl/preview/static/preview.js", "diagram_dsl/sphinx/static/diagram-dsl.css"} <= set(names)
    assert not any(name.startswith(("tests/", "sources/", "renderers/")) for name in names)


def test_a_fresh_repository_works_from_the_wheel(wheel: Path, tmp_path: Path) -> None:
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    python = environment / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)], cwd=tmp_path)
    tool = environment / "bin" / "diagram-dsl"
    repository = tmp_path / "payments"
    repository.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    _run(["git", "init", "-q"], cwd=repository, env=env)
    _run([str(tool), "init", "--title", "Payments flows"], cwd=repository, env=env)
    _run([str(tool), "new", "Partial Refund"], cwd=repository, env=env)
    built = _run([str(tool), "build"], cwd=repository, env=env)
    assert "built 2" in built.stdout
    _run([str(tool), "check"], cwd=repository, env=env)
    outputs = sorted(p.name for p in (repository / "docs" / "diagrams").iterdir())
    assert outputs == [".manifest.json", "1-example-request.mmd", "1-example-request.png", "1-example-request.puml",
                       "1-example-request.svg", "2-partial-refund.mmd", "2-partial-refund.png",
                       "2-partial-refund.puml", "2-partial-refund.svg"]
    page = (repository / "docs" / "sequence-diagrams.md").read_text(encoding="utf-8")
    assert "# Payments flows" in page and '<img src="diagrams/2-partial-refund.png"' in page
    assert "showcasing common architectural patterns" not in page  # this catalog's intro stays in this repository
    assert not (repository / "generated-diagrams").exists() and not (repository / "sources").exists()
    # The installed package is the wheel's, not this checkout's, and "renderers" is not a top-level name.
    probe = _run([str(python), "-c", "import importlib.util, diagram_dsl; print(diagram_dsl.__file__); "
                  "print(importlib.util.find_spec('renderers'))"], cwd=tmp_path, env=env)
    location, renderers_spec = probe.stdout.split()
    assert Path(location).is_relative_to(environment) and renderers_spec == "None"
