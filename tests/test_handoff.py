"""The printer's bundle: drafts refused, every file present and described, proofs of every page, same bytes every time."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from brochure_press.cli import main
from brochure_press.core.files import locked

from .conftest import make_sample, shared_folder

BUNDLE = "together-against-trafficking-in-persons-2026-01-15"


#: What the real campaign leaves open for the printer's answers and the campaign's decisions.
ANSWERS = """
  printer: {name: Gulf Print Test Shop, phone: "+965 2200 0000", email: orders@print.example}
  quantities:
    sample: {en: 2000, ar: 3000, bilingual: 500}
"""


def approve(root: Path) -> None:
    source = root / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("status: draft", "status: approved"))


def answer_the_order(root: Path) -> None:
    """Fill in what the campaign's order leaves open: printer, quantities, delivery address and date, the web
    edition's address the QR codes lead to, and that no partner logos go on the back panel."""
    campaign = root / "brochures" / "campaign.yaml"
    text = campaign.read_text().replace("\norder:\n", "\nlogos: []\norder:" + ANSWERS)
    text = text.replace("    # address: ...", "    address: IOM Kuwait, Kuwait City")
    text = text.replace("# date: 2026-06-01", "date: 2026-06-01")
    campaign.write_text(text.replace("https://together-against-trafficking.example/", "https://stop-trafficking.kw/"))


def handoff(root: Path, *options: str) -> int:
    return main(["--project", str(root), "handoff", *options])


