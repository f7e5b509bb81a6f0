"""Every check of a project's sources and layouts, print files untouched: a list of located diagnostics."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from brochure_press.build.fits import Fitting
from brochure_press.compose.coverage import fallback_problems, glyph_problems
from brochure_press.compose.qr import base_url_problems
from brochure_press.core.diagnostics import BuildError, Diagnostic, Location, unknown_brochures
from brochure_press.core.glossary import GLOSSARY_FILE
from brochure_press.core.jobs import Job
from brochure_press.core.languages import (
    brochure_editions,
    brochure_languages,
    campaign_languages,
    missing_text_problem,
    missing_texts,
)
from brochure_press.core.model import LANGUAGE_PATTERN, Brochure
from brochure_press.core.project import CAMPAIGN_FILE, Project, Source, brochure_files, load_sources
from brochure_press.core.revisions import Revision, read_revisions, revision_problems
from brochure_press.core.sources import Key, Marks, data_path, validate
from brochure_press.core.translations import Lock, freshness_problems, read_lock
from brochure_press.editor.layoutlint import layout_problems
from brochure_press.editor.lint import control_character_problems, text_problems
from brochure_press.editor.terminology import terminology_problems
from brochure_press.render.job import hidden_character_warnings

#: Stands in for a missing text so that the fit of its brochure can still be checked.
STAND_IN = "…"
#: Matches a key that names a language, as texts use them.
LANGUAGE_CODE = re.compile(LANGUAGE_PATTERN)


@dataclass
class _Lenient:
    """Validates like `sources.validate`, but reports an empty text as a missing translation and leaves it out."""

    problems: list[Diagnostic] = field(default_factory=list)
    gaps: dict[Path, set[Key]] = field(default_factory=dict)

    def __call__(self, model: type[BaseModel], data: Any, marks: Marks, path: Path) -> Any:
        try:
            model.model_validate(data)
        except ValidationError as exc:
            empty = [data_path(data, e["loc"]) for e in exc.errors() if _is_empty_text(e, data)]
            if empty:
                data = copy.deepcopy(data)
            for key in empty:
                if _drop(data, key):
                    self.gaps.setdefault(path, set()).add(key[:-1])
        return validate(model, data, marks, path)


def _is_empty_text(error: Any, data: Any) -> bool:
    """A text of one language that is empty or blank."""
    key = data_path(data, error["loc"])
    empty = error["type"] == "string_too_short" or (error["type"] == "string_type" and error["input"] is None)
    return bool(key) and isinstance(key[-1], str) and LANGUAGE_CODE.match(key[-1]) is not None and empty


def _drop(data: Any, key: Key) -> bool:
    """Remove the text at `key`, so that it counts as missing; False when the path is not there."""
    for part in key[:-1]:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return False
    if not isinstance(data, dict):
        return False
    data.pop(key[-1], None)
    return True


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


def _with_stand_ins(project: Project, brochure: str, gaps: list[Key]) -> Project:
    """The project with a stand-in for each missing text of one brochure, so that its fit can still be checked."""
    source = project.brochures[brochure]
    data = source.model.model_dump(exclude_none=True)
    for key in gaps:
        _place(data, key, STAND_IN)
    model = Brochure.model_validate(data)
    return replace(project, brochures=project.brochures | {brochure: replace(source, model=model)})


def _place(data: Any, key: Key, value: str) -> None:
    for part in key[:-1]:
        data = data[part]
    data[key[-1]] = value


def _selected(root: Path, brochures: Sequence[str]) -> list[str]:
    known = [p.stem for p in brochure_files(root)]
    if unknown := unknown_brochures(brochures, known):
        raise BuildError(unknown)
    return list(dict.fromkeys(brochures)) or known


def _escaped_controls(sources: dict[str, Source[Any]], found: list[Diagnostic]) -> list[Diagnostic]:
    """Controls in texts that the file's lines do not show, written as escapes (`"\\e[2J"`), reported as typed ones are."""
    seen = {(d.location.path, d.location.line) for d in found if d.code == "control-character" and d.location}
    warnings = [d for source in sources.values() for d in hidden_character_warnings(source)]
    return [d for d in warnings if d.location and (d.location.path, d.location.line) not in seen]


