"""The build plan: which PDFs from which sources, each made by the stages in turn and written atomically."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .coverage import glyph_problems
from .diagnostics import BuildError, Diagnostic, Location, raise_if_errors
from .finish import Finish, finish_pdf
from .fit import fit_problems, page_count_problem, panel_overflow
from .layouts import MARK_LENGTH_MM, MARK_OFFSET_MM, compose
from .model import Edition, Variant
from .preflight import expectations, preflight
from .project import Project
from .typeset import render, variant_options, write_pdf

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
class Built:
    """A PDF that was written."""

    job: Job
    path: Path
    pages: int
    size: int
    seconds: float


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


def check_sources(project: Project, jobs: list[Job]) -> list[Diagnostic]:
    """Source problems that stop the jobs: missing glyphs, and drafts refused for print."""
    problems: list[Diagnostic] = []
    policy = project.campaign.model.print.drafts
    problems += glyph_problems(project.campaign, project.fonts_dir)
    for brochure in sorted({job.brochure for job in jobs}):
        source = project.brochures[brochure]
        problems += glyph_problems(source, project.fonts_dir)
        if (
            policy == "refuse"
            and source.model.status == "draft"
            and any(j.brochure == brochure and j.variant == "print" for j in jobs)
        ):
            problems.append(
                Diagnostic(
                    "error",
                    "draft-refused",
                    f"{brochure} is a draft; campaign policy refuses print files of drafts",
                    source.location("status"),
                    "status",
                    "set `status: approved` after review, or build --variant proof",
                )
            )
    return problems


def make_pdf(project: Project, job: Job) -> tuple[bytes, int]:
    """PDF bytes and page count of one job, or a BuildError naming what does not fit."""
    source = project.brochures[job.brochure]
    spec = project.campaign.model.print
    composed = compose(project, job.brochure, job.edition, job.variant)
    layout_file = project.layouts[project.campaign.model.layouts[job.edition]].path
    where = Location(layout_file)
    document = render(composed.html, project.root, where)
    if panel_overflow(document):
        measured = render(compose(project, job.brochure, job.edition, job.variant, measure=True).html, project.root, where)
        what = f"{job.brochure} ({job.edition} edition)"
        panels = {s.panel: i for i, s in enumerate(source.model.sections)}
        raise_if_errors(
            fit_problems(
                measured, what, lambda panel: source.location("sections", panels[panel]) if panel in panels else source.location()
            )
        )
    if composed.layout.pages and len(document.pages) != len(composed.layout.pages):
        raise BuildError([page_count_problem(len(document.pages), composed.layout, where)])
    is_print = job.variant == "print"
    data = write_pdf(document, variant_options(job.variant, spec.standard))
    fingerprint = hashlib.sha256(f"{job}\n{composed.html}".encode()).hexdigest()
    finish = Finish(
        fingerprint=fingerprint,
        direction=composed.direction,
        output_intent=spec.output_intent if is_print else None,
        bleed_mm=composed.bleed_mm,
        marks=is_print and spec.marks == "crop",
        mark_offset_mm=max(MARK_OFFSET_MM, composed.bleed_mm),
        mark_length_mm=MARK_LENGTH_MM,
        folds_mm=tuple(tuple(p.x for p in page if p.x > 0) for page in composed.pages),
    )
    finished = finish_pdf(data, finish)
    if is_print:
        raise_if_errors(preflight(finished, job.path(project.output_dir), expectations(project, job.edition)).diagnostics)
    return finished, len(document.pages)


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old content or the new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(project: Project, jobs: list[Job]) -> Iterator[Built]:
    """Make every job; all PDFs are made before any is written, so a failure leaves outputs untouched."""
    raise_if_errors(check_sources(project, jobs))
    made: list[tuple[Job, bytes, int, float]] = []
    problems: list[Diagnostic] = []
    for job in jobs:
        start = time.perf_counter()
        try:
            data, pages = make_pdf(project, job)
        except BuildError as exc:
            problems.extend(exc.diagnostics)
            continue
        made.append((job, data, pages, time.perf_counter() - start))
    raise_if_errors(problems)
    for job, data, pages, seconds in made:
        path = job.path(project.output_dir)
        write_atomic(path, data)
        yield Built(job, path, pages, len(data), seconds)