def files_in(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def handed_off(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The sample, approved and its order answered, handed off once for the session (shared by the test processes
    like `built`): read it only, or copy it."""
    root = shared_folder(tmp_path_factory, request) / "handed-off"
    with locked(root):
        if not root.exists():
            make_sample(root)
            approve(root)
            answer_the_order(root)
            assert handoff(root) == 0
    return root


def test_drafts_are_refused_unless_allowed(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    text = source.read_text().replace('  reviewer: "A. Lawyer, Test Chambers"\n', "  reviewer: null\n")
    source.write_text(
        text.replace("    blocks:\n      - callout:", "    blocks:\n      - text: {en: TODO, ar: TODO}\n      - callout:")
    )
    assert handoff(sample_dir) == 2
    err = capsys.readouterr().err
    # Every reason of one brochure in one line, at its status, its path as the project names it.
    refused = [line for line in err.splitlines() if "sample:" in line and "not handed to the printer" in line]
    assert refused == [
        "brochures/sample.yaml:1:9: error: sample: draft; no legal review (reviewer missing); 1 text still to be "
        "written; not handed to the printer (hint: set `status: approved` after review; record the lawyer's check as "
        "`review: {reviewer: …, date: YYYY-MM-DD, sources: […]}`; `brochure-press check sample` shows where; "
        "or pass --allow-draft to send drafts marked DRAFT)"
    ]
    assert str(sample_dir) not in err and "Traceback" not in err
    # Every reason at once: the order's open questions are listed in the same run.
    assert "error: order: Which printer prints the job? (order.printer)" in err
    assert not (sample_dir / "output").exists()


@pytest.mark.parametrize(
    ("review", "missing"),
    [
        ("", ""),  # no review block
        ("review:\n  reviewer: null\n  date: 2026-01-10\n  sources: [Law No. 91 of 2013]\n", " (reviewer missing)"),
    ],
)
def test_a_brochure_without_a_recorded_legal_review_is_refused(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], review: str, missing: str
) -> None:
    where = "brochures/sample.yaml:1:9: error: "
    approve(sample_dir)
    source = sample_dir / "brochures" / "sample.yaml"
    text = source.read_text()
    source.write_text(text[: text.index("review:\n")] + review)
    assert handoff(sample_dir) == 2
    err = capsys.readouterr().err
    assert f"{where}sample: no legal review{missing}; not handed to the printer" in err
    assert "--allow-draft" in err and "Traceback" not in err
    assert not (sample_dir / "output").exists()


def test_the_bundle_holds_print_files_ticket_proofs_and_reports(handed_off: Path) -> None:
    folder = handed_off / "output" / "handoff" / BUNDLE
    files = files_in(folder)
    editions = ("ar", "bilingual", "en")
    pages = {e: len(pikepdf.open(io.BytesIO(files[f"print/sample.{e}.print.pdf"])).pages) for e in editions}
    assert sorted(files) == sorted(
        ["JOB-TICKET.md", "job-ticket.json"]
        + [f"print/sample.{e}.print.pdf" for e in editions]
        + [f"preflight/sample.{e}.preflight.txt" for e in editions]
        + [f"proofs/sample.{e}.page-{n}.png" for e in editions for n in range(1, pages[e] + 1)]
        + [f"cards/sample.{lang}.{shape}.png" for lang in ("ar", "en") for shape in ("square", "story")]
    )
    # The bundle's PDFs are the ones the build wrote.
    for e in editions:
        assert files[f"print/sample.{e}.print.pdf"] == (handed_off / "output" / "sample" / f"sample.{e}.print.pdf").read_bytes()
        assert (
            files[f"preflight/sample.{e}.preflight.txt"]
            .decode()
            .startswith(f"print/sample.{e}.print.pdf: passed (0 errors, 0 warnings)\n")
        )

    ticket = json.loads(files["job-ticket.json"])
    assert (ticket["status"], ticket["date"], ticket["client"]) == (
        "approved for press",
        "2026-01-15",
        "IOM Kuwait – the UN migration agency",
    )
    assert ticket["open_questions"] == []
    order = ticket["order"]
    assert order["contact"] == {"name": "IOM Kuwait – campaign team", "email": "iomkuwait@iom.int"}
    assert order["printer"]["name"] == "Gulf Print Test Shop"
    assert order["delivery"]["notes"].startswith("Pack each brochure and edition separately")
    assert (order["delivery"]["address"], order["delivery"]["date"]) == ("IOM Kuwait, Kuwait City", "2026-06-01")
    assert order["proof"] == {"kind": "contract proof", "signed_off_by": "IOM Kuwait – campaign team"}
    assert (order["trapping"], order["ganging"]) == ("by the printer (the files are not trapped)", True)
    by_edition = {f["edition"]: f for f in ticket["files"]}
    arabic = by_edition["ar"]
    assert arabic["file"] == "print/sample.ar.print.pdf"
    assert (arabic["qr_codes"], by_edition["bilingual"]["qr_codes"]) == (
        ["https://stop-trafficking.kw/sample/ar/"],
        ["https://stop-trafficking.kw/sample/en/", "https://stop-trafficking.kw/sample/ar/"],
    )
    assert ticket["share_cards"]["files"] == sorted(name for name in files if name.startswith("cards/"))
    assert arabic["sha256"] == hashlib.sha256(files["print/sample.ar.print.pdf"]).hexdigest()
    assert (arabic["language"], arabic["reading_direction"]) == ("Arabic", "right to left")
    assert arabic["finished_size_mm"] == {"flat": [297.0, 210.0], "folded": [100.0, 210.0]}
    outside = arabic["panels"][0]
    assert outside["side"] == "outside"
    assert [(p["panel"], p["width_mm"]) for p in outside["left_to_right"]] == [("cover", 100.0), ("back", 100.0), ("flap", 97.0)]
    assert arabic["colours"] == "CMYK 4/4 (outside 4, inside 4)"
    assert (arabic["pdf_standard"], arabic["output_condition"]["identifier"]) == ("PDF/X-4", "FOGRA39")
    assert (arabic["bleed_mm"], arabic["pages"], arabic["quantity"]) == (3.0, 2, 3000)
    assert arabic["stock"] == "150 g/m² silk, grain parallel to the folds"
    # The narrow flap folds in first: on the Arabic sheet it is on the right, so the fold at 200 mm comes first.
    assert arabic["finishing"] == {
        "layout": "trifold",
        "sides": "duplex",
        "fold": "roll fold, 2 folds, 6 panels",
        "fold_sequence": [
            "fold 1 at 200 mm from the left edge of the outside (page 1): the 97 mm flap panel folds in first",
            "fold 2 at 100 mm from the left edge of the outside (page 1)",
        ],
        "creasing": True,
        "binding": None,
    }
    assert by_edition["en"]["finishing"]["fold_sequence"][0].startswith("fold 1 at 97 mm from the left edge")
    assert by_edition["bilingual"]["finishing"]["binding"] == "corner stapled, top left"
    assert arabic["preflight"] == {"report": "preflight/sample.ar.preflight.txt", "errors": 0, "warnings": 0}
    assert by_edition["bilingual"]["fold"] is None and by_edition["bilingual"]["finished_size_mm"]["folded"] is None

    markdown = files["JOB-TICKET.md"].decode()
    assert markdown.startswith("# Print job ticket: Together Against Trafficking in Persons\n")
    assert f"| SHA-256 | `{arabic['sha256']}` |" in markdown
    assert arabic["legal_review"] == {
        "reviewer": "A. Lawyer, Test Chambers",
        "date": "2026-01-10",
        "sources": ["Law No. 91 of 2013, Articles 1 and 2"],
    }
    assert (
        "| Legal review | A. Lawyer, Test Chambers, 2026-01-10; sources checked: Law No. 91 of 2013, Articles 1 and 2 |"
        in markdown
    )
    assert "| Panels, left → right | outside (page 1): cover 100 · back 100 · flap 97 mm;" in markdown
    assert "DRAFT" not in markdown and "Open questions" not in markdown and "**open**" not in markdown
    assert "| Printing | duplex; roll fold, 2 folds, 6 panels: fold 1 at 200 mm" in markdown

    # A proof shows the whole sheet, bleed and marks included, at 100 dpi.
    with pikepdf.open(io.BytesIO(files["print/sample.en.print.pdf"])) as pdf:
        media = [float(v) for v in pdf.pages[0].mediabox]
    proof = Image.open(io.BytesIO(files["proofs/sample.en.page-1.png"]))
    assert proof.size == pytest.approx(((media[2] - media[0]) / 72 * 100, (media[3] - media[1]) / 72 * 100), abs=1)

    with zipfile.ZipFile(folder.with_name(f"{BUNDLE}.zip")) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(f"{BUNDLE}/{name}" for name in files)
        assert {i.date_time for i in infos} == {(2026, 1, 15, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert all(archive.read(f"{BUNDLE}/{name}") == data for name, data in files.items())


def test_drafts_when_allowed_are_named_drafts_everywhere(built_sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The draft sample, its PDFs built, handed off with --allow-draft."""
    assert handoff(built_sample, "--allow-draft", "--allow-open", "--date", "2026-02-01") == 0
    # The draft warning every print file's preflight gives is said once, naming how many files share it.
    drafts = [line for line in capsys.readouterr().err.splitlines() if "warning: the file is a draft" in line]
    assert len(drafts) == 1 and drafts[0].startswith("print/DRAFT-sample.ar.print.pdf (and 2 other files): "), drafts
    folder = built_sample / "output" / "handoff" / "together-against-trafficking-in-persons-2026-02-01-DRAFT"
    files = files_in(folder)
    assert all(name.split("/")[1].startswith("DRAFT-") for name in files if "/" in name)
    ticket = json.loads(files["job-ticket.json"])
    assert ticket["status"] == "DRAFT – NOT FOR PRESS" and ticket["date"] == "2026-02-01"
    assert {f["status"] for f in ticket["files"]} == {"draft"}
    assert (
        files["JOB-TICKET.md"]
        .decode()
        .startswith("# Print job ticket: Together Against Trafficking in Persons – DRAFT – NOT FOR PRESS\n")
    )
    with zipfile.ZipFile(folder.with_name(f"{folder.name}.zip")) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 2, 1, 0, 0, 0)}


