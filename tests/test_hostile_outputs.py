"""A build never destroys what the project did not write (issue #12 §4).

Orphan cleanup deletes only outputs the manifest says the build wrote (and that still hold what it
wrote), directly inside the output folder, never through a symlink. A flow that fails to load keeps
its outputs — also when the manifest cannot be read — and its section on the catalog page.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hostile_support import MANIFEST, OUT, PAGE, cli, good_flow, outputs

from diagram_dsl.build import run_build
from diagram_dsl.checks.outputs import check_outputs
from diagram_dsl.project import load_project

CONFLICTED = '''<<<<<<< HEAD
{"format": 1, "renderer": "native"}
=======
{"format": 1, "renderer": "native", "flows": {}}
>>>>>>> feature
'''


def _codes(root: Path) -> list[tuple[str, str]]:
    return [(f.location.file, f.code) for f in check_outputs(load_project(root))]


def _rename_flow_2(root: Path) -> None:
    good_flow(root, 2, "Beta Renamed")


def test_foreign_files_in_the_output_folder_survive(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    good_flow(tmp_path, 2, "Beta Flow")
    assert run_build(tmp_path, jobs=1).ok
    folder = tmp_path / OUT
    foreign = {"README.md": b"# what these are\n", "notes.txt": b"n", ".gitkeep": b"", "logo.png": b"\x89PNG",
               "1-alpha-flow.png.bak": b"old"}
    for name, data in foreign.items():
        (folder / name).write_bytes(data)
    (folder / "drafts").mkdir()
    (folder / "drafts" / "2-beta-flow.png").write_bytes(b"draft")
    _rename_flow_2(tmp_path)
    report = run_build(tmp_path, jobs=1)
    assert report.ok and sorted(report.removed) == [f"{OUT}/2-beta-flow.{ext}" for ext in ("mmd", "png", "puml", "svg")]
    for name, data in foreign.items():
        assert (folder / name).read_bytes() == data, name
    assert (folder / "drafts" / "2-beta-flow.png").read_bytes() == b"draft"
    assert _codes(tmp_path) == []  # foreign files are not this tool's business
    assert cli(tmp_path, "check").exit_code == 0


def test_an_output_the_user_replaced_is_not_deleted(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    good_flow(tmp_path, 2, "Beta Flow")
    assert run_build(tmp_path, jobs=1).ok
    (tmp_path / OUT / "2-beta-flow.png").write_bytes(b"my own picture now")
    _rename_flow_2(tmp_path)
    report = run_build(tmp_path, jobs=1)
    assert (tmp_path / OUT / "2-beta-flow.png").read_bytes() == b"my own picture now"
    assert any("2-beta-flow.png: note: not removed" in note for note in report.notes)
    assert (f"{OUT}/2-beta-flow.png", "OUT302") in _codes(tmp_path)  # still reported: it looks like an output


def test_a_symlinked_output_folder_never_loses_foreign_files(tmp_path: Path) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "shared-pictures"
    elsewhere.mkdir()
    foreign = {"team-photo.png": b"photo", "9-someone-elses.png": b"theirs", "README.md": b"shared folder"}
    for name, data in foreign.items():
        (elsewhere / name).write_bytes(data)
    (project / "generated-diagrams").mkdir(parents=True)
    (project / OUT).symlink_to(elsewhere, target_is_directory=True)
    good_flow(project, 1, "Alpha Flow")
    good_flow(project, 2, "Beta Flow")
    assert run_build(project, jobs=1).ok
    _rename_flow_2(project)
    assert run_build(project, jobs=1).ok
    for name, data in foreign.items():
        assert (elsewhere / name).read_bytes() == data, name
    assert not (elsewhere / "2-beta-flow.png").exists()  # ours, and removed
    assert (elsewhere / "2-beta-renamed.png").exists()


def test_symlinks_in_the_output_folder_are_never_followed(tmp_path: Path) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.png"
    secret.write_bytes(b"not yours")
    fifo = outside / "pipe"
    os.mkfifo(fifo)  # opening it to read would block forever: following this link would hang the build
    good_flow(project, 1, "Alpha Flow")
    good_flow(project, 2, "Beta Flow")
    assert run_build(project, jobs=1).ok
    for name, target in (("2-beta-flow.png", secret), ("2-beta-flow.svg", fifo), ("1-alpha-flow.mmd", fifo)):
        (project / OUT / name).unlink()
        (project / OUT / name).symlink_to(target)
    codes = _codes(project)
    assert ("sources/01_flow.py", "OUT301") in codes
    _rename_flow_2(project)
    assert run_build(project, jobs=1).ok
    assert secret.read_bytes() == b"not yours"
    assert (project / OUT / "2-beta-flow.png").is_symlink()  # not ours any more: left alone, and reported
    assert (project / OUT / "1-alpha-flow.mmd").is_file() and not (project / OUT / "1-alpha-flow.mmd").is_symlink()


def test_a_flow_that_fails_to_load_keeps_its_outputs_and_its_page_section(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    beta = good_flow(tmp_path, 2, "Beta Flow")
    assert run_build(tmp_path, jobs=1).ok
    page_before = (tmp_path / PAGE).read_text()
    kept = {name: (tmp_path / OUT / name).read_bytes() for name in outputs(tmp_path) if name.startswith("2-")}
    beta.write_text(beta.read_text() + "\nthis is not python (\n")
    good_flow(tmp_path, 1, "Alpha Flow", label="POST /changed")
    result = cli(tmp_path, "build", "--jobs", "1")
    assert result.exit_code == 1
    assert "sources/02_flow.py:8: error SEQ000 syntax error" in result.stderr
    assert f"{PAGE}: error: catalog page kept as it was" in result.stderr
    assert {name: (tmp_path / OUT / name).read_bytes() for name in kept} == kept
    assert (tmp_path / PAGE).read_text() == page_before and "## 2. Beta Flow" in page_before
    assert "POST /changed" in (tmp_path / OUT / "1-alpha-flow.puml").read_text()  # the other flow was built
    checked = cli(tmp_path, "check")
    assert checked.exit_code == 1
    assert "error SEQ000" in checked.stdout and "OUT302" not in checked.stdout
    good_flow(tmp_path, 2, "Beta Flow")
    assert run_build(tmp_path, jobs=1).ok
    assert cli(tmp_path, "check").exit_code == 0


def test_an_unreadable_manifest_deletes_nothing(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    beta = good_flow(tmp_path, 2, "Beta Flow")
    assert run_build(tmp_path, jobs=1).ok
    page_before = (tmp_path / PAGE).read_text()
    kept = {name: (tmp_path / OUT / name).read_bytes() for name in outputs(tmp_path) if name.startswith("2-")}
    (tmp_path / MANIFEST).write_text(CONFLICTED)
    beta.write_text("raise RuntimeError('half-merged')\n")
    result = cli(tmp_path, "build", "--jobs", "1")
    assert result.exit_code == 1
    assert "note: generated-diagrams/.manifest.json is not a manifest this version can use" in result.stderr
    assert {name: (tmp_path / OUT / name).read_bytes() for name in kept} == kept
    assert (tmp_path / PAGE).read_text() == page_before
    assert len([name for name in outputs(tmp_path) if name.startswith("1-")]) == 4


def test_the_output_folder_itself_is_never_removed_or_replaced(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    assert run_build(tmp_path, jobs=1).ok
    shutil.rmtree(tmp_path / "sources")
    (tmp_path / "sources").mkdir()
    report = run_build(tmp_path, jobs=1)
    assert report.ok and len(report.removed) == 4
    assert (tmp_path / OUT).is_dir()
