"""Making one PDF: compose, lay out, check the fit, write and finish; and the source checks that come first."""

from __future__ import annotations

import datetime as dt
import hashlib
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brochure_press.compose.coverage import glyph_problems
from brochure_press.compose.inline import suspicious_characters
from brochure_press.compose.layouts import MARK_LENGTH_MM, Composed, compose, fold_positions, page_multiple, reading_order
from brochure_press.compose.logos import logo_problems
from brochure_press.core.diagnostics import BuildError, Diagnostic, Location, raise_if_errors
from brochure_press.core.jobs import Job
from brochure_press.core.languages import draft_edition, language_scripts
from brochure_press.core.project import Project, Source
from brochure_press.core.translations import read_lock, unfinished_problems
from brochure_press.core.walk import texts
from brochure_press.render.fit import COVER_TITLE, fit_problems, page_count_problem, panel_overflow
from brochure_press.render.typeset import font_configuration, render, variant_options, write_pdf

if TYPE_CHECKING:
    from weasyprint import Document

#: Millimetres per PDF point.
MM_PER_PT = 25.4 / 72


def hidden_character_warnings(source: Source[Any]) -> list[Diagnostic]:
    """Warnings for bidi controls and control characters in texts; they are removed before typesetting."""
    warnings = []
    for key, text in texts(source.model):
        for lang, value in text.root.items():
            found = suspicious_characters(value)
            if found:
                warnings.append(
                    source.diagnostic(
                        (*key, lang),
                        "warning",
                        "hidden-characters",
                        f"{', '.join(found)} removed: invisible controls can reorder or hide what a reader sees",
                        "delete them; the layout isolates numbers and Latin words by itself",
                    )
                )
    return warnings


@dataclass(frozen=True)
class SourceCheck:
    """What the source checks found before making jobs: `problems` (their errors stop every job), and per
    brochure the errors that refuse only its print files (texts unfinished or stale, a draft the policy refuses)."""

    problems: list[Diagnostic]
    refused: dict[str, list[Diagnostic]]


def check_sources(project: Project, jobs: list[Job], allow_draft: bool = False) -> SourceCheck:
    """Source problems of the jobs: missing glyphs stop them all; for print files (unless `allow_draft`) stale
    translations and texts still marked TODO refuse the print files of their brochure (of every brochure when in
    campaign.yaml), as does a draft the campaign's policy refuses. For proofs they are warnings. A partner logo print
    cannot use (missing, raster, RGB) refuses every print file, `allow_draft` or not."""
    problems: list[Diagnostic] = []
    refused: dict[str, list[Diagnostic]] = {}
    campaign = project.campaign.model
    policy = campaign.print.drafts
    problems += glyph_problems(project.campaign, campaign, project.fonts_dir)
    lock = read_lock(project.root)
    prints = {job.brochure for job in jobs if job.variant == "print"}
    printing = set() if allow_draft else prints
    shared = unfinished_problems(project.campaign, "campaign", lock, campaign, bool(printing))
    logos = logo_problems(project.campaign, project.root) if prints else []
    for brochure in sorted({job.brochure for job in jobs}):
        source = project.brochures[brochure]
        problems += glyph_problems(source, campaign, project.fonts_dir)
        problems += hidden_character_warnings(source)
        unfinished = unfinished_problems(source, brochure, lock, campaign, brochure in printing)
        if brochure in printing:
            refused[brochure] = shared + unfinished
        else:
            problems += unfinished
        if brochure in prints and logos:
            refused.setdefault(brochure, []).extend(logos)
        if policy == "refuse" and source.model.status == "draft" and brochure in prints:
            refused.setdefault(brochure, []).append(
                Diagnostic(
                    "error",
                    "draft-refused",
                    f"{brochure} is a draft; campaign policy refuses print files of drafts",
                    source.location("status"),
                    "status",
                    "set `status: approved` after review, or build --variant proof",
                )
            )
    if not printing:
        problems += shared
    return SourceCheck(problems, {brochure: found for brochure, found in refused.items() if found})