def test_same_inputs_give_the_same_bundle_bytes(handed_off: Path, tmp_path: Path) -> None:
    first = (handed_off / "output" / "handoff" / f"{BUNDLE}.zip").read_bytes()
    elsewhere = tmp_path / "elsewhere" / "copy"
    shutil.copytree(handed_off, elsewhere, ignore=shutil.ignore_patterns("output"))
    assert handoff(elsewhere) == 0
    archive = elsewhere / "output" / "handoff" / f"{BUNDLE}.zip"
    assert archive.read_bytes() == first
    # A second run replaces the folder: nothing stale survives, and the zip is unchanged.
    stray = elsewhere / "output" / "handoff" / BUNDLE / "print" / "old-file.pdf"
    stray.write_bytes(b"stale")
    assert handoff(elsewhere) == 0
    assert not stray.exists() and archive.read_bytes() == first


def test_bad_dates_are_usage_errors(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        handoff(sample_dir, "--allow-draft", "--date", "15/01/2026")
    assert caught.value.code == 2
    assert "not a date: '15/01/2026' (write YYYY-MM-DD)" in capsys.readouterr().err


def test_open_questions_stop_the_handoff_unless_allowed(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    approve(sample_dir)
    # The campaign as it is: no printer chosen, no quantities, no delivery address or date, no web address.
    assert handoff(sample_dir) == 2
    err = capsys.readouterr().err
    questions = [
        "Which printer prints the job? (order.printer)",
        "Where are the copies delivered? (order.delivery.address)",
        "By which date (with the year) are they delivered? (order.delivery.date)",
        "At which address is the web edition published? The QR codes link to the placeholder "
        "https://together-against-trafficking.example/ (web.base_url)",
        "Which partner logos go on the back panel? None are listed, so the print leaves no room for them: "
        "list their files, or write `logos: []` for none (logos)",
        "How many copies of sample: ar, bilingual, en? (order.quantities.sample)",
    ]
    for question in questions:
        assert re.search(rf"campaign\.yaml:\d+:\d+: error: order: {re.escape(question)} \(hint: answer it in campaign", err), err
    assert not (sample_dir / "output").exists()
    # Allowed, the ticket lists them at its top, and every unanswered line says so.
    assert handoff(sample_dir, "--allow-open") == 0
    folder = sample_dir / "output" / "handoff" / BUNDLE
    ticket = json.loads((folder / "job-ticket.json").read_text())
    assert ticket["open_questions"] == questions
    markdown = (folder / "JOB-TICKET.md").read_text()
    top = markdown.split("| | |")[0]
    assert "## Open questions" in top and all(f"- {q}" in top for q in questions)
    assert "| Printer | **open** (order.printer in campaign.yaml) |" in markdown
    assert "| Copies | **open** (order.quantities in campaign.yaml) |" in markdown


def test_a_delivery_date_before_the_ticket_is_an_open_question(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    approve(sample_dir)
    answer_the_order(sample_dir)
    assert handoff(sample_dir, "--date", "2026-07-01") == 2
    assert "The delivery date 2026-06-01 is before this ticket's date 2026-07-01." in capsys.readouterr().err


def test_the_ticket_checksums_match_a_rebuild_elsewhere(handed_off: Path, tmp_path: Path) -> None:
    ticket = json.loads((handed_off / "output" / "handoff" / BUNDLE / "job-ticket.json").read_text())
    # The same sources, copied to another folder and built there with `build`, give the files the ticket names.
    elsewhere = tmp_path / "another" / "folder"
    shutil.copytree(handed_off, elsewhere, ignore=shutil.ignore_patterns("output"))
    assert main(["--project", str(elsewhere), "build", "--variant", "print"]) == 0
    for entry in ticket["files"]:
        rebuilt = elsewhere / "output" / entry["brochure"] / Path(entry["file"]).name
        assert hashlib.sha256(rebuilt.read_bytes()).hexdigest() == entry["sha256"], entry["file"]
        assert rebuilt.stat().st_size == entry["size_bytes"]
    assert len(ticket["files"]) == 3


def test_a_file_marked_draft_is_refused_in_an_approved_bundle(sample_dir: Path) -> None:
    # Defence in depth: even if a draft's file reached an approved bundle, its draft marker stops it.
    from brochure_press.build.handoff import bundle_files
    from brochure_press.core.diagnostics import BuildError
    from brochure_press.core.jobs import Job
    from brochure_press.core.project import load_project
    from brochure_press.render.job import make_pdf

    project = load_project(sample_dir)
    job = Job("sample", "en", "print")
    data, _ = make_pdf(project, job)
    with pytest.raises(BuildError) as caught:
        bundle_files(project, [(job, data)], dt.date(2026, 1, 15), draft=False)
    assert [d.code for d in caught.value.diagnostics] == ["handoff-draft"]
    assert bundle_files(project, [(job, data)], dt.date(2026, 1, 15), draft=True)[0]


def test_refusals_name_the_brochures_that_may_go_alone(sample_dir: Path) -> None:
    from brochure_press.build.refusals import refusals
    from brochure_press.core.project import load_project

    brochures = sample_dir / "brochures"
    (brochures / "ready.yaml").write_text((brochures / "sample.yaml").read_text().replace("status: draft", "status: approved"))
    project = load_project(sample_dir)
    [refused] = refusals(project, ["sample", "ready"])
    assert refused.message == "sample: draft; not handed to the printer"
    assert refused.hint.endswith("or hand off the others alone: `brochure-press handoff ready`")
    assert refusals(project, ["ready"]) == []
