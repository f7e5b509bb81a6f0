"""Running a build plan: what is already current, worker processes, then every PDF put in place at once.

The stages that make a PDF live in `render.job`, imported only when something must be made, so a no-op
build stays fast and never loads WeasyPrint.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field

from brochure_press.build.cache import is_current, load_manifest, save_manifest
from brochure_press.build.fits import Fit, laid_out, record, recorded, slowest_first
from brochure_press.build.plan import Built, job_keys
from brochure_press.build.pool import Workers
from brochure_press.core.diagnostics import BuildError, Diagnostic, raise_if_errors
from brochure_press.core.files import Staging
from brochure_press.core.jobs import Job, Made
from brochure_press.core.project import Project, ensure_inside


def make(project: Project, job: Job) -> tuple[Job, Fit, Made | BuildError]:
    """Make one job (run in workers): what laying out found, and the PDF or the problems that stop it."""
    from brochure_press.render.job import write_job

    fit, document = laid_out(project, job)
    if document is None:
        return job, fit, BuildError(list(fit.problems))
    start = time.perf_counter()
    warnings: list[Diagnostic] = []
    try:
        data = write_job(project, job, *document, warnings)
    except BuildError as exc:
        return job, fit, exc
    return job, fit, Made(job, data, fit.pages, fit.seconds, time.perf_counter() - start, tuple(warnings))


def pdf_of(project: Project, job: Job) -> bytes:
    """One PDF in memory (the preview's): the built file when it is current, else made now, what laying out
    found recorded for `check` and `build`; a BuildError names what stops it."""
    key = job_keys(project, [job])[job]
    entry = load_manifest(project.output_dir).get(job.name)
    if isinstance(entry, dict) and entry.get("inputs") == key:
        with suppress(OSError):
            data = job.path(project.output_dir).read_bytes()
            if hashlib.sha256(data).hexdigest() == entry.get("output"):
                return data
    known = recorded(project, {job: key}).get(job)
    if known and known.problems:
        raise BuildError(list(known.problems))
    _, fit, result = make(project, job)
    record(project, [(job, key, fit)])
    if isinstance(result, BuildError):
        raise result
    return result.data


@dataclass(frozen=True)
class Report:
    """What a build did: PDFs written, PDFs already current, warnings (the sources', WeasyPrint's, preflight's), and per brochure
    the errors that refused its print files (which were not made)."""

    built: list[Built]
    current: list[Job]
    warnings: list[Diagnostic]
    refused: dict[str, list[Diagnostic]] = field(default_factory=dict)


def outdated(project: Project, jobs: list[Job], force: bool = False) -> dict[Job, str]:
    """The jobs whose PDF is missing, changed or made from other inputs, with their cache keys."""
    manifest = {} if force else load_manifest(project.output_dir)
    keys = job_keys(project, jobs)
    return {job: key for job, key in keys.items() if not is_current(manifest, job.name, key, job.path(project.output_dir))}


def run(
    project: Project,
    jobs: list[Job],
    *,
    workers: int = 1,
    force: bool = False,
    allow_draft: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Make every job whose inputs changed; all PDFs are made before any is put in place, so a failure leaves
    outputs untouched. A job that `check` or an earlier run found not to fit is reported without laying it out
    again. Stale translations, TODO texts and refused drafts stop their brochure's print files unless
    `allow_draft`: the other files are made, and the report names what was refused. `progress(done, total)` is
    told when making starts and after each PDF."""
    output = project.output_dir
    ensure_inside(project.root, output, output / ".cache", *(job.path(output).parent for job in jobs))
    todo = outdated(project, jobs, force)
    current = [job for job in jobs if job not in todo]
    if not todo:
        return Report([], current, [])
    failing = {job: fit for job, fit in recorded(project, todo).items() if fit.problems}
    to_make = slowest_first(project, [job for job in todo if job not in failing])
    with Workers(make, project, workers, len(to_make)) as pool:
        from brochure_press.render.job import check_sources  # while the workers start

        checked = check_sources(project, list(todo), allow_draft)
        raise_if_errors(checked.problems)
        to_make = [job for job in to_make if job.variant != "print" or job.brochure not in checked.refused]
        problems = [d for fit in failing.values() for d in fit.problems]
        made, fits = [], []
        with Staging() as staging:
            if progress:
                progress(0, len(to_make))
            for job, fit, result in pool.map(to_make):
                fits.append((job, todo[job], fit))
                if isinstance(result, BuildError):
                    problems.extend(result.diagnostics)
                else:
                    staging.add(job.path(project.output_dir), result.data)
                    made.append(result)
                if progress:
                    progress(len(fits), len(to_make))
            record(project, fits)
            raise_if_errors(list(dict.fromkeys(problems)))  # a print file and its proof fail alike: said once
            staging.commit()
    made.sort(key=lambda m: m.job)
    save_manifest(
        project.output_dir, {m.job.name: {"inputs": todo[m.job], "output": hashlib.sha256(m.data).hexdigest()} for m in made}
    )
    built = [Built(m.job, m.job.path(project.output_dir), m.pages, len(m.data), m.layout_seconds, m.write_seconds) for m in made]
    typesetting = dict.fromkeys(w for _, _, fit in fits for w in fit.warnings if w.code == "layout")  # WeasyPrint's
    preflighted = [w for m in made for w in m.warnings]
    return Report(built, current, [*checked.problems, *typesetting, *preflighted], checked.refused)
