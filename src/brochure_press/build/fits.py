"""Layout records: what laying out each job found (its pages, or the problems that stop it), kept per job key in
`output/.cache/layouts.json`, so that `check`, `build` and `preview` never lay out again what did not change."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brochure_press.build.cache import merge_records, read_records
from brochure_press.build.plan import job_keys
from brochure_press.build.pool import Workers
from brochure_press.core.diagnostics import BuildError, Diagnostic, Location
from brochure_press.core.jobs import Job
from brochure_press.core.project import Project, ensure_inside

if TYPE_CHECKING:
    from weasyprint import Document

    from brochure_press.compose.layouts import Composed

LAYOUTS_FILE = Path(".cache") / "layouts.json"
#: Stands for the project folder in recorded messages, so a copy of the project reads its own paths.
ROOT = "\x00project\x00"


@dataclass(frozen=True)
class Fit:
    """What laying out one job found: its page count, the problems that stop it (none when it fits), and warnings
    that do not (WeasyPrint's that stop nothing, panels left too empty, headings left at the foot of a page)."""

    pages: int
    problems: tuple[Diagnostic, ...]
    seconds: float
    warnings: tuple[Diagnostic, ...] = ()


def laid_out(project: Project, job: Job) -> tuple[Fit, tuple[Composed, Document] | None]:
    """Lay out one job: what was found, and the laid-out document when it fits."""
    from brochure_press.render.fit import fill_problems, stranded_problems
    from brochure_press.render.job import lay_out, panel_places, section_places

    start = time.perf_counter()
    typesetting: list[Diagnostic] = []
    try:
        document = lay_out(project, job, typesetting)
    except BuildError as exc:
        return Fit(0, tuple(exc.diagnostics), time.perf_counter() - start), None
    what, locate = panel_places(project, job)
    warnings = (
        *dict.fromkeys(typesetting),
        *fill_problems(document[1], what, locate),
        *stranded_problems(document[1], what, section_places(project, job)),
    )
    return Fit(len(document[1].pages), (), time.perf_counter() - start, warnings), document


def fit_of(project: Project, job: Job) -> tuple[Job, Fit]:
    """Lay out one job for its fit only (run in workers)."""
    return job, laid_out(project, job)[0]


def _diagnostic_data(diagnostic: Diagnostic, root: str) -> dict[str, Any]:
    where = diagnostic.location
    path = where and str(where.path)
    return {
        "severity": diagnostic.severity,
        "code": diagnostic.code,
        "message": diagnostic.message.replace(root, ROOT),
        "path": path and (path[len(root) + 1 :] if path.startswith(f"{root}/") else path),
        "line": where.line if where else 0,
        "column": where.column if where else 0,
        "field": diagnostic.field,
        "hint": diagnostic.hint.replace(root, ROOT),
        "kind": diagnostic.kind,
    }


def _diagnostic(data: dict[str, Any], root: Path) -> Diagnostic:
    where = Location(root / data["path"], int(data["line"]), int(data["column"])) if data["path"] else None
    text = str(root)
    return Diagnostic(
        data["severity"],
        str(data["code"]),
        str(data["message"]).replace(ROOT, text),
        where,
        str(data["field"]),
        str(data["hint"]).replace(ROOT, text),
        data.get("kind", "source"),
    )


def recorded(project: Project, keys: dict[Job, str]) -> dict[Job, Fit]:
    """The fits recorded for these jobs with these keys (by `check`, `build` or `preview`)."""
    records = read_records(project.output_dir / LAYOUTS_FILE)
    found = {}
    for job, key in keys.items():
        entry = records.get(job.name)
        if not isinstance(entry, dict) or entry.get("inputs") != key:
            continue
        try:
            problems = tuple(_diagnostic(d, project.root) for d in entry["problems"])
            warnings = tuple(_diagnostic(d, project.root) for d in entry["warnings"])
            found[job] = Fit(int(entry["pages"]), problems, float(entry["seconds"]), warnings)
        except (KeyError, TypeError, ValueError):
            continue  # a damaged record is laid out again
    return found


def slowest_first(project: Project, jobs: list[Job]) -> list[Job]:
    """Jobs in the order that lets workers finish together: the slowest to lay out last time first, and jobs never
    laid out before those, the editions with the most languages first; the jobs of one edition of a brochure one
    after the other (a process makes them together: `pool.batches`)."""
    records = read_records(project.output_dir / LAYOUTS_FILE)
    editions = project.campaign.model.editions

    def cost(job: Job) -> tuple[bool, float]:
        entry = records.get(job.name)
        seconds = entry.get("seconds") if isinstance(entry, dict) else None
        if isinstance(seconds, float | int):
            return (False, float(seconds))
        return (True, float(len(editions[job.edition].languages)))

    editions_of: dict[tuple[str, str], list[Job]] = {}
    for job in sorted(jobs, key=cost, reverse=True):
        editions_of.setdefault((job.brochure, job.edition), []).append(job)
    return [job for same in editions_of.values() for job in same]


def record(project: Project, fits: Iterable[tuple[Job, str, Fit]]) -> None:
    """Keep what laying out found, per job, under the key it was found for."""
    root = str(project.root)
    entries = {
        job.name: {
            "inputs": key,
            "pages": fit.pages,
            "problems": [_diagnostic_data(d, root) for d in fit.problems],
            "warnings": [_diagnostic_data(d, root) for d in fit.warnings],
            "seconds": round(fit.seconds, 3),
        }
        for job, key, fit in fits
    }
    if entries:
        ensure_inside(project.root, project.output_dir, (project.output_dir / LAYOUTS_FILE).parent)
        merge_records(project.output_dir / LAYOUTS_FILE, entries)


class Fitting:
    """The fit of every job: from the records where its inputs did not change, laid out (in worker processes when
    there are several) where they did. The workers start at once, so that work done before `results` overlaps
    their start-up; leaving the `with` block stops them."""

    def __init__(self, project: Project, jobs: list[Job], workers: int = 1) -> None:
        ensure_inside(project.root, project.output_dir, (project.output_dir / LAYOUTS_FILE).parent)
        self._project = project
        self._keys = job_keys(project, jobs)
        self._known = recorded(project, self._keys)
        self._todo = slowest_first(project, [job for job in jobs if job not in self._known])
        self._pool = Workers(fit_of, project, workers, len(self._todo))

    def __enter__(self) -> Fitting:
        return self

    def results(self) -> tuple[dict[Job, Fit], int]:
        """Every job's fit, and how many of them were laid out now; what was laid out is recorded."""
        found = dict(self._pool.map(self._todo))
        record(self._project, ((job, self._keys[job], fit) for job, fit in found.items()))
        return {job: self._known.get(job) or found[job] for job in self._keys}, len(found)

    def __exit__(self, *exc: object) -> None:
        self._pool.__exit__(*exc)
