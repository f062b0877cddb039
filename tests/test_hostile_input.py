"""Bad input is a located finding or one line, never "internal error … diagram-dsl bug" (issue #12 §6).

Numbers out of range, an output folder that cannot be written, a full disk, the file-size limit, a
killed render worker, a manifest of any wrong shape, Ctrl-C — and a fuzzer over hostile sources,
manifests and settings that fails on any exit 70.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_support import MANIFEST, OUT, TEMP_SUFFIX, cli, good_flow, outputs, run_cli, write_source
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagram_dsl.build import run_build
from diagram_dsl.checks.outputs import check_outputs
from diagram_dsl.project import load_project


def _no_temp_files(root: Path) -> bool:
    return not list(root.rglob(f"*{TEMP_SUFFIX}"))


@pytest.mark.parametrize(("number", "shown"), [("10**300", "(about 301 digits)"), ("-5", "-5"), ("0", "0"),
                                               ("10**5000", "(about 5001 digits)")])
def test_a_number_out_of_range_is_seq160_at_its_line(tmp_path: Path, number: str, shown: str) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    write_source(tmp_path, "02_flow.py", f'''\
        from diagram_dsl import Flow, Scores
        flow = Flow(
            number={number}, title="Huge", description="d", scores=Scores(5, 5, "High"))
        ''')
    result = cli(tmp_path, "check", str(tmp_path / "sources"))
    assert result.exit_code == 1, result.output
    assert f"sources/02_flow.py:2: error SEQ160 flow number {shown} is out of range" in result.stdout
    built = cli(tmp_path, "build", "--jobs", "1")
    assert built.exit_code == 1 and "internal error" not in built.output
    assert "error SEQ160 flow number" in built.stderr
    assert outputs(tmp_path) == [f"1-alpha-flow.{ext}" for ext in ("mmd", "png", "puml", "svg")]


@contextlib.contextmanager
def _unwritable(folder: Path) -> Iterator[None]:
    """A folder nobody can write into: without write permission, or (for root, whom permissions do not stop)
    immutable. Always restored."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    assert chattr, "chattr (e2fsprogs) is needed to make a folder read-only for root"
    subprocess.run([chattr, "+i", str(folder)], check=True)
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_a_read_only_output_folder_is_one_line_naming_the_path(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    assert run_build(tmp_path, jobs=1).ok
    manifest_before = (tmp_path / MANIFEST).read_bytes()
    good_flow(tmp_path, 1, "Alpha Flow", label="POST /changed")
    with _unwritable(tmp_path / OUT):
        result = run_cli(tmp_path, "build", "--jobs", "1")
    assert result.returncode == 1, result
    (line,) = [text for text in result.stderr.splitlines() if "cannot write" in text]
    assert line.startswith(f"{OUT}/1-alpha-flow.") and ("[Errno 13]" in line or "[Errno 1]" in line), line
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / MANIFEST).read_bytes() == manifest_before  # the old record stays: the flow reads stale
    assert [f.code for f in check_outputs(load_project(tmp_path))] == ["OUT301"]
    assert _no_temp_files(tmp_path)
    assert run_build(tmp_path, jobs=1).ok


def test_the_file_size_limit_is_one_line_not_a_crash(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow", label="a long label " * 8)

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))  # PUML/MMD fit, the PNG does not

    result = run_cli(tmp_path, "build", "--jobs", "1", preexec_fn=small_files)
    assert result.returncode == 1, result  # not killed by SIGXFSZ
    (line,) = [text for text in result.stderr.splitlines() if "cannot write" in text]
    assert line.startswith(f"{OUT}/1-alpha-flow.") and "[Errno 27]" in line, line
    assert _no_temp_files(tmp_path)
    assert not (tmp_path / MANIFEST).exists()
    assert run_build(tmp_path, jobs=1).ok


