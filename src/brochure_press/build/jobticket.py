"""The printer's job ticket: what each print file is and how to print it, as JSON and as Markdown."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from brochure_press import __version__
from brochure_press.build.printorder import (
    finishing_entry,
    finishing_text,
    markdown_text,
    open_questions,
    order_data,
    order_markdown,
    questions_markdown,
    stock_text,
)
from brochure_press.compose.layouts import place_panels
from brochure_press.compose.qr import page_url
from brochure_press.core.languages import draft_edition, edition_language, edition_languages, source_language
from brochure_press.core.model import DRAFT_LABEL, STANDARD_NAMES, Edition
from brochure_press.core.project import Project
from brochure_press.preflight.printcheck import Report

CARDS_NOTE = (
    "Share cards for social media (PNG, sRGB, 1080 px wide): not for print; they travel with the bundle for the "
    "campaign's channels."
)
PROOF_NOTE = (
    "PNG proofs are rendered by PDFium at {dpi} dpi over the whole sheet (bleed, marks and slug included) without "
    "colour management: they show content and position for sign-off, not the printed colour."
)


@dataclass(frozen=True)
class TicketFile:
    """One print file of the bundle and what the ticket says about it."""

    brochure: str
    edition: Edition
    name: str
    data: bytes
    report: Report
    report_name: str
    proofs: tuple[str, ...]


def _colours(inks: tuple[str, ...], sides: list[str]) -> str:
    counts = [len(i) if i != "none" else 0 for i in inks]
    if sides and len(sides) == len(counts):
        detail = ", ".join(f"{side} {n}" for side, n in zip(sides, counts, strict=True))
        return f"CMYK {'/'.join(str(n) for n in counts)} ({detail})"
    return f"CMYK, up to {max(counts, default=0)} colours on each of {len(counts)} pages"


def file_entry(project: Project, item: TicketFile) -> dict[str, Any]:
    """Everything the printer needs to know about one print file."""
    campaign = project.campaign.model
    spec = campaign.print
    source = project.brochures[item.brochure]
    brochure = source.model
    layout = project.layouts[campaign.editions[item.edition].layout].model
    _, direction = edition_language(campaign, item.edition)
    names = [campaign.languages[code].name for code in edition_languages(campaign, item.edition)]
    placed = [sorted(page, key=lambda panel: panel.x) for page in place_panels(layout, direction)]
    sides = [page.name for page in layout.pages]
    width, height = layout.trim_mm
    folded = [max(p.width for p in placed[0]), height] if layout.fold and placed else None
    report = item.report
    return {
        "file": item.name,
        "brochure": item.brochure,
        "title": dict(brochure.title.root),
        "status": "draft" if draft_edition(campaign, brochure, item.edition) else "approved",
        "translations": {
            campaign.languages[code].name: (t.status, t.reviewer)
            for code in edition_languages(campaign, item.edition)
            if (t := brochure.translations.get(code)) is not None
        },
        "legal_review": brochure.review.model_dump(mode="json") if brochure.review else None,
        "revised": brochure.revised.isoformat(),
        "edition": item.edition,
        "language": " and ".join(names) + (", side by side" if len(names) > 1 else ""),
        "reading_direction": "right to left" if direction == "rtl" else "left to right",
        "finished_size_mm": {"flat": [width, height], "folded": folded},
        "fold": layout.fold,
        "panels": [
            {"page": n, "side": side, "left_to_right": [{"panel": p.name, "width_mm": p.width} for p in page]}
            for n, (side, page) in enumerate(zip(sides, placed, strict=True), start=1)
        ],
        "pages": report.pages,
        "colours": _colours(report.inks, sides),
        "inks_per_page": list(report.inks),
        "pdf_standard": report.standard or STANDARD_NAMES[spec.standard],
        "output_condition": {
            "identifier": spec.output_intent.condition,
            "info": spec.output_intent.info,
            "registry": spec.output_intent.registry,
            "profile": spec.output_intent.profile.rsplit("/", 1)[-1],
        },
        "bleed_mm": report.bleed_mm,
        "marks": "crop and fold marks in registration colour outside the bleed; slug line names the file"
        if spec.marks == "crop"
        else "none (add your own)",
        "stock": stock_text(campaign.order.stock),
        "quantity": campaign.order.quantities.get(item.brochure, {}).get(item.edition),
        "finishing": finishing_entry(project, item.edition),
        "size_bytes": len(item.data),
        "sha256": hashlib.sha256(item.data).hexdigest(),
        "preflight": {"report": item.report_name, "errors": report.errors, "warnings": report.warnings},
        "proofs": list(item.proofs),
        "qr_codes": [page_url(campaign, item.brochure, code) for code in edition_languages(campaign, item.edition)],
    }


def ticket_data(
    project: Project, files: list[TicketFile], date: dt.date, draft: bool, dpi: int, cards: list[str] | None = None
) -> dict[str, Any]:
    """The whole job ticket as plain data (`job-ticket.json`); `cards` are the share cards' paths in the bundle."""
    campaign = project.campaign.model
    return {
        "ticket": "print job",
        "status": DRAFT_LABEL if draft else "approved for press",
        "open_questions": open_questions(project, [(item.brochure, item.edition) for item in files], date),
        "date": date.isoformat(),
        "client": campaign.organisation[source_language(campaign)],
        "campaign": dict(campaign.name.root),
        "order": order_data(campaign.order),
        "proofs": PROOF_NOTE.format(dpi=dpi),
        "generator": f"brochure-press {__version__}",
        "files": [file_entry(project, item) for item in files],
        "share_cards": {"note": CARDS_NOTE, "files": list(cards or [])},
        "copies_per_language": copies_per_language(project, files),
    }


