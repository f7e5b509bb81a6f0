"""Writing files safely: atomically and durably, staged to be put in place together, and merging shared files under a lock."""

from __future__ import annotations

import errno
import fcntl
import os
import stat as stat_module
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class FileTooLarge(OSError):
    """A file over the size an input may have; `size` is its size in bytes."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"the file is {size} bytes; the limit is {limit}")
        self.size = size


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of an input file of at most `limit` bytes; its size is checked before reading, and anything but a
    regular file (a device such as /dev/zero, a FIFO, a folder) is refused without opening it."""
    info = path.stat()
    if not stat_module.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    if info.st_size > limit:
        raise FileTooLarge(info.st_size, limit)
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(len(data), limit)
    return data


def _write_beside(path: Path, data: bytes) -> Path:
    """A durable temporary file beside `path` holding `data`, for `os.replace` to put in its place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old content or the new, never a part."""
    tmp = _write_beside(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class Staging:
    """Files written as they come, each beside its target, and put in place together by `commit`; whatever
    was not committed when the `with` block ends (an error, an interrupt) is removed and the targets stay as they were."""

    def __init__(self) -> None:
        self._staged: dict[Path, Path] = {}

    def __enter__(self) -> Staging:
        return self

    def add(self, path: Path, data: bytes) -> None:
        """Write `data` for `path` now, durably, without touching `path` yet."""
        self._staged[path] = _write_beside(path, data)

    def commit(self) -> None:
        """Put every staged file in its place (each replacement is atomic)."""
        for path, tmp in list(self._staged.items()):
            os.replace(tmp, path)
            del self._staged[path]

    def __exit__(self, *exc: object) -> None:
        for tmp in self._staged.values():
            tmp.unlink(missing_ok=True)
        self._staged.clear()


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `.<name>.lock` beside `path` while reading, merging and writing `path`; the lock file
    is never opened through a symbolic link (one planted there would make it a file outside the project)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path.with_name(f".{path.name}.lock"), os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o644)
    with os.fdopen(descriptor, "a") as handle:
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
