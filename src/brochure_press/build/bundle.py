"""Writing the hand-off bundle: its folder and its zip put in place as one step, and what a killed run left finished.

A bundle is staged whole in a hidden folder beside it, `.<name>.<random>.partial/` holding `<name>/` and
`<name>.zip`; renaming that folder to `….ready` marks it complete. Then the old zip is moved into it, the old folder,
the new folder out and the new zip out, in that order: a reader sees the old folder with its zip, the old folder
alone, nothing, the new folder alone, or the new folder with its zip, never a folder and a zip of different runs.
Every run first, under a lock, removes what a killed run left `.partial` and finishes what it left `.ready`."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from brochure_press.core.files import locked

PARTIAL = ".partial"
READY = ".ready"
#: Inside a `.ready` folder: where the bundle it replaces waits to be removed with it.
REPLACED = ".replaced"


def write_bundle(folder: Path, files: dict[str, bytes], archive: bytes) -> Path:
    """Replace `folder` with exactly `files` and `<folder>.zip` with `archive`, as one step for a reader (see the
    module's docstring); the zip's path. An error while staging leaves the old bundle as it was."""
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    with locked(parent):
        recover(parent)
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{folder.name}.", suffix=PARTIAL))
        try:
            (staging / folder.name).mkdir(0o755)
            for name, data in files.items():
                _write(staging / folder.name / name, data)
            _write(staging / f"{folder.name}.zip", archive)
            ready = staging.with_name(staging.name.removesuffix(PARTIAL) + READY)
            os.replace(staging, ready)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _put_in_place(ready, folder)
    return folder.with_name(f"{folder.name}.zip")


def recover(parent: Path) -> None:
    """Finish the bundles a killed run staged completely in `parent` and remove what it staged in part."""
    for entry in sorted(parent.iterdir()):
        if not entry.name.startswith(".") or not entry.is_dir() or entry.is_symlink():
            continue
        if entry.name.endswith(PARTIAL):
            shutil.rmtree(entry)
        elif entry.name.endswith(READY):
            _put_in_place(entry, parent / entry.name[1:].rsplit(".", 2)[0])


def _write(path: Path, data: bytes) -> None:
    """A new file holding `data`, on disk before its folder is renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o755)
    with path.open("xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    path.chmod(0o644)


def _put_in_place(ready: Path, folder: Path) -> None:
    """Move the bundle staged in `ready` to `folder` and `<folder>.zip`, the replaced one into `ready`, then remove
    `ready`; each step can be repeated after an interruption, so a run killed on the way is finished by the next."""
    archive = folder.with_name(f"{folder.name}.zip")
    new_folder, new_archive, replaced = ready / folder.name, ready / archive.name, ready / REPLACED
    if new_folder.exists():
        replaced.mkdir(exist_ok=True)
        for current in (archive, folder):  # the zip first: never a new folder beside an old zip
            if current.exists() or current.is_symlink():
                _remove(replaced / current.name)  # an old one moved there by an interrupted run
                os.replace(current, replaced / current.name)
        os.rename(new_folder, folder)
    if new_archive.exists():
        os.replace(new_archive, archive)
    shutil.rmtree(ready)


def _remove(path: Path) -> None:
    """Remove a file, a symbolic link (never what it leads to) or a folder, if there is one."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
