"""The hand-off bundle's folder and zip change as one step: a writer killed at any point leaves no folder beside a zip
of another run, and the next run finishes or removes what it left."""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from brochure_press.build.bundle import write_bundle

#: The functions through which the writer changes the file system: each call is one step it may be stopped at.
NAMES = ("mkdir", "rename", "replace", "unlink", "rmdir", "fsync")


def write(folder: Path, stop: int, how: str, count: Path | None = None) -> int:
    """Run `write_bundle` for a new bundle in a child process that dies (SIGKILL) or fails (no space left) at the
    `stop`-th change it makes to the file system; its exit code. With `count`, the number of changes is written there."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into the tests
        changes, code = 0, 0

        def counted(real: Callable[..., object]) -> Callable[..., object]:
            def change(*args: object, **kwargs: object) -> object:
                nonlocal changes
                changes += 1
                if changes == stop and how == "kill":
                    os.kill(os.getpid(), signal.SIGKILL)
                if changes == stop:
                    raise OSError(errno.ENOSPC, "No space left on device")
                return real(*args, **kwargs)

            return change

        try:
            for name in NAMES:
                setattr(os, name, counted(getattr(os, name)))
            write_bundle(folder, {"print/a.pdf": b"new a", "JOB-TICKET.md": b"new ticket"}, b"new zip")
        except OSError:
            code = 1
        finally:
            if count:
                count.write_text(str(changes))
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def seen(parent: Path) -> dict[str, str]:
    """What a reader finds: each visible file of the bundle folder and the zip, by name, and the run it is from."""
    visible = [p.relative_to(parent) for p in parent.rglob("*") if p.is_file()]
    return {str(p): (parent / p).read_text().split()[0] for p in visible if not any(n.startswith(".") for n in p.parts)}


@pytest.fixture(scope="module")
def changes(tmp_path_factory: pytest.TempPathFactory) -> int:
    """How many file-system changes a run that replaces a bundle makes."""
    folder = tmp_path_factory.mktemp("count") / "handoff" / "bundle"
    write_bundle(folder, {"x": b"old"}, b"old zip")
    count = folder.parent.parent / "count"
    assert write(folder, 0, "kill", count) == 0
    return int(count.read_text())


OLD = {"bundle/print/a.pdf": "old", "bundle/JOB-TICKET.md": "old", "bundle.zip": "old"}
NEW = {name: "new" for name in OLD}
LATER = {"later/x": "later", "later.zip": "later"}
#: What a reader may find: one run's bundle, whole or (for an instant) without its zip, or none.
CONSISTENT = [OLD, NEW, {}, *({k: v for k, v in run.items() if k != "bundle.zip"} for run in (OLD, NEW))]


@pytest.mark.parametrize("how", ["kill", "fail"])
def test_a_writer_stopped_at_any_step_never_mixes_runs_and_the_next_run_cleans_up(tmp_path: Path, changes: int, how: str) -> None:
    assert changes > 10
    for stop in range(1, changes + 1):
        parent = tmp_path / str(stop) / "handoff"
        folder = parent / "bundle"
        write_bundle(folder, {"print/a.pdf": b"old a", "JOB-TICKET.md": b"old ticket"}, b"old zip")
        assert seen(parent) == OLD
        code = write(folder, stop, how)
        # (Failing to make a folder that is there already is no error.)
        assert code == -signal.SIGKILL if how == "kill" else code in (0, 1), (stop, code)
        visible = seen(parent)
        assert visible in CONSISTENT, (stop, visible)  # never a folder beside another run's zip
        left = sorted(p.name for p in parent.iterdir() if p.name.startswith("."))
        if how == "fail":  # an error leaves nothing staged in part: the old bundle, or the new one to finish
            assert left == [] or left[0].endswith(".ready"), (stop, left)
        # The next run (another day's bundle) finishes a bundle staged whole and removes one staged in part.
        write_bundle(parent / "later", {"x": b"later"}, b"later zip")
        assert sorted(p.name for p in parent.iterdir()) == ["bundle", "bundle.zip", "later", "later.zip"], (stop, left)
        assert seen(parent) in ({**OLD, **LATER}, {**NEW, **LATER}), stop
        assert seen(parent) == {**NEW, **LATER} or not left or left[0].endswith(".partial"), (stop, left)


def test_links_in_place_of_the_bundle_are_replaced_never_followed(tmp_path: Path) -> None:
    sources = tmp_path / "brochures"
    sources.mkdir()
    (sources / "sample.yaml").write_text("an editor's source")
    parent = tmp_path / "output" / "handoff"
    parent.mkdir(parents=True)
    (parent / "bundle").symlink_to(sources)
    (parent / "bundle.zip").symlink_to(sources / "sample.yaml")
    write_bundle(parent / "bundle", {"x": b"new x"}, b"new zip")
    assert seen(tmp_path) == {"brochures/sample.yaml": "an", "output/handoff/bundle/x": "new", "output/handoff/bundle.zip": "new"}
    assert not any(p.is_symlink() for p in parent.iterdir())
