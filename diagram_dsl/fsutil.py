"""File-system primitives for everything a build writes or trusts.

- Atomic writes: a reader never sees a half-written output; an interrupted write leaves at most one
  temp file whose name says who left it (``.<name>.<random>.diagram-dsl.tmp``), so the next build can
  remove it and ``check`` can report it, without ever touching anybody else's files.
- Guarded reads: ``read_regular_file`` reads a regular file only — never through a symlink, never a
  folder, FIFO or device (``/dev/zero`` would never end), never more than a limit.
- One build at a time: ``project_lock`` holds an advisory lock on the project folder itself, so two
  builds in one checkout take turns and ``check`` never sees one half done. Nothing is created for it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; builds there are not serialised
    fcntl = None  # type: ignore[assignment]

TEMP_SUFFIX = ".diagram-dsl.tmp"
READ_LIMIT = 256 * 1024 * 1024  # larger than any picture this tool draws; a bigger "output" is not one of ours


class NotARegularFile(OSError):
    """The path exists but is a symlink, folder, FIFO or device, or is larger than the limit: not a file we wrote."""


def atomic_write_bytes(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temp file in the same folder and a rename.

    Returns False (and leaves the file untouched) when the content is already identical,
    so unchanged outputs keep their timestamps. Raises ``OSError`` (the folder is read-only, the disk
    is full, the file-size limit is reached...) with nothing left behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        if read_regular_file(path, limit=len(data)) == data:
            return False
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        # mkstemp makes the file private (0600); outputs are documents to share, so they get the usual mode.
        os.chmod(tmp_name, _shared_mode(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return True


def _shared_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        current = os.umask(0)
        os.umask(current)
        return 0o666 & ~current


def atomic_write_text(path: Path, text: str) -> bool:
    return atomic_write_bytes(path, text.encode("utf-8"))


def read_regular_file(path: Path, *, limit: int = READ_LIMIT, follow_symlinks: bool = False) -> bytes | None:
    """The bytes of a regular file, ``None`` when nothing is there.

    Raises ``NotARegularFile`` for a symlink (unless ``follow_symlinks``), folder, FIFO, socket or device,
    or a file over ``limit`` bytes; other ``OSError`` (permission denied...) as they come. Opening never
    blocks, even on a FIFO.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as error:
        if not follow_symlinks and os.path.islink(path):
            raise NotARegularFile(f"{path} is a symlink") from None
        if os.path.isdir(path):
            raise NotARegularFile(f"{path} is a folder") from None
        raise error
    try:
        info = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotARegularFile(f"{path} is {'a folder' if stat.S_ISDIR(info.st_mode) else 'not a regular file'}")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise NotARegularFile(f"{path} is larger than {limit} bytes")
    return data


def is_temp_file_name(name: str) -> bool:
    """A temp file an atomic write of ours left behind when its process was killed."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def leftover_temp_files(folders: list[Path]) -> list[Path]:
    """Temp files of interrupted writes in ``folders`` (not recursive), regular files only."""
    found: set[Path] = set()
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if is_temp_file_name(entry.name) and entry.is_file(follow_symlinks=False):
                found.add(Path(entry.path))
    return sorted(found)


@contextlib.contextmanager
def project_lock(root: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold the project's build lock: exclusive for a build, shared for a check.

    The lock is ``flock`` on the project folder itself, so it needs no lock file, disappears with the
    process that held it (also when it is killed) and is not inherited by anything that process runs.
    """
    if fcntl is None:
        yield
        return
    fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock
