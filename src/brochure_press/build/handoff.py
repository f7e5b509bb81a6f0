"""The printer's hand-off bundle: print PDFs, job ticket, proofs, preflight reports and share cards, as a folder and
a reproducible zip."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from brochure_press.build.bundle import write_bundle
from brochure_press.build.jobticket import TicketFile, ticket_data, ticket_markdown
from brochure_press.build.plan import plan
from brochure_press.build.printorder import ORDER_KEY, open_questions
from brochure_press.build.refusals import from_project, refusals
from brochure_press.build.run import run
from brochure_press.core.diagnostics import BuildError, Diagnostic, raise_if_errors
from brochure_press.core.jobs import Job
from brochure_press.core.languages import draft_edition, source_language
from brochure_press.core.policy import PROOF_DPI
from brochure_press.core.project import Project, outside_problems
from brochure_press.pdf.textpositions import PDFIUM_LOCK
from brochure_press.preflight.expectations import expectations
from brochure_press.preflight.printcheck import Report, preflight
from brochure_press.preflight.report import report_text
from brochure_press.render.job import check_sources
from brochure_press.web.cards import share_cards

HANDOFF_FOLDER = "handoff"
#: Zip archives hold dates from 1980 to 2107 only.
EARLIEST = dt.date(1980, 1, 1)
LATEST = dt.date(2107, 12, 31)


@dataclass(frozen=True)
class Handoff:
    """A bundle that was written."""

    folder: Path
    archive: Path
    files: tuple[str, ...]
    reports: tuple[Report, ...]
    draft: bool


def slug(text: str) -> str:
    """A file-name-safe form of a name: `Together Against Trafficking` → `together-against-trafficking`."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "campaign"


def select(project: Project, brochures: Iterable[str], allow_draft: bool) -> list[str]:
    """The brochures to hand off; drafts and unreviewed translations are refused unless `allow_draft`, all named
    at once."""
    wanted = list(brochures) or list(project.brochures)
    plan(project, wanted, variants=["print"])  # raises for unknown names
    if not allow_draft:
        raise_if_errors(from_project(project.root, refusals(project, wanted)))
    return wanted


def bundle_date(project: Project, brochures: list[str], date: dt.date | None) -> dt.date:
    """The bundle's date: the one given, else the latest `revised` of its brochures (never today's clock)."""
    chosen = date or max(project.brochures[b].model.revised for b in brochures)
    if not EARLIEST <= chosen <= LATEST:
        why = f"{chosen} is before 1980" if chosen < EARLIEST else f"{chosen} is after 2107"
        hint = "give --date YYYY-MM-DD, or correct `revised:` (zip files carry dates from 1980 to 2107)"
        raise BuildError([Diagnostic("error", "bad-date", why, hint=hint)])
    return chosen


def page_proofs(data: bytes, dpi: int = PROOF_DPI) -> list[bytes]:
    """A PNG of every page of a PDF, the whole sheet with bleed and marks."""
    with PDFIUM_LOCK:
        return _render(pdfium.PdfDocument(data), dpi)


def _render(document: pdfium.PdfDocument, dpi: int) -> list[bytes]:
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72)
            out = io.BytesIO()
            bitmap.to_pil().save(out, format="PNG", optimize=False, dpi=(dpi, dpi))
            images.append(out.getvalue())
            bitmap.close()
            page.close()
        return images
    finally:
        document.close()


