"""Arabic and mixed-direction text in real PDFs: visual order of numbers, mirrored panels, titles."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from brochure_press.compose.layouts import compose
from brochure_press.core.jobs import Job
from brochure_press.core.languages import edition_languages
from brochure_press.core.project import Project
from brochure_press.pdf.readback import pdfium_text, poppler_text
from brochure_press.render.typeset import render

from .conftest import visual_lines


def squeeze(text: str) -> str:
    """Letters and digits only: extractors place neutral punctuation at RTL line ends differently."""
    return re.sub(r"[\W_]+", "", text)


def test_hotline_reads_left_to_right_in_every_arabic_pdf(built: dict[Job, Path], real_project: Project) -> None:
    hotline = real_project.campaign.model.hotline.phone
    arabic = [p for job, p in built.items() if job.edition in ("ar", "bilingual")]
    assert len(arabic) == 16
    for path in arabic:
        lines = [line for page in range(len(pypdf.PdfReader(path).pages)) for line in visual_lines(path, page)]
        assert any(hotline in line for line in lines), f"{path.name}: {hotline} not found in visual order"
        reversed_number = " ".join(reversed(hotline.replace("+", "").split(" "))) + "+"
        assert not any(reversed_number in line for line in lines), f"{path.name} prints the hotline reversed"


def test_titles_and_hotline_in_extracted_text(built: dict[Job, Path], real_project: Project) -> None:
    hotline = real_project.campaign.model.hotline.phone
    for job, path in built.items():
        title = real_project.brochures[job.brochure].model.title
        languages = edition_languages(real_project.campaign.model, job.edition)
        # Text extraction reorders the marks of Indic and Nastaliq script: titles are compared in en and ar, word by
        # word, since words bound by a no-break space may come out in visual order.
        wanted = [title[code] for code in languages if code in ("en", "ar")]
        # PDFium (Chrome, Android viewers) reads every file's words, the lam-alef of print files too, whose character
        # maps give a right-to-left ligature's letters in the order they are drawn. A print file carries no /ActualText,
        # and there PDFium gives the digits of a right-to-left line word by word reversed: poppler reads its hotline.
        rtl = any(real_project.campaign.model.languages[code].direction == "rtl" for code in languages)
        text = squeeze(pdfium_text(path.read_bytes()))
        for expected in wanted:
            missing = [word for word in expected.split() if squeeze(word) not in text]
            assert not missing, f"{path.name}: {missing} of the title {expected!r} not extracted"
        if rtl and job.variant == "print":
            text = squeeze(poppler_text(path.read_bytes()) or "")
        assert squeeze(hotline) in text, f"{path.name}: the hotline is not extracted"


def test_phone_numbers_never_break_across_lines(built: dict[Job, Path], real_project: Project) -> None:
    hotline = real_project.campaign.model.hotline.phone
    for job, path in built.items():
        if job.edition != "ar":
            continue
        for page in range(2):
            for line in visual_lines(path, page):
                for part in ("+965", "2530", "8169"):
                    if part in line:
                        assert hotline in line


def panel_left_edges(project: Project, brochure: str, edition: str) -> dict[str, float]:
    """Left edge (mm) of each panel's text frame as laid out."""
    composed = compose(project, brochure, edition, "proof")
    document = render(composed.html, project.root, project.campaign.location())
    edges = {}
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            element = getattr(box, "element", None)
            if element is not None and element.get("class") == "panel-body" and box.element_tag == "div":
                edges[element.get("data-panel")] = round(box.position_x * 25.4 / 96, 1)
            stack.extend(getattr(box, "children", ()))
    return edges


def test_arabic_trifold_mirrors_the_english_panels(real_project: Project) -> None:
    brochure = next(iter(real_project.brochures))
    en = panel_left_edges(real_project, brochure, "en")
    ar = panel_left_edges(real_project, brochure, "ar")
    inset = 7.0
    # English: outside flap 97 | back 100 | cover 100; inside 100 | 100 | 97.
    assert en == {
        "flap": inset,
        "back": 97 + inset,
        "cover": 197 + inset,
        "inside-1": inset,
        "inside-2": 100 + inset,
        "inside-3": 200 + inset,
    }
    # Arabic, mirrored: outside cover 100 | back 100 | flap 97; inside 97 | 100 | 100.
    assert ar == {
        "cover": inset,
        "back": 100 + inset,
        "flap": 200 + inset,
        "inside-3": inset,
        "inside-2": 97 + inset,
        "inside-1": 197 + inset,
    }


@pytest.mark.parametrize(("edition", "cover_side"), [("en", "right"), ("ar", "left")])
def test_cover_hotline_sits_on_the_cover_panel(built: dict[Job, Path], edition: str, cover_side: str) -> None:
    import pypdfium2 as pdfium

    path = next(p for job, p in built.items() if job.edition == edition and job.variant == "proof")
    pdf = pdfium.PdfDocument(path)
    textpage = pdf[0].get_textpage()
    text = textpage.get_text_range()
    width = pdf[0].get_width()
    positions = [m.start() for m in re.finditer(re.escape("8169"), text)]
    xs = [textpage.get_charbox(i)[0] for i in positions]
    # The cover shows the hotline; the back panel (middle) lists it again with the contacts.
    assert any((x > width * 2 / 3) if cover_side == "right" else (x < width / 3) for x in xs)
    assert any(width / 3 < x < width * 2 / 3 for x in xs)
    pdf.close()