def check(root: Path, brochures: Sequence[str] = (), fit: bool = True, workers: int = 1) -> Report:
    """Check the campaign, the named brochures (default: all) and the layouts; no PDF is written. Editions are laid
    out (in `workers` processes) only when their inputs changed since the last check, build or preview."""
    selected = _selected(root, brochures)
    lenient = _Lenient()
    project, problems = load_sources(root, lenient)
    campaign_file = root / "brochures" / CAMPAIGN_FILE
    glossary_file = root / "brochures" / GLOSSARY_FILE
    files = [
        campaign_file,
        *([glossary_file] if glossary_file.exists() else []),
        *(root / "brochures" / f"{b}.yaml" for b in selected),
    ]
    wanted = {*files, *(root / "layouts").glob("*/layout.yaml")}
    problems = [d for d in problems if d.code != "missing-translation"]
    diagnostics = [
        d for d in problems if d.location is None or d.location.path in wanted or d.code in ("stray-source", "not-a-font")
    ]
    for path in files:
        diagnostics += control_character_problems(path)
    diagnostics += layout_problems(root / "layouts")
    if project is None:
        return Report(_sorted(diagnostics), files, 0)
    campaign = project.campaign.model
    sources: dict[str, Source[Any]] = {"campaign": project.campaign}
    sources |= {b: project.brochures[b] for b in selected if b in project.brochures}
    diagnostics += _escaped_controls(sources, diagnostics)
    required = {"campaign": campaign_languages(campaign, [s.model for s in project.brochures.values()])}
    required |= {b: brochure_languages(campaign, s.model) for b, s in project.brochures.items()}
    gaps = {i: [k for k in missing_texts(s.model, required[i]) if k[-1] in campaign.languages] for i, s in sources.items()}
    to_lay_out = project  # missing texts stood in for, so that the fit can still be checked
    for source_id, keys in gaps.items():
        if keys and source_id != "campaign":
            to_lay_out = _with_stand_ins(to_lay_out, source_id, keys)
    jobs = _print_jobs(to_lay_out, [b for b in selected if b in project.brochures]) if fit else []
    with Fitting(to_lay_out, jobs, workers) as fitting:  # the workers start while the other checks run
        diagnostics += _source_problems(root, project, sources, gaps, lenient)
        if any(d.severity == "error" and d.location and d.location.path == campaign_file for d in diagnostics):
            return Report(_sorted(diagnostics), files, 0)  # the campaign is broken: no edition can be laid out
        found, fresh = fitting.results()
    diagnostics += [d for outcome in found.values() for d in (*outcome.problems, *outcome.warnings)]
    return Report(_sorted(diagnostics), files, len(jobs), fresh)


def _source_problems(
    root: Path, project: Project, sources: dict[str, Source[Any]], gaps: dict[str, list[Key]], lenient: _Lenient
) -> list[Diagnostic]:
    """Missing texts, glyphs, fallback faces, texts, terms and translation freshness of the checked sources."""
    campaign = project.campaign.model
    diagnostics: list[Diagnostic] = []
    lock: Lock | None = None
    revisions: dict[str, Revision] = {}
    try:
        lock, revisions = read_lock(root), read_revisions(root)
    except BuildError as exc:  # reported once, instead of every pair as unapproved
        diagnostics += exc.diagnostics
    diagnostics += terminology_problems(root, sources, campaign)
    diagnostics += base_url_problems(project.campaign)
    for source_id, source in sources.items():
        diagnostics += [missing_text_problem(key, source.marks, source.path, campaign) for key in gaps[source_id]]
        skip = lenient.gaps.get(source.path, set()) | {key[:-1] for key in gaps[source_id]}
        diagnostics += glyph_problems(source, campaign, project.fonts_dir)
        diagnostics += fallback_problems(source, campaign, project.fonts_dir)
        diagnostics += text_problems(source, campaign)  # a missing translation leaves the other languages to check
        if lock is not None:
            diagnostics += freshness_problems(source, source_id, lock, campaign, skip)
        if source_id in project.brochures:
            diagnostics += revision_problems(project.brochures[source_id], revisions.get(source_id))
    return diagnostics


def _print_jobs(project: Project, brochures: list[str]) -> list[Job]:
    """The print file of every edition of these brochures whose layout exists: what `check` lays out."""
    campaign = project.campaign.model
    return [
        Job(brochure, edition, "print")
        for brochure in brochures
        for edition in brochure_editions(campaign, project.brochures[brochure].model)
        if campaign.editions[edition].layout in project.layouts
    ]


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Each diagnostic once, by file, line, column and message."""
    return sorted(dict.fromkeys(diagnostics), key=_order)


def _order(d: Diagnostic) -> tuple[str, int, int, str]:
    where = d.location or Location(Path(""))
    return (str(where.path), where.line, where.column, d.message)