def bundle_files(
    project: Project, made: list[tuple[Job, bytes]], date: dt.date, draft: bool, cards: dict[str, bytes] | None = None
) -> tuple[dict[str, bytes], list[Report]]:
    """Every file of the bundle by its path inside the bundle folder, and the preflight report of each print file;
    a function of its inputs only. Share `cards` (by path under cards/) travel with it for the campaign's channels."""
    files: dict[str, bytes] = dict(cards or {})
    tickets: list[TicketFile] = []
    for job, data in sorted(made):
        is_draft = draft_edition(project.campaign.model, project.brochures[job.brochure].model, job.edition)
        stem = f"{'DRAFT-' if is_draft else ''}{job.brochure}.{job.edition}"
        pdf_name = f"print/{stem}.print.pdf"
        report_name = f"preflight/{stem}.preflight.txt"
        report = preflight(data, Path(pdf_name), expectations(project, job.edition, brochure=job.brochure))
        if not draft and any(d.code == "preflight-draft" for d in report.diagnostics):
            message = f"{pdf_name} is marked as a draft; drafts are not handed to the printer"
            raise BuildError([Diagnostic("error", "handoff-draft", message, hint="pass --allow-draft to send drafts")])
        proofs = tuple(f"proofs/{stem}.page-{n}.png" for n in range(1, report.pages + 1))
        files[pdf_name] = data
        files[report_name] = report_text(report, pdf_name).encode()
        for name, png in zip(proofs, page_proofs(data), strict=True):
            files[name] = png
        tickets.append(TicketFile(job.brochure, job.edition, pdf_name, data, report, report_name, proofs))
    ticket = ticket_data(project, tickets, date, draft, PROOF_DPI, sorted(cards or {}))
    files["job-ticket.json"] = (json.dumps(ticket, ensure_ascii=False, indent=2) + "\n").encode()
    files["JOB-TICKET.md"] = ticket_markdown(ticket).encode()
    return files, [t.report for t in tickets]


def zip_bytes(folder_name: str, files: dict[str, bytes], date: dt.date) -> bytes:
    """A zip of the bundle that depends only on its contents and date: sorted entries, fixed times and modes,
    stored without recompression (PDFs and PNGs are compressed already)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{folder_name}/{name}", date_time=(date.year, date.month, date.day, 0, 0, 0))
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, files[name])
    return out.getvalue()


def open_question_problems(project: Project, questions: list[str]) -> list[Diagnostic]:
    """An error for every open question of the order, located at `order` in campaign.yaml."""
    where = project.campaign.location(ORDER_KEY)
    hint = "answer it in campaign.yaml, or pass --allow-open to hand off a ticket that lists it"
    return [Diagnostic("error", "handoff-open", q, where, ORDER_KEY, hint) for q in questions]


def hand_off(
    project: Project,
    brochures: Iterable[str] = (),
    allow_draft: bool = False,
    date: dt.date | None = None,
    allow_open: bool = False,
) -> Handoff:
    """Build the print files of the chosen brochures and write `output/handoff/<campaign>-<date>/` and its zip.
    Drafts, unreviewed translations and unfinished texts are refused unless `allow_draft`, an order with open
    questions unless `allow_open`: every reason at once, before anything is built."""
    chosen = select(project, brochures, allow_draft=True)
    campaign = project.campaign.model
    when = bundle_date(project, chosen, date)
    jobs = plan(project, chosen, variants=["print"])
    draft = any(draft_edition(campaign, project.brochures[j.brochure].model, j.edition) for j in jobs)
    problems = [] if allow_draft else refusals(project, chosen, check_sources(project, jobs).refused)
    if not allow_open:
        problems += open_question_problems(project, open_questions(project, [(job.brochure, job.edition) for job in jobs], when))
    raise_if_errors(from_project(project.root, problems))
    run(project, jobs, workers=os.cpu_count() or 1, allow_draft=allow_draft)
    made = [(job, job.path(project.output_dir).read_bytes()) for job in jobs]
    files, reports = bundle_files(project, made, when, draft, share_cards(project, chosen))
    campaign = project.campaign.model
    name = f"{slug(campaign.name[source_language(campaign)])}-{when.isoformat()}{'-DRAFT' if draft else ''}"
    folder = project.output_dir / HANDOFF_FOLDER / name
    raise_if_errors(outside_problems(project.root, [folder.parent, folder]))
    archive = write_bundle(folder, files, zip_bytes(name, files, when))
    return Handoff(folder, archive, tuple(sorted(files)), tuple(reports), draft)