def copies_per_language(project: Project, files: list[TicketFile]) -> dict[str, int]:
    """Copies to print in each language, counting a bilingual edition once for each of its languages."""
    campaign = project.campaign.model
    copies: dict[str, int] = {}
    for item in files:
        count = campaign.order.quantities.get(item.brochure, {}).get(item.edition) or 0
        for code in edition_languages(campaign, item.edition) if count else ():
            name = campaign.languages[code].name
            copies[name] = copies.get(name, 0) + count
    return copies


def _languages_markdown(ticket: dict[str, Any]) -> list[str]:
    copies = ticket["copies_per_language"]
    if not copies:
        return []
    rows = [f"| {name} | {count:,} |" for name, count in copies.items()]
    return [
        "## Copies per language",
        "",
        "Bilingual editions count for both of their languages.",
        "",
        "| language | copies |",
        "|---|---:|",
        *rows,
        "",
    ]


def _review_text(review: dict[str, Any] | None) -> str:
    """Who checked the texts against the law, when and against what; or that nobody has yet."""
    if not review or not review["reviewer"] or not review["date"]:
        return "**not recorded**: the texts are not yet signed by a legal reviewer"
    return f"{review['reviewer']}, {review['date']}; sources checked: {'; '.join(review['sources']) or 'none named'}"


def _names(texts: dict[str, str]) -> str:
    """A text in each language it is written in, in the order written, for the ticket."""
    return " · ".join(markdown_text(text) for text in texts.values())


