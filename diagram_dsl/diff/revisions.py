"""A revision's flows, read from git without a checkout: each blob of the sources folder is written to a temporary
folder with ``git cat-file`` (no hooks, no filters, no attributes, symlinks skipped) and loaded exactly as
``diagram-dsl check`` loads a working tree. The working tree itself is read as it is.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from diagram_dsl.catalog import Catalog, load_catalog
from diagram_dsl.errors import DiagramDslError
from diagram_dsl.project import PYPROJECT, load_project

WORKING_TREE = "working tree"
_DEFAULT_BRANCHES = ("origin/main", "origin/master", "main", "master")
_REGULAR_FILES = ("100644", "100755")


class GitError(DiagramDslError):
    """git could not answer; the message says what was asked and what to do."""


@dataclass(frozen=True)
class Revision:
    name: str  # as the user wrote it, or "working tree"
    commit: str | None  # the full hash; None for the working tree

    @property
    def label(self) -> str:
        return self.name if self.commit is None else f"{self.name} ({self.commit[:10]})"


def _git(cwd: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, timeout=120, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed", hint="install git, or compare in a clone that has it") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"`git {args[0]}` did not answer within 120 s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"`git {' '.join(args)}` failed: {message[-1] if message else done.returncode}")
    return done.stdout


def repository_of(root: Path) -> tuple[Path, PurePosixPath]:
    """The repository's top folder, and the project root inside it (``.`` when they are the same)."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    return top, PurePosixPath(root.resolve().relative_to(top).as_posix())


def resolve(root: Path, name: str) -> Revision:
    if name.startswith("-"):
        raise GitError(f"{name!r} is not a revision", hint="name a branch, tag or commit, e.g. origin/main")
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"{name!r} is not a commit in this repository",
                       hint="fetch it first (actions/checkout needs fetch-depth: 0) or name another") from None
    return Revision(name, commit)


def default_base(root: Path) -> Revision:
    """Where the current branch left the default branch: ``git merge-base HEAD <default branch>``."""
    candidates = list(_DEFAULT_BRANCHES)
    with contextlib.suppress(GitError):
        remote_head = _git(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD").decode().strip()
        candidates.insert(0, remote_head)
    for branch in candidates:
        try:
            resolve(root, branch)
        except GitError:
            continue
        base = _git(root, "merge-base", "HEAD", branch).decode().strip()
        return Revision(f"merge-base with {branch}", base)
    raise GitError("no default branch (origin/HEAD, main or master) to compare with",
                   hint="name the base: diagram-dsl diff origin/main")


@contextlib.contextmanager
def flows_at(root: Path, revision: Revision) -> Iterator[Catalog]:
    """The catalog of ``revision``; for a commit, loaded from a temporary copy of its sources that is removed after."""
    if revision.commit is None:
        yield load_catalog(load_project(root))
        return
    top, prefix = repository_of(root)
    with tempfile.TemporaryDirectory(prefix="diagram-dsl-diff-") as scratch:
        copy = Path(scratch) / "project"
        copy.mkdir()
        _export(top, revision.commit, prefix / PYPROJECT, copy, prefix)
        try:
            project = load_project(copy)
        except DiagramDslError as error:
            raise GitError(f"{revision.label}: {error}") from None
        _export(top, revision.commit, prefix / project.sources, copy, prefix)
        yield load_catalog(project)


def _export(top: Path, commit: str, path: PurePosixPath, dest: Path, prefix: PurePosixPath) -> None:
    """Write the regular files at ``path`` (a file or a folder) in ``commit`` under ``dest``, relative to ``prefix``."""
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", path.as_posix())
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, name = record.split(b"\t", 1)
        mode, kind, blob = meta.decode().split()
        relative = PurePosixPath(name.decode("utf-8", "surrogateescape"))
        if kind != "blob" or mode not in _REGULAR_FILES or ".." in relative.parts:
            continue  # symlinks and submodules are not followed out of the revision
        inside = relative.relative_to(prefix) if prefix != PurePosixPath(".") else relative
        entries.append((blob, inside))
    if not entries:
        return
    contents = _git(top, "cat-file", "--batch", data="".join(f"{blob}\n" for blob, _ in entries).encode())
    offset = 0
    for blob, inside in entries:
        header_end = contents.index(b"\n", offset)
        size = int(contents[offset:header_end].split()[2])
        start = header_end + 1
        target = dest / inside
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(contents[start:start + size])
        offset = start + size + 1  # the blob and its trailing newline
        assert blob  # each answer follows its request in order
