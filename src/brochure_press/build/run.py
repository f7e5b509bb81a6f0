"""Running a build plan: what is already current, worker processes, then every PDF written at once.

The stages that make a PDF live in `render.job`, imported only when something must be made, so a no-op
build stays fast and never loads WeasyPrint.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from brochure_press.build.cache import input_key, is_current, load_manifest, save_manifest
from brochure_press.build.plan import Built, job_inputs
from brochure_press.core.diagnostics import BuildError, Diagnostic, raise_if_errors
from brochure_press.core.files import write_atomic
from brochure_press.core.jobs import Job, Made
from brochure_press.core.project import Project


def _make_all(
    project: Project, jobs: list[Job], workers: int, progress: Callable[[], None] | None
) -> Iterator[Made | BuildError]:
    """Make jobs in this process, or in a pool of worker processes when there are several workers."""
    from brochure_press.render.job import make_job, start_worker

    tasks = [(project, job) for job in jobs]
    if workers <= 1 or len(jobs) <= 1:
        results: Iterable[Made | BuildError] = map(make_job, tasks)
        pool = None
    else:
        context = multiprocessing.get_context("spawn")
        pool = context.Pool(min(workers, len(jobs)), initializer=start_worker, initargs=(project.fonts_dir.resolve(),))
        results = pool.imap_unordered(make_job, tasks)
    try:
        for result in results:
            if progress:
                progress()
            yield result
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


@dataclass(frozen=True)
class Report:
    """What a build did: PDFs written, PDFs already current, and warnings."""

    built: list[Built]
    current: list[Job]
    warnings: list[Diagnostic]


def run(
    project: Project,
    jobs: list[Job],
    *,
    workers: int = 1,
    force: bool = False,
    progress: Callable[[], None] | None = None,
) -> Report:
    """Make every job whose inputs changed; all PDFs are made before any is written, so a failure
    leaves outputs untouched."""
    output_dir = project.output_dir
    manifest = {} if force else load_manifest(output_dir)
    options = project.campaign.model.print.model_dump_json()
    keys = {job: input_key(project.root, job_inputs(project, job), f"{job!r} {options}") for job in jobs}
    todo = [job for job in jobs if not is_current(manifest, job.name, keys[job], job.path(output_dir))]
    diagnostics = []
    if todo:
        from brochure_press.render.job import check_sources

        diagnostics = check_sources(project, todo)
    raise_if_errors(diagnostics)
    made, problems = [], []
    for result in _make_all(project, todo, workers, progress) if todo else ():
        if isinstance(result, BuildError):
            problems.extend(result.diagnostics)
        else:
            made.append(result)
    raise_if_errors(problems)
    built, entries = [], {}
    for item in sorted(made, key=lambda m: m.job):
        path = item.job.path(output_dir)
        write_atomic(path, item.data)
        entries[item.job.name] = {"inputs": keys[item.job], "output": hashlib.sha256(item.data).hexdigest()}
        built.append(Built(item.job, path, item.pages, len(item.data), item.layout_seconds, item.write_seconds))
    if entries:
        save_manifest(output_dir, entries)
    return Report(built, [job for job in jobs if job not in todo], diagnostics)