def _file_markdown(n: int, f: dict[str, Any]) -> list[str]:
    flat, folded = f["finished_size_mm"]["flat"], f["finished_size_mm"]["folded"]
    size = f"{flat[0]:g} × {flat[1]:g} mm" + (
        f" flat; folded {folded[0]:g} × {folded[1]:g} mm ({f['fold']})" if folded else ", unfolded"
    )
    panels = "; ".join(
        f"{p['side']} (page {p['page']}): " + " · ".join(f"{q['panel']} {q['width_mm']:g}" for q in p["left_to_right"]) + " mm"
        for p in f["panels"]
    )
    intent = f["output_condition"]
    preflight = f["preflight"]
    verdict = "passed" if not preflight["errors"] else f"{preflight['errors']} errors"
    rows = [
        ("Brochure", f"{_names(f['title'])} (`{f['brochure']}`, revised {f['revised']}, {f['status']})"),
        ("Edition", f"`{f['edition']}`: {f['language']}, read {f['reading_direction']}"),
        ("Legal review", _review_text(f["legal_review"])),
        *(
            (
                "Translation",
                f"{name}: {status}"
                + (f", reviewed by {who}" if who else ", not yet signed by a native speaker: it stays a draft until one does"),
            )
            for name, (status, who) in f["translations"].items()
        ),
        ("Finished size", size),
        ("Panels, left → right", panels or "none"),
        ("Pages", str(f["pages"])),
        ("Colours", f["colours"]),
        ("PDF", f"{f['pdf_standard']}, output condition {intent['identifier']} ({intent['info']})"),
        ("Bleed", f"{f['bleed_mm']:g} mm on every side"),
        ("Marks", f["marks"]),
        ("Copies", str(f["quantity"]) if f["quantity"] else "**open** (order.quantities in campaign.yaml)"),
        ("Printing", finishing_text(f["finishing"])),
        ("Stock", f["stock"] or "**open** (order.stock in campaign.yaml)"),
        ("Size", f"{f['size_bytes']:,} bytes"),
        ("SHA-256", f"`{f['sha256']}`"),
        ("Preflight", f"{verdict}, {preflight['warnings']} warnings: `{preflight['report']}`"),
        ("Proofs", ", ".join(f"`{p}`" for p in f["proofs"])),
        ("QR codes", "one per language, linking to " + ", ".join(f["qr_codes"])),
    ]
    return [f"### {n}. `{f['file']}`", "", "| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows), ""]


def ticket_markdown(ticket: dict[str, Any]) -> str:
    """The job ticket for people (`JOB-TICKET.md`)."""
    files = ticket["files"]
    draft = ticket["status"] == DRAFT_LABEL
    standards = sorted({f["pdf_standard"] for f in files})
    lines = [
        f"# Print job ticket: {markdown_text(next(iter(ticket['campaign'].values())))}" + (f" – {DRAFT_LABEL}" if draft else ""),
        "",
        *(
            [f"> **{DRAFT_LABEL}.** These files are drafts awaiting approval. Do not print them for distribution.", ""]
            if draft
            else []
        ),
        *questions_markdown(ticket),
        "| | |",
        "|---|---|",
        f"| Client | {markdown_text(ticket['client'])} |",
        f"| Campaign | {_names(ticket['campaign'])} |",
        f"| Date | {ticket['date']} |",
        f"| Status | {'**' + DRAFT_LABEL + '**' if draft else 'approved for press'} |",
        f"| Files | {len(files)} print PDFs ({', '.join(standards)}, CMYK) |",
        "",
        *order_markdown(ticket),
        *_languages_markdown(ticket),
        "## How to print these files",
        "",
        "- Print the PDFs as they are: CMYK only, with the output intent embedded in each file; do not convert colours.",
        "- Trim to the TrimBox. Every file has bleed on every side; crop and fold marks stand outside the bleed.",
        "- Check each file against its SHA-256 below; a file that differs is not the one approved.",
        f"- {ticket['proofs']}",
        "- Each file's preflight report lists what was checked; questions go to the contact above.",
        "",
        "## Files",
        "",
    ]
    for n, entry in enumerate(files, start=1):
        lines += _file_markdown(n, entry)
    cards = ticket["share_cards"]
    if cards["files"]:
        lines += ["## Share cards", "", cards["note"], "", *(f"- `{name}`" for name in cards["files"]), ""]
    lines.append(f"Made by {ticket['generator']}.")
    return "\n".join(lines) + "\n"
