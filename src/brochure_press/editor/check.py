"""Every check of a project's sources and layouts, print files untouched: a list of located diagnostics."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from brochure_press.build.fits import Fitting
from brochure_press.compose.coverage import glyph_problems
from brochure_press.core.diagnostics import BuildError, Diagnostic, Location
from brochure_press.core.jobs import Job
from brochure_press.core.project import CAMPAIGN_FILE, Project, load_sources
from brochure_press.core.sources import Key, Marks, data_path, dotted, locate, validate
from brochure_press.editor.lint import LANGUAGE_NAMES, control_character_problems, layout_problems, text_problems
from brochure_press.editor.translations import Lock, freshness_problems, read_lock

#: Stands in for a missing translation so that the other checks can still run on the file.
STAND_IN = "…"


@dataclass
class _Lenient:
    """Validates like `sources.validate`, but reports a missing English or Arabic text as such and fills it in."""

    problems: list[Diagnostic] = field(default_factory=list)
    gaps: dict[Path, set[Key]] = field(default_factory=dict)

    def __call__(self, model: type[BaseModel], data: Any, marks: Marks, path: Path) -> Any:
        try:
            model.model_validate(data)
        except ValidationError as exc:
            missing = [data_path(data, e["loc"]) for e in exc.errors() if _is_gap(e, data)]
            if missing:
                data = copy.deepcopy(data)
            for key in missing:
                if _fill(data, key):
                    self.gaps.setdefault(path, set()).add(key[:-1])
                    self.problems.append(_gap_problem(key, marks, path))
        return validate(model, data, marks, path)


def _is_gap(error: Any, data: Any) -> bool:
    """A text of a pair that is missing, empty or blank."""
    key = data_path(data, error["loc"])
    empty = error["type"] == "string_too_short" or (error["type"] == "string_type" and error["input"] is None)
    return bool(key) and key[-1] in LANGUAGE_NAMES and (error["type"] == "missing" or empty)


def _fill(data: Any, key: Key) -> bool:
    """Put the stand-in text at `key`; False when the path is not there."""
    for part in key[:-1]:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return False
    if not isinstance(data, dict):
        return False
    data[key[-1]] = STAND_IN
    return True


def _gap_problem(key: Key, marks: Marks, path: Path) -> Diagnostic:
    language = LANGUAGE_NAMES[str(key[-1])]
    where = marks.get(key) or locate(marks, key[:-1]) or Location(path)
    hint = f"write the {language} text after `{key[-1]}:`" if key in marks else f"add `{key[-1]}: …` beside the other language"
    message = f"the {language} translation is missing" if key[-1] == "ar" else "the English text is missing"
    return Diagnostic("error", "missing-translation", message, where, dotted(key[:-1]), hint)


@dataclass(frozen=True)
class Report:
    """What `check` found, and what it looked at."""

    diagnostics: list[Diagnostic]
    files: list[Path]
    editions: int
    laid_out: int = 0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def _selected(root: Path, brochures: Sequence[str]) -> list[str]:
    known = sorted(p.stem for p in (root / "brochures").glob("*.yaml") if p.name != CAMPAIGN_FILE)
    unknown = [b for b in brochures if b not in known]
    if unknown:
        raise BuildError(
            [
                Diagnostic("error", "unknown-brochure", f"no brochure `{b}` in brochures/", hint=f"one of: {', '.join(known)}")
                for b in unknown
            ]
        )
    return list(dict.fromkeys(brochures)) or known


def check(root: Path, brochures: Sequence[str] = (), fit: bool = True, workers: int = 1) -> Report:
    """Check the campaign, the named brochures (default: all) and the layouts; no PDF is written. Editions are laid
    out (in `workers` processes) only when their inputs changed since the last check, build or preview."""
    selected = _selected(root, brochures)
    lenient = _Lenient()
    project, problems = load_sources(root, lenient)
    files = [root / "brochures" / CAMPAIGN_FILE, *(root / "brochures" / f"{b}.yaml" for b in selected)]
    if project is None:
        return Report(_sorted(_file_problems(root, files, [*problems, *lenient.problems])), files, 0)
    jobs = _print_jobs(project, [b for b in selected if b in project.brochures]) if fit else []
    with Fitting(project, jobs, workers) as fitting:  # the workers start while the other checks run
        diagnostics = _file_problems(root, files, [*problems, *lenient.problems])
        diagnostics += _source_problems(root, project, selected, lenient)
        found, laid_out = fitting.results()
    diagnostics += [d for outcome in found.values() for d in outcome.problems]
    return Report(_sorted(diagnostics), files, len(jobs), laid_out)


def _file_problems(root: Path, files: list[Path], problems: list[Diagnostic]) -> list[Diagnostic]:
    """Problems of reading the checked files and the layouts, and control characters in the files."""
    wanted = {*files, *(root / "layouts").glob("*/layout.yaml")}
    diagnostics = [d for d in problems if d.location is None or d.location.path in wanted]
    for path in files:
        diagnostics += control_character_problems(path)
    return diagnostics + layout_problems(root / "layouts")


def _source_problems(root: Path, project: Project, selected: list[str], lenient: _Lenient) -> list[Diagnostic]:
    """Glyphs, texts and translation freshness of the campaign and the selected brochures."""
    diagnostics: list[Diagnostic] = []
    lock: Lock | None = None
    try:
        lock = read_lock(root)
    except BuildError as exc:  # reported once, instead of every pair as unapproved
        diagnostics += exc.diagnostics
    campaign = project.campaign.model
    sources = {"campaign": project.campaign} | {b: project.brochures[b] for b in selected if b in project.brochures}
    for source_id, source in sources.items():
        skip = lenient.gaps.get(source.path, set())
        diagnostics += glyph_problems(source, project.fonts_dir)
        diagnostics += text_problems(source, campaign, skip)
        if lock is not None:
            diagnostics += freshness_problems(source, source_id, lock, skip)
    return diagnostics


def _print_jobs(project: Project, brochures: list[str]) -> list[Job]:
    """The print file of every edition of these brochures whose layout exists: what `check` lays out."""
    campaign = project.campaign.model
    return [
        Job(brochure, edition, "print")
        for brochure in brochures
        for edition in project.brochures[brochure].model.editions or campaign.editions
        if campaign.layouts.get(edition) in project.layouts
    ]


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Each diagnostic once, by file, line, column and message."""
    return sorted(dict.fromkeys(diagnostics), key=_order)


def _order(d: Diagnostic) -> tuple[str, int, int, str]:
    where = d.location or Location(Path(""))
    return (str(where.path), where.line, where.column, d.message)