def _namespace_prefix() -> list[str] | None:
    """A command prefix running its command in a private mount namespace, or None where that is not allowed."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    for prefix in ([unshare, "-m"], [unshare, "-U", "-r", "-m"]):
        probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            return prefix
    return None


def test_a_full_disk_is_one_line_and_nothing_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good_flow(tmp_path, 1, "Alpha Flow", label="a long label " * 8)
    good_flow(tmp_path, 2, "Beta Flow", label="a long label " * 8)
    (tmp_path / OUT).mkdir(parents=True)
    prefix = _namespace_prefix()
    if prefix is not None:  # a real full disk: a 16 KiB tmpfs over the output folder
        script = (f"mount -t tmpfs -o size=16k tmpfs {OUT} && {sys.executable} -m diagram_dsl --root . build "
                  f"--jobs 1; echo rc=$?; ls -A {OUT}")
        done = subprocess.run([*prefix, "sh", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120, check=False)
        stdout, stderr = done.stdout, done.stderr
        assert "rc=1" in stdout, stdout + stderr
        assert TEMP_SUFFIX not in stdout  # the folder as the build left it: no temp file
    else:  # no mount namespaces here: the same OS error, raised where the bytes are written
        from diagram_dsl import fsutil

        real_fdopen = os.fdopen

        def full_disk(fd: int, *args: object, **kwargs: object) -> object:
            handle = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

            def write(data: bytes) -> int:
                raise OSError(28, "No space left on device")

            handle.write = write
            return handle

        monkeypatch.setattr(fsutil.os, "fdopen", full_disk)
        result = cli(tmp_path, "build", "--jobs", "1")
        monkeypatch.setattr(fsutil.os, "fdopen", real_fdopen)
        assert result.exit_code == 1
        stderr = result.stderr
        assert _no_temp_files(tmp_path)
    (line,) = [text for text in stderr.splitlines() if "cannot write" in text]
    assert line.startswith(f"{OUT}/") and "No space left on device [Errno 28]" in line, line
    assert "internal error" not in stderr and "Traceback" not in stderr


def test_a_killed_render_worker_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import diagram_dsl.renderers.native as native

    for n in range(1, 5):
        good_flow(tmp_path, n, f"Flow Number {n}")
    real_render = native.render_flow

    def killed_while_drawing(flow, options):  # type: ignore[no-untyped-def]
        if flow.metadata.number == 3:
            os.kill(os.getpid(), signal.SIGKILL)  # the OOM killer, say
        return real_render(flow, options)

    monkeypatch.setattr(native, "render_flow", killed_while_drawing)
    result = cli(tmp_path, "build", "--jobs", "2")
    monkeypatch.setattr(native, "render_flow", real_render)
    assert result.exit_code == 1, result.output
    killed = [line for line in result.stderr.splitlines() if "render worker was killed" in line]
    assert len(killed) == 1 and killed[0].startswith("sources/0"), result.stderr
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert _no_temp_files(tmp_path)
    assert run_build(tmp_path, jobs=2).ok
    assert check_outputs(load_project(tmp_path)) == []


def test_ctrl_c_during_a_build_exits_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import diagram_dsl.build.runner as runner

    good_flow(tmp_path, 1, "Alpha Flow")

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "render_outputs", interrupted)
    result = cli(tmp_path, "build", "--jobs", "1")
    assert result.exit_code == 130
    assert "interrupted" in result.stderr and "internal error" not in result.output


class _ReadCanary:
    """A FIFO outside the project: a thread waits to write to it, which succeeds only once something opens it."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        self.path = folder / "canary"
        os.mkfifo(self.path)
        self.opened = threading.Event()
        self.thread = threading.Thread(target=self._wait, daemon=True)
        self.thread.start()

    def _wait(self) -> None:
        fd = os.open(self.path, os.O_WRONLY)  # blocks until a reader opens the FIFO
        self.opened.set()
        os.close(fd)

    def close(self) -> None:
        fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)  # release the waiting thread
        self.thread.join(timeout=10)
        os.close(fd)


def _bad_manifests(outside: Path) -> dict[str, str]:
    entry = {"source_hash": "0" * 64, "number": 1, "slug": "alpha-flow", "outputs": {}}

    def with_outputs(listed: dict[str, str]) -> str:
        return json.dumps({"format": 1, "renderer": "native", "renderer_version": "", "code_hash": "",
                           "flows": {"sources/01_flow.py": dict(entry, outputs=listed)}})

    return {
        "list": "[]",
        "null": "null",
        "string": '"manifest"',
        "flows is a list": '{"format": 1, "flows": []}',
        "format is true": '{"format": true, "flows": {}}',
        "number is a string": json.dumps({"format": 1, "flows": {"sources/01_flow.py": dict(entry, number="1")}}),
        "number is huge": '{"format": 1, "flows": {"sources/01_flow.py": {"number": 1e999}}}',
        "digits past the limit": '{"format": 1, "flows": {"sources/01_flow.py": {"number": ' + "9" * 5000 + "}}}",
        "deeply nested": "[" * 100_000 + "]" * 100_000,
        "conflict markers": "<<<<<<< HEAD\n{}\n=======\n[]\n>>>>>>> branch\n",
        "not utf-8": '{"format": 1, "renderer": "\xff"}',
        "output is the output folder": with_outputs({OUT: "0" * 64}),
        "output is /dev/zero": with_outputs({"/dev/zero": "0" * 64}),
        "output outside, absolute": with_outputs({str(outside / "canary"): "0" * 64}),
        "output outside, relative": with_outputs({f"{OUT}/../../../outside/canary": "0" * 64}),
        "output is a source": with_outputs({"sources/01_flow.py": "0" * 64}),
        "source outside": json.dumps({"format": 1, "flows": {"../outside/canary": entry}}),
    }


