"""Proofs read back as their readers receive them: the words they were typeset from, extracted by PDFium and by
poppler; the check that withdraws PDF/UA-1 when they do not; live links in proofs only."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from pathlib import Path

import pikepdf

from brochure_press.compose.layouts import compose
from brochure_press.compose.typography import language_css
from brochure_press.core.diagnostics import Location
from brochure_press.core.jobs import Job
from brochure_press.core.languages import language_scripts
from brochure_press.core.policy import MIN_READ_BACK_SHARE
from brochure_press.core.project import Project, load_project
from brochure_press.pdf.markedcontent import content_streams
from brochure_press.pdf.markedtext import actual_texts, marked_text
from brochure_press.pdf.readback import extracted, read_back_share, source_words, words
from brochure_press.pdf.structtree import content_items, kids, nodes, role
from brochure_press.pdf.tounicode import page_fonts, unmapped_glyphs
from brochure_press.preflight.proofcheck import check_proof
from brochure_press.render.finish import Finish, finish_pdf
from brochure_press.render.pdfua import claim_pdfua
from brochure_press.render.typeset import VariantOptions, render, write_pdf

from .conftest import REPO

BROCHURE = "foreign-labour-rights"
#: Right-to-left editions of every shape: one language, two right-to-left ones, Arabic beside English.
RIGHT_TO_LEFT = ("ar", "ur", "ur-ar", "bilingual")


def _project(path: Path) -> Project:
    return load_project(path.parent.parent.parent)


def test_every_language_reads_back_verbatim_in_both_engines(built: dict[Job, Path]) -> None:
    """Every single-language proof, and Urdu's Nastaliq beside English and Arabic (PDFium gets a Nastaliq run as many
    text objects at different heights, and guesses each one's direction from its glyphs' Unicode)."""
    nastaliq = ("ur-en", "ur-ar")
    jobs = [
        job
        for job in built
        if job.brochure == BROCHURE and job.variant == "proof" and ("-" not in job.edition or job.edition in nastaliq)
    ]
    project = _project(built[jobs[0]])
    assert len(jobs) >= 10
    for job in jobs:
        expected = source_words(compose(project, job.brochure, job.edition, "proof").html)
        texts = extracted(built[job].read_bytes())
        assert expected.keys() >= {job.edition.split("-")[0]} or job.edition == "bilingual", job
        for engine, text in texts.items():
            assert text is not None, engine
            for lang, found in expected.items():
                share = read_back_share(found, text)
                assert share >= MIN_READ_BACK_SHARE, (job.edition, lang, engine, share)


def test_right_to_left_proofs_give_numbers_and_the_title_as_written(built: dict[Job, Path]) -> None:
    """Both engines give the hotline number in its order, on its own line or in Arabic text (PDFium reads every line
    of a right-to-left document right to left); a reader that follows the PDF reference takes the tagged sequences'
    /ActualText, which give the title in logical order."""
    project = _project(built[Job(BROCHURE, "ar", "proof")])
    campaign = project.campaign.model
    numbers = (campaign.hotline.phone, campaign.emergency.phone)
    for edition in RIGHT_TO_LEFT:
        path = built[Job(BROCHURE, edition, "proof")]
        for engine, text in extracted(path.read_bytes()).items():
            assert text is not None and all(number in text for number in numbers), (edition, engine)
        tagged = " ".join(text for (page, _), text in sorted(actual_texts(path.read_bytes()).items()) if page == 0)
        title = project.brochures[BROCHURE].model.title[edition.split("-")[0] if edition != "bilingual" else "ar"]
        assert " ".join(title.split()) in " ".join(tagged.split()), edition


def _without_actual_text(pdf: pikepdf.Pdf) -> None:
    """Drop /ActualText from every marked-content sequence: the glyphs' own Unicode is all readers get."""
    for page in pdf.pages:
        for container, instructions in list(content_streams(page)):
            for instruction in instructions:
                properties = instruction.operands[-1] if str(instruction.operator) == "BDC" else None
                if isinstance(properties, pikepdf.Dictionary) and "/ActualText" in properties:
                    del properties.ActualText
            data = pikepdf.unparse_content_stream(instructions)
            if isinstance(container, pikepdf.Page):
                container.obj.Contents = pdf.make_stream(data)
            else:
                container.write(data)