def panel_places(project: Project, job: Job) -> tuple[str, Callable[[str], Location]]:
    """How diagnostics about a job's panels name it (brochure and edition) and where in its source a panel's
    content is written (its section, the title for the cover's title box)."""
    source = project.brochures[job.brochure]
    places: dict[str, Location] = {s.panel: source.location("sections", i) for i, s in enumerate(source.model.sections)}
    places |= {COVER_TITLE: source.location("title")}

    def locate(panel: str) -> Location:
        return places.get(panel, source.location())

    return f"{job.brochure} ({job.edition} edition)", locate


def section_places(project: Project, job: Job) -> Callable[[int | None], Location]:
    """Where in a job's source a section is written, by its index (the brochure itself for None)."""
    source = project.brochures[job.brochure]

    def locate(index: int | None) -> Location:
        return source.location("sections", index) if index is not None else source.location()

    return locate


#: Blank pages this process last gave a flowing document, by brochure and edition: its other variant (print file or
#: proof, made next by the same process: `build.pool.batches`) is composed with them before its first layout.
_blank_pages: dict[tuple[str, str], int] = {}


def lay_out(project: Project, job: Job, warnings: list[Diagnostic] | None = None) -> tuple[Composed, Document]:
    """Compose and lay out one job; a BuildError names every panel whose text runs over (measured in
    full on tall pages), or a page count the layout does not have. A flowing document (no fixed pages)
    ends with the blank pages that make its page count suit the binding: first those its other variant needed,
    others as soon as a layout shows that the count does not suit (`typeset.render`'s `revise`).
    `warnings`, when given, receives WeasyPrint's warnings that do not stop the build (`typeset.render`)."""
    edition = (job.brochure, job.edition)
    layout = project.layouts[project.campaign.model.editions[job.edition].layout]
    flowing = not layout.model.pages
    blank = _blank_pages.get(edition, 0) if flowing else 0
    composed = compose(project, job.brochure, job.edition, job.variant, blank_pages=blank)
    where = Location(layout.path)

    def with_blank_pages(document: Document) -> str | None:
        """The HTML again with the blank pages that make the page count suit the binding, when those it has do not."""
        nonlocal blank, composed
        needed = -(len(document.pages) - blank) % page_multiple(project)
        if needed == blank:
            return None
        blank = needed
        composed = compose(project, job.brochure, job.edition, job.variant, blank_pages=blank)
        return composed.html

    document = render(composed.html, project.root, where, warnings, with_blank_pages if flowing else None)
    if panel_overflow(document):
        measured = render(compose(project, job.brochure, job.edition, job.variant, measure=True).html, project.root, where)
        what, locate = panel_places(project, job)
        # Measured on tall pages to give the full length; what only the real pages show is reported as it is.
        raise_if_errors(fit_problems(measured, what, locate) or fit_problems(document, what, locate))
    if not flowing and len(document.pages) != len(composed.layout.pages):
        raise BuildError([page_count_problem(len(document.pages), composed.layout, where)])
    if flowing:
        again = with_blank_pages(document)
        if again is not None:
            document = render(again, project.root, where, warnings)
        _blank_pages[edition] = blank
    return composed, document


def make_pdf(project: Project, job: Job, timings: dict[str, float] | None = None) -> tuple[bytes, int]:
    """PDF bytes and page count of one job, or a BuildError naming what does not fit.
    `timings`, when given, receives the seconds spent laying out and writing."""
    start = time.perf_counter()
    composed, document = lay_out(project, job)
    laid_out = time.perf_counter()
    result = write_job(project, job, composed, document)
    if timings is not None:
        timings.update(layout=laid_out - start, write=time.perf_counter() - laid_out)
    return result, len(document.pages)


