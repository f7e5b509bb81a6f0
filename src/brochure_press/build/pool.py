"""Worker processes: one function applied to many jobs of a project, by this process and spawned helpers that load
WeasyPrint once."""

from __future__ import annotations

import multiprocessing
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import suppress
from itertools import groupby
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from brochure_press.core.jobs import Job
from brochure_press.core.project import Project

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

T = TypeVar("T")

#: In a helper: the function it runs and the project it runs on, sent once when the helper starts.
_task: tuple[Callable[[Project, Job], Any], Project] | None = None


def _start(function: Callable[[Project, Job], Any], project: Project) -> None:
    from brochure_press.render.job import start_worker

    global _task
    start_worker(project.fonts_dir.resolve())
    _task = (function, project)


def _call(batch: list[Job]) -> list[Any]:
    assert _task is not None, "a helper runs jobs only after it started"
    function, project = _task
    return [function(project, job) for job in batch]


def batches(jobs: list[Job]) -> list[list[Job]]:
    """Jobs in runs of one edition of one brochure (its print file and proof, given one after the other): a process
    makes the second with what it learnt making the first (a title's breaks, the fonts' outlines)."""
    return [list(batch) for _, batch in groupby(jobs, key=lambda job: (job.brochure, job.edition))]


class Workers(Generic[T]):
    """Runs `function(project, job)` on jobs with `workers` processes: this one, and `workers - 1` spawned helpers
    when there is more than one job. The helpers start (loading WeasyPrint and the fonts) as soon as this is made,
    so that work done before `map` overlaps their start-up; leaving the `with` block stops them."""

    def __init__(self, function: Callable[[Project, Job], T], project: Project, workers: int, jobs: int) -> None:
        self._function = function
        self._project = project
        self._helpers = min(workers - 1, jobs - 1)
        self._pool: Pool | None = None
        if self._helpers > 0:
            context = multiprocessing.get_context("spawn")
            self._pool = context.Pool(self._helpers, initializer=_start, initargs=(function, project))

    def __enter__(self) -> Workers[T]:
        return self

    def map(self, jobs: list[Job]) -> Iterator[T]:
        """The result of every job, in the order they are ready; jobs are started in the order given, the jobs of one
        edition of a brochure given together (`batches`) by one process. A helper holds one batch at a time and takes
        the next as it finishes (from the pool's result thread, while this process is busy with a batch of its own),
        so that no batch waits in a busy helper while another process has nothing left to do."""
        if self._pool is None:
            yield from (self._function(self._project, job) for job in jobs)
            return
        pool, waiting, done = self._pool, deque(batches(jobs)), queue.SimpleQueue[tuple[bool, Any]]()
        taking = threading.Lock()

        def take() -> list[Job] | None:
            with taking:
                return waiting.popleft() if waiting else None

        def give() -> None:
            batch = take()
            if batch is not None:
                pool.apply_async(_call, (batch,), callback=finished, error_callback=lambda e: done.put((False, e)))

        def finished(result: list[Any]) -> None:
            with suppress(ValueError):  # the pool stops when this process has raised: nothing more to give
                give()
            done.put((True, result))

        left = len(waiting)
        for _ in range(self._helpers):
            give()
        while left:
            if done.empty():
                batch = take()
                if batch is not None:
                    left -= 1
                    yield from (self._function(self._project, job) for job in batch)
                    continue
            ok, result = done.get()
            if not ok:
                raise result
            left -= 1
            yield from result

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
