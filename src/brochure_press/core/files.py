"""Writing files safely: atomically and durably, and merging shared files under a lock."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old content or the new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `<path>.lock` while reading, merging and writing `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


#: A file's name, modification time and size: what tells an in-process cache that the file changed.
Stamp = tuple[str, int, int]


def stamp(path: Path) -> Stamp:
    """The stamp of one file (zeros when it is missing)."""
    try:
        info = path.stat()
    except OSError:
        return (path.name, 0, 0)
    return (path.name, info.st_mtime_ns, info.st_size)


def folder_stamp(folder: Path) -> tuple[Stamp, ...]:
    """Stamps of every file directly in a folder, sorted: changes when a file is added, removed or rewritten."""
    try:
        return tuple(sorted(stamp(p) for p in folder.iterdir() if p.is_file()))
    except OSError:
        return ()