def _mis_map(pdf: pikepdf.Pdf, letter: str, wrong: str) -> int:
    """Map every glyph that stands for `letter` to `wrong` in the ToUnicode maps; how many were changed."""
    found = 0
    for page in pdf.pages:
        for font in page.obj.Resources.Font.values():
            cmap = font.get("/ToUnicode")
            if isinstance(cmap, pikepdf.Stream):
                data, count = re.subn(
                    rb"(<[0-9a-fA-F]{4}> )<%s>" % letter.encode("utf-16-be").hex().upper().encode(),
                    rb"\1<%s>" % wrong.encode("utf-16-be").hex().upper().encode(),
                    cmap.read_bytes(),
                )
                cmap.write(data)
                found += count
    return found


def test_a_mis_mapped_glyph_withdraws_the_pdfua_claim(built: dict[Job, Path]) -> None:
    path = built[Job(BROCHURE, "en", "proof")]
    project = _project(path)
    scripts = language_scripts(project.campaign.model)
    expected = source_words(compose(project, BROCHURE, "en", "proof").html)
    report = check_proof(path.read_bytes(), path, "en", scripts, expected)
    assert report.claims_pdfua and not report.diagnostics

    def edited(mis_map: bool) -> bytes:
        with pikepdf.open(path) as pdf:
            _without_actual_text(pdf)
            if mis_map:
                assert _mis_map(pdf, "e", "c")
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()

    assert not check_proof(edited(False), path, "en", scripts, expected).diagnostics  # English glyphs map well
    broken = edited(True)
    codes = {d.code for d in check_proof(broken, path, "en", scripts, expected).diagnostics}
    assert codes == {"proof-read-back", "proof-false-claim"}
    with pikepdf.open(io.BytesIO(broken)) as pdf:
        pdf.Root.Metadata = pdf.make_stream(b"")  # the claim taken away, to be made again only if it holds
        unclaimed = io.BytesIO()
        pdf.save(unclaimed)
    assert b"pdfuaid" not in claim_pdfua(unclaimed.getvalue(), "en", scripts, expected)


def _link_targets(pdf: pikepdf.Pdf) -> list[str]:
    return [
        str(annotation.A.URI)
        for page in pdf.pages
        for annotation in page.obj.get("/Annots", [])
        if annotation.get("/Subtype") == "/Link" and "/A" in annotation
    ]


def test_proofs_have_live_described_links_and_print_masters_none(built: dict[Job, Path]) -> None:
    campaign = _project(next(iter(built.values()))).campaign.model
    wanted = {"tel:" + campaign.hotline.phone.replace(" ", ""), "tel:" + campaign.emergency.phone.replace(" ", "")}
    wanted.add(f"mailto:{campaign.hotline.email}")
    for job, path in built.items():
        with pikepdf.open(path) as pdf:
            targets = _link_targets(pdf)
            if job.variant == "print":
                assert targets == [], job
                continue
            assert wanted <= set(targets), job
            assert any(t.startswith(campaign.web.base_url) for t in targets), job
            links = [n.element for n in nodes(pdf) if role(n.element) == "Link"]
            described = {
                str(kid.Obj.A.URI)
                for link in links
                if str(link.get("/Alt", ""))
                for kid in kids(link)
                if isinstance(kid, pikepdf.Dictionary) and "/Obj" in kid
            }
            assert wanted <= described, job


def _heard(path: Path) -> list[tuple[str, str]]:
    """(language, text) of every structure element that owns text, in reading order: what a screen reader says."""
    texts = marked_text(path.read_bytes())
    heard = []
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        for node in nodes(pdf):
            said = "".join(
                texts.get((pages[(page if page is not None else node.element.Pg).objgen], mcid), "")
                for page, mcid in content_items(node.element)
            )
            if said.strip():
                heard.append((node.lang, said))
    return heard


def test_a_screen_reader_hears_the_review_notice_first_and_not_the_logo_frame(built: dict[Job, Path]) -> None:
    path = built[Job(BROCHURE, "si", "proof")]
    languages = _project(path).campaign.model.languages
    heard = _heard(path)
    notice = [(lang, text) for lang, text in heard[:3] if languages["si"].under_review in text or "under review" in text]
    assert {lang for lang, _ in notice} == {"si", "en"}  # first, in the edition's language and in English
    everything = " ".join(text for _, text in heard)
    assert everything.count(languages["si"].under_review) == 1
    assert "Partner logos" not in everything
    draft = _heard(built[Job(BROCHURE, "bilingual", "proof")])  # Arabic beside English: both languages, first
    assert {lang for lang, text in draft[:3] if languages[lang].draft in text} == {"en", "ar"}


