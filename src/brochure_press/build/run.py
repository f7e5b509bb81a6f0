"""The build plan: which PDFs from which sources, what is already current, worker processes, atomic writes.

The stages that make a PDF live in `make`, imported only when something must be made, so a no-op build
stays fast and never loads WeasyPrint.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from brochure_press.build.cache import input_key, is_current, load_manifest, save_manifest, tree_files
from brochure_press.core.diagnostics import BuildError, Diagnostic, raise_if_errors
from brochure_press.core.model import Edition, Variant
from brochure_press.core.project import Project

VARIANTS: tuple[Variant, ...] = ("print", "proof")


@dataclass(frozen=True, order=True)
class Job:
    """One PDF to make."""

    brochure: str
    edition: Edition
    variant: Variant

    @property
    def name(self) -> str:
        return f"{self.brochure}.{self.edition}.{self.variant}.pdf"

    def path(self, output_dir: Path) -> Path:
        """Where the PDF is written: `output/<brochure>/<brochure>.<edition>.<variant>.pdf`."""
        return output_dir / self.brochure / self.name


@dataclass(frozen=True)
class Made:
    """A PDF made in memory, with the seconds spent laying it out and writing it."""

    job: Job
    data: bytes
    pages: int
    layout_seconds: float
    write_seconds: float


@dataclass(frozen=True)
class Built:
    """A PDF that was written."""

    job: Job
    path: Path
    pages: int
    size: int
    layout_seconds: float
    write_seconds: float


def plan(
    project: Project, brochures: Iterable[str] = (), editions: Iterable[str] = (), variants: Iterable[str] = ()
) -> list[Job]:
    """Every job the selection asks for; an unknown name is an error with the known names as hint."""
    wanted = list(brochures) or list(project.brochures)
    unknown = [b for b in wanted if b not in project.brochures]
    if unknown:
        raise BuildError(
            [
                Diagnostic(
                    "error",
                    "unknown-brochure",
                    f"no brochure `{b}` in brochures/",
                    hint=f"one of: {', '.join(project.brochures)}",
                )
                for b in unknown
            ]
        )
    jobs = []
    for brochure in wanted:
        available = project.brochures[brochure].model.editions or project.campaign.model.editions
        for edition in available:
            for variant in VARIANTS:
                if (not editions or edition in editions) and (not variants or variant in variants):
                    jobs.append(Job(brochure, edition, variant))
    return sorted(jobs)


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


def job_inputs(project: Project, job: Job) -> list[Path]:
    """Every file a job's PDF depends on: its brochure, the campaign, its layout, the fonts, the profile."""
    campaign = project.campaign.model
    layouts = project.root / "layouts"
    files = [
        project.brochures[job.brochure].path,
        project.campaign.path,
        *tree_files(layouts / campaign.layouts[job.edition]),
        *tree_files(layouts / "base"),
        *tree_files(project.fonts_dir),
        project.root / campaign.print.output_intent.profile,
    ]
    return sorted({p for p in files if p.is_file()})


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