#: Preflight's warnings the build does not repeat: a draft's print file says DRAFT by design, and the build says so.
SAID_ELSEWHERE = frozenset({"preflight-draft"})


def write_job(
    project: Project, job: Job, composed: Composed, document: Document, warnings: list[Diagnostic] | None = None
) -> bytes:
    """The finished PDF of a laid-out job, preflighted when it is a print file (a BuildError when that fails; its
    warnings go to `warnings` when given, e.g. ink not measured without Ghostscript)."""
    # Imported here: `check` lays out without writing, and its workers start faster without pikepdf and PDFium.
    from brochure_press.pdf.readback import source_words
    from brochure_press.preflight.expectations import expectations
    from brochure_press.preflight.printcheck import preflight
    from brochure_press.render.finish import Finish, finish_pdf
    from brochure_press.render.pdfua import claim_pdfua

    spec = project.campaign.model.print
    is_print = job.variant == "print"
    data = write_pdf(document, variant_options(job.variant, spec.standard), composed.direction)
    fingerprint = hashlib.sha256(f"{job}\n{composed.html}".encode()).hexdigest()
    revised = project.brochures[job.brochure].model.revised
    finish = Finish(
        fingerprint=fingerprint,
        direction=composed.direction,
        revised=dt.datetime(revised.year, revised.month, revised.day, tzinfo=dt.UTC),
        output_intent=spec.output_intent if is_print else None,
        standard=spec.standard,
        bleed_mm=composed.bleed_mm,
        marks=is_print and spec.marks == "crop",
        mark_offset_mm=composed.mark_offset_mm,
        mark_length_mm=MARK_LENGTH_MM,
        folds_mm=fold_positions(composed.pages),
        draft=draft_edition(project.campaign.model, project.brochures[job.brochure].model, job.edition),
        reading_order=reading_order(composed.pages),
        fonts_dir=project.fonts_dir,
    )
    result = finish_pdf(data, finish)
    raise_if_errors(art_problems(project, job, composed, document, result))
    if is_print:
        expected = expectations(project, job.edition, brochure=job.brochure)
        found = preflight(result, job.path(project.output_dir), expected).diagnostics
        raise_if_errors(found)
        if warnings is not None:
            warnings += [d for d in found if d.severity == "warning" and d.code not in SAID_ELSEWHERE]
        return result
    return claim_pdfua(result, composed.lang, language_scripts(project.campaign.model), source_words(composed.html))


def art_problems(project: Project, job: Job, composed: Composed, document: Document, data: bytes) -> list[Diagnostic]:
    """An error for each pictogram, QR code and logo the composed HTML declares that the finished PDF does not
    paint where the layout placed it, naming brochure, edition, page, panel and element."""
    from brochure_press.preflight.art import unpainted_art
    from brochure_press.render.art import placed_art

    what, locate = panel_places(project, job)
    problems = []
    for art in unpainted_art(data, placed_art(composed.html, document)):
        if art.box is None:
            where, location = "is laid out nowhere", project.brochures[job.brochure].location()
        else:
            left, top = (round(v * MM_PER_PT, 1) for v in art.box[:2])
            panel = f", panel `{art.panel}`" if art.panel else ""
            where = f"(page {art.page}{panel}, {left} mm from the left and {top} mm from the top of the trim) is not painted"
            location = locate(art.panel)
        problems.append(
            Diagnostic(
                "error",
                "art-missing",
                f"{what}, {job.variant} file: {art.what} {where}",
                location,
                hint="the layout declares it but the page does not show it: a drawing HTML does not draw "
                "(e.g. an SVG written as <ns0:svg>), or a file that does not load",
                kind="preflight",
            )
        )
    return problems


def start_worker(fonts_dir: Path) -> None:
    """Worker set-up: Ctrl-C is the parent's to handle; WeasyPrint and the fonts are loaded once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    font_configuration(fonts_dir)