def test_translucent_marks_are_drawn_as_artifacts(built: dict[Job, Path]) -> None:
    """The DRAFT and review marks are translucent forms: the painting of each is an artifact (PDF/UA-1; the `pdfua`
    checker's UA-01-003), not only the text inside it."""
    path = built[Job(BROCHURE, "si", "proof")]
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            depth, drawn = 0, []
            for instruction in pikepdf.parse_content_stream(page):
                op = str(instruction.operator)
                depth += (op in ("BDC", "BMC")) - (op == "EMC")
                if op == "Do":
                    drawn.append((str(instruction.operands[0]), depth))
            forms = {name for name, xobject in page.Resources.XObject.items() if xobject.Subtype == "/Form"}
            marks = [(name, depth) for name, depth in drawn if name in forms]
            assert len(marks) >= 2 and all(depth > 0 for _, depth in marks), marks


def test_a_line_that_breaks_at_a_hyphen_inside_a_word_reads_the_word_whole(tmp_path: Path) -> None:
    """Lines that break at the hyphen written in `buwan-buwan` and `makipag-ugnayan` read back as those words, hyphen
    and all, in both engines; a hyphen followed by a space (`pre- at`) keeps its words apart (poppler; PDFium joins
    any hyphen and letter across a line by itself)."""
    written = "buwan-buwan pre- at makipag-ugnayan"
    css = "@page { size: 100mm 100mm } p { width: 16mm; font-size: 10pt; hyphens: manual }"
    html = f'<html lang="fil"><head><style>{css}</style></head><body><p>{written}</p></body></html>'
    document = render(html, REPO, Location(tmp_path / "hyphens.pdf"))
    texts = extracted(write_pdf(document, VariantOptions(pdf_variant=None, pdf_tags=True)))
    poppler = texts["poppler"]
    assert poppler is not None and len([line for line in poppler.splitlines() if line.rstrip("\u00ad").endswith("-")]) >= 3
    for engine, text in texts.items():
        assert text is not None and {"buwan-buwan", "makipag-ugnayan"} <= set(words(text)), (engine, text)
    assert {"pre", "at"} <= set(words(poppler)), poppler


def test_nastaliq_reads_back_each_word_once_in_both_engines(tmp_path: Path) -> None:
    """Nastaliq raises a word's letters one by one, so PDFium gets a run as many text objects, guesses each one's
    direction from its glyphs' Unicode, and takes the run's text again wherever another run's object comes between
    two of its own. Every glyph has a letter's text (a letter's body and dots too), and one object of each run
    carries it: each word is read once, as written."""
    heading = "انسانی تجارت اور جبری مشقت"
    paragraph = (
        "<b>انسانی تجارت</b> ایک سنگین جرم ہے۔ مجرم کسی شخص کا استحصال کرنے کے لیے زبردستی، دھمکی، جھوٹ یا اس کی"
        " کمزور حالت کا فائدہ اٹھا کر اسے بھرتی کرتا ہے۔ <b>جبری مشقت</b> اس کی ایک شکل ہے۔"
    )
    css = language_css(load_project(REPO).campaign.model.languages) + " @page { size: 100mm 120mm }"
    html = f'<html lang="ur" dir="rtl"><head><style>{css}</style></head><body><h1>{heading}</h1><p>{paragraph}</p>'
    document = render(f"{html}</body></html>", REPO, Location(tmp_path / "ur.pdf"))
    tagged = write_pdf(document, VariantOptions(pdf_variant=None, pdf_tags=True), "rtl")
    revised = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    data = finish_pdf(tagged, Finish("nastaliq", "rtl", revised, fonts_dir=REPO / "fonts"))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        nastaliq = [font for font in page_fonts(pdf) if "Nastaliq" in str(font.BaseFont)]
        assert nastaliq and all(unmapped_glyphs(font) == 0 for font in nastaliq)
    written = Counter(words(f"{heading} {re.sub('<[^>]+>', '', paragraph)}"))
    for engine, text in extracted(data).items():
        assert text is not None, engine
        read = Counter(words(text))
        assert (read - written, written - read) == (Counter(), Counter()), (engine, text)
