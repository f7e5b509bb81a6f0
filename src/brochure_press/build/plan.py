"""The build plan: which PDFs a selection asks for, and every file each one depends on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from brochure_press.build.cache import input_key, tree_files
from brochure_press.core.diagnostics import BuildError, Diagnostic, unknown_brochures
from brochure_press.core.jobs import VARIANTS, Job
from brochure_press.core.languages import brochure_editions
from brochure_press.core.project import PICTOGRAMS, Project


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
    editions = list(editions)
    if unknown := unknown_brochures(wanted, project.brochures):
        raise BuildError(unknown)
    known = project.campaign.model.editions
    if strange := [e for e in editions if e not in known]:
        raise BuildError(
            [
                Diagnostic("error", "unknown-edition", f"no edition `{e}` in campaign.yaml", hint=f"one of: {', '.join(known)}")
                for e in strange
            ]
        )
    jobs = []
    for brochure in wanted:
        available = brochure_editions(project.campaign.model, project.brochures[brochure].model)
        for edition in available:
            for variant in VARIANTS:
                if (not editions or edition in editions) and (not variants or variant in variants):
                    jobs.append(Job(brochure, edition, variant))
    return sorted(jobs)


def layout_inputs(project: Project, layout: str) -> list[Path]:
    """The files every PDF in a layout depends on besides its brochure and the campaign: the layout's files and the
    shared ones (base templates, pictograms, partner logos), the fonts, the output-intent profile."""
    campaign = project.campaign.model
    layouts = project.root / "layouts"
    files = [
        *tree_files(layouts / layout),
        *tree_files(layouts / "base"),
        *tree_files(layouts / PICTOGRAMS),
        *tree_files(layouts / "logos"),
        *tree_files(project.fonts_dir),
        project.root / campaign.print.output_intent.profile,
    ]
    return sorted({p for p in files if p.is_file()})


def job_keys(project: Project, jobs: list[Job]) -> dict[Job, str]:
    """The cache key of each job: from the content of its brochure and its layout's inputs, the job and what of the
    campaign a PDF shows (all but the print order: quantities, printer and delivery only reach the job ticket); the
    same in `build`, `check` and `preview`, so each finds what the others recorded. Inputs that jobs share are read
    once."""
    options = project.campaign.model.model_dump_json(exclude={"order"})
    shared: dict[str, str] = {}
    keys = {}
    for job in jobs:
        layout = project.campaign.model.editions[job.edition].layout
        if layout not in shared:
            shared[layout] = input_key(project.root, layout_inputs(project, layout), options)
        keys[job] = input_key(project.root, [project.brochures[job.brochure].path], f"{job!r} {shared[layout]}")
    return keys
