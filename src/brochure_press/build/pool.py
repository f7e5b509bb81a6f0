"""Worker processes: one function applied to many jobs of a project, in spawned workers that load WeasyPrint once."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from brochure_press.core.jobs import Job
from brochure_press.core.project import Project

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

T = TypeVar("T")

#: In a worker: the function it runs and the project it runs on, sent once when the worker starts.
_task: tuple[Callable[[Project, Job], Any], Project] | None = None


def _start(function: Callable[[Project, Job], Any], project: Project) -> None:
    from brochure_press.render.job import start_worker

    global _task
    start_worker(project.fonts_dir.resolve())
    _task = (function, project)


def _call(job: Job) -> Any:
    assert _task is not None, "a worker runs jobs only after it started"
    function, project = _task
    return function(project, job)


class Workers(Generic[T]):
    """Runs `function(project, job)` on jobs: in this process for one worker or one job, else in a pool of spawned
    processes. The pool starts (loading WeasyPrint and the fonts) as soon as this is made, so that work done
    before `map` overlaps the workers' start-up; leaving the `with` block stops them."""

    def __init__(self, function: Callable[[Project, Job], T], project: Project, workers: int, jobs: int) -> None:
        self._function = function
        self._project = project
        self._pool: Pool | None = None
        if workers > 1 and jobs > 1:
            context = multiprocessing.get_context("spawn")
            self._pool = context.Pool(min(workers, jobs), initializer=_start, initargs=(function, project))

    def __enter__(self) -> Workers[T]:
        return self

    def map(self, jobs: list[Job]) -> Iterator[T]:
        """The result of every job, in the order they are ready."""
        if self._pool is None:
            return (self._function(self._project, job) for job in jobs)
        return self._pool.imap_unordered(_call, jobs)

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
