"""Splice new bytes into a file and write it back as the same file: same inode links, mode and owner.

``check --fix`` edits documents people own. Through a symlink it writes the file the link points to
(the link stays a link); a file with other hard links is rewritten in place so every name keeps
seeing it; any other file is replaced atomically (temp file in its folder + rename) with its mode
and, where permitted, its owner.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from diagram_dsl.fsutil import atomic_write_bytes


def splice(raw: bytes, replacements: Iterable[tuple[int, int, bytes]]) -> bytes:
    """``raw`` with each ``(start, end, new)`` span replaced; spans must not overlap."""
    pieces: list[bytes] = []
    position = 0
    for start, end, new in sorted(replacements):
        if start < position:
            raise ValueError(f"overlapping replacements at byte {start}")
        pieces += [raw[position:start], new]
        position = end
    pieces.append(raw[position:])
    return b"".join(pieces)


def write_back(path: Path, data: bytes) -> None:
    """Write ``data`` as the new content of ``path``, keeping what makes it the same file."""
    target = Path(os.path.realpath(path))
    status = target.stat()
    if status.st_nlink > 1:
        # A rename would give this name a new inode and leave the other names on the old text.
        with target.open("r+b") as handle:
            handle.write(data)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
        return
    atomic_write_bytes(target, data)  # keeps the mode
    with contextlib.suppress(OSError):
        if (target.stat().st_uid, target.stat().st_gid) != (status.st_uid, status.st_gid):
            os.chown(target, status.st_uid, status.st_gid)