@pytest.mark.parametrize("case", sorted(_bad_manifests(Path("/x"))))
def test_a_manifest_of_the_wrong_shape_counts_as_absent(tmp_path: Path, case: str) -> None:
    project = tmp_path / "project"
    good_flow(project, 1, "Alpha Flow")
    assert run_build(project, jobs=1).ok
    canary = _ReadCanary(tmp_path / "outside")
    try:
        text = _bad_manifests(tmp_path / "outside")[case]
        (project / MANIFEST).write_bytes(text.encode("utf-8") if case != "not utf-8" else b'{"x": "\xff"}')
        if "/dev/zero" in case:  # a real process with a time limit: reading /dev/zero would never end
            checked = run_cli(project, "check", timeout=60)
            stdout, code = checked.stdout, checked.returncode
        else:
            result = cli(project, "check")
            stdout, code = result.stdout, result.exit_code
        assert code == 1, stdout
        assert stdout.startswith(f"{MANIFEST}:1: error OUT301 ") and "no output counts as built" in stdout, stdout
        assert stdout.count(" error ") == 1, stdout  # the manifest, not one finding per output
        built = cli(project, "build", "--jobs", "1")
        assert built.exit_code == 0, built.output
        assert "note: generated-diagrams/.manifest.json" in built.stderr and "built 1," in built.stdout
        assert not canary.opened.is_set(), "something outside the project was opened"
    finally:
        canary.close()
    assert (project / OUT / "1-alpha-flow.png").is_file()
    assert cli(project, "check").exit_code == 0


def test_a_manifest_that_is_a_symlink_folder_or_device_counts_as_absent(tmp_path: Path) -> None:
    good_flow(tmp_path, 1, "Alpha Flow")
    assert run_build(tmp_path, jobs=1).ok
    manifest = tmp_path / MANIFEST
    for make in (lambda: manifest.symlink_to("/dev/zero"), lambda: manifest.mkdir(), lambda: os.mkfifo(manifest)):
        if manifest.is_dir() and not manifest.is_symlink():
            manifest.rmdir()
        else:
            manifest.unlink()
        make()
        result = run_cli(tmp_path, "check", timeout=60)
        assert result.returncode == 1, result
        assert result.stdout.startswith(f"{MANIFEST}:1: error OUT301 {MANIFEST} is not a regular file"), result
    manifest.unlink()
    assert run_build(tmp_path, jobs=1).ok


# -- the fuzzer: hostile projects must never reach "internal error" (exit 70) --------------------------------

HEAD = "from diagram_dsl import Flow, Scores\n"
SOURCES = st.sampled_from([
    "",
    "\x00\x01 binary",
    "from diagram_dsl import Flow\nflow = Flow(title='x')\n",
    HEAD + "flow = Flow(number=True, title='T', description='d', scores=Scores(1,1,'Low'))\n",
    HEAD + "flow = Flow(title='', description='', scores=Scores(99,-1,'Fast'))\n",
    HEAD + "flow = Flow(number=7, title='\\u202e\\U0001F600', description='d', scores=Scores(1,1,'Low'))\n",
    HEAD + "flow = Flow(number=2**64, title='Big', description='d', scores=Scores(1,1,'Low'))\n",
    HEAD + "flow = Flow(number=1, title='Dup', description='d', scores=Scores(1,1,'Low'))\n"
    "a, b = flow.actor('A'), flow.participant('B')\nwith a.call(b, 'x') as c:\n    c.reply('y')\n",
    "import sys\nsys.exit(0)\n",
    "import os\nos.chdir('/')\n",
    "raise MemoryError\n",
    "def f(): f()\nf()\n",
    "from diagram_dsl import Flow, Scores\nclass S(str):\n    pass\n"
    "flow = Flow(number=3, title=S('Sub'), description='d', scores=Scores(1,1,'Low'))\n",
    "# -*- coding: latin-1 -*-\nx = '\xe9'\n",
])
MANIFESTS = st.one_of(
    st.sampled_from(["", "{", "[]", "{}", '{"format": 1}', '{"format": 1, "flows": {"sources/01_a.py": null}}',
                     '{"format": 1, "docs": {"sequence-diagram-solutions.md": 5}}']),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                 lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children,
                                                                                  max_size=3),
                 max_leaves=10).map(json.dumps),
)
CONFIGS = st.sampled_from([
    "", "[tool", "[tool.diagram-dsl]\nload-timeout = -1\n", "[tool.diagram-dsl]\noutput = '../elsewhere'\n",
    "[tool.diagram-dsl]\noutput = 'sources'\n", "[tool.diagram-dsl]\nformats = []\n",
    "[tool.diagram-dsl]\nrenderer = 'plantuml'\n", "[tool.diagram-dsl]\ntheme = ['dark']\n",
    "[tool.diagram-dsl]\nmanifest = 'sources/01_a.py'\n", "[tool.diagram-dsl]\ncatalog-page = {path = 'sources'}\n",
    "[tool.diagram-dsl]\noutput = 'out'\nmanifest = 'out'\n", "[tool]\ndiagram-dsl = 3\n",
    "[tool.diagram-dsl]\nload-timeout = 1e400\n",
])
ODDITIES = st.sampled_from(["none", "source is a folder", "source is a fifo", "output folder is a file",
                            "manifest is a folder", "page is a folder", "source symlink loop", "docs oddities"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=SOURCES, manifest=MANIFESTS, config=CONFIGS, oddity=ODDITIES)
def test_fuzz_hostile_projects_never_reach_internal_error(tmp_path_factory: pytest.TempPathFactory, source: str,
                                                          manifest: str, config: str, oddity: str) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    good_flow(root, 1, "Dup")
    (root / "sources" / "02_b.py").write_text(source, encoding="utf-8", errors="surrogateescape")
    (root / "generated-diagrams").mkdir()
    (root / MANIFEST).write_text(manifest)
    (root / "pyproject.toml").write_text(config)
    match oddity:
        case "source is a folder":
            (root / "sources" / "03_c.py").mkdir()
        case "source is a fifo":
            os.mkfifo(root / "sources" / "03_c.py")
        case "output folder is a file":
            (root / OUT).write_text("x")
        case "manifest is a folder":
            (root / MANIFEST).unlink()
            (root / MANIFEST).mkdir()
        case "page is a folder":
            (root / "sequence-diagram-solutions.md").mkdir()
        case "source symlink loop":
            (root / "sources" / "03_c.py").symlink_to(root / "sources" / "03_c.py")
        case "docs oddities":
            docs = root / "docs"
            docs.mkdir()
            os.mkfifo(docs / "pipe.md")
            os.mkfifo(docs / "pipe.puml")
            (docs / "folder.mmd").mkdir()
            (docs / "loop").symlink_to(docs)
            (docs / "unreadable.md").write_bytes(b"\xff\xfe# not utf-8 \x00")
    commands = [["check"], ["check", str(root / "sources")], ["build", "--jobs", "1"], ["list"], ["docs", "--check"],
                ["emit", "--format", "plantuml", "1"]]
    if oddity == "docs oddities":
        commands.append(["check", str(root / "docs")])
    for command in commands:
        result = cli(root, *command)
        assert result.exit_code in (0, 1, 2), (command, result.output, result.exception)
        assert "internal error" not in result.output, (command, result.output)
        assert "Traceback" not in result.output


def test_a_dependency_missing_from_the_install_is_a_repair_hint_not_a_bug(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    good_flow(tmp_path, 1, "Alpha Flow")
    real_version = importlib.metadata.version

    def version(name: str) -> str:
        if name == "zlib-ng":  # as in an environment installed before the renderer started to use it
            raise importlib.metadata.PackageNotFoundError(name)
        return real_version(name)

    monkeypatch.setattr(importlib.metadata, "version", version)
    result = cli(tmp_path, "build")
    assert result.exit_code == 1, result.output
    assert "lacks its dependency 'zlib-ng'" in result.output and "reinstall" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
