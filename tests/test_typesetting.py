"""Arabic set as Arabic: its own face for every character in its lines, a type scale per language, a fallback warning."""

from __future__ import annotations

import ctypes
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from brochure_press.compose.inline import Writing, inline_html
from brochure_press.core.jobs import Job
from brochure_press.editor.check import check

from .conftest import REPO, visual_lines

LATIN_LETTER = re.compile("[A-Za-z]")


def glyphs(path: Path) -> list[tuple[str, str, float]]:
    """(character, font name, size in points) of every glyph drawn on every page."""
    out = []
    document = pdfium.PdfDocument(path)
    for page in document:
        textpage = page.get_textpage()
        buffer = ctypes.create_string_buffer(256)
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if not char.strip():
                continue
            raw.FPDFText_GetFontInfo(textpage.raw, i, buffer, 256, None)
            out.append((char, buffer.value.decode(errors="replace"), raw.FPDFText_GetFontSize(textpage.raw, i)))
    return out


def test_every_character_of_the_arabic_editions_is_drawn_by_the_arabic_face(built: dict[Job, Path]) -> None:
    for job, path in built.items():
        if job.edition != "ar" or job.variant != "proof":
            continue
        foreign = {
            (c, font)
            for c, font, _ in glyphs(path)
            if "PlexSansArabic" not in font.replace("-", "") and not LATIN_LETTER.match(c)
        }
        assert foreign == set(), (job, sorted(foreign)[:20])


def test_headings_are_larger_than_body_text_in_every_language(built: dict[Job, Path]) -> None:
    for job, path in built.items():
        if job.variant != "proof" or job.edition == "bilingual":
            continue
        sizes = [round(size, 1) for _, _, size in glyphs(path)]
        body = max(set(sizes), key=sizes.count)
        assert any(size > body * 1.25 for size in sizes), (job, body, sorted(set(sizes)))


def test_the_credit_line_has_one_size_in_both_languages(built: dict[Job, Path]) -> None:
    def credit_size(path: Path) -> float:
        return min(round(size, 1) for _, _, size in glyphs(path) if size > 4)

    for brochure in {job.brochure for job in built}:
        english = built[Job(brochure, "en", "proof")]
        arabic = built[Job(brochure, "ar", "proof")]
        assert credit_size(english) == credit_size(arabic)


def test_a_latin_only_face_inside_an_arabic_line_is_reported(sample_dir: Path) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    text = campaign.read_text()
    assert "body: [IBM Plex Sans Arabic, IBM Plex Sans]" in text
    campaign.write_text(text.replace("body: [IBM Plex Sans Arabic, IBM Plex Sans]", "body: [Noto Naskh Arabic, IBM Plex Sans]"))
    sample = sample_dir / "brochures" / "sample.yaml"
    sample.write_text(sample.read_text().replace("ar: لك حقوق.", "ar: لك حقوق (كلها)."))
    found = [d for d in check(sample_dir, ["sample"], fit=False).diagnostics if d.code == "font-fallback"]
    assert any(
        d.field == "sections[2].blocks[0].callout.ar" and "'(' (U+0028) is drawn by IBM Plex Sans" in d.message for d in found
    )


def test_the_project_s_arabic_has_no_fallback() -> None:
    assert [d for d in check(REPO, fit=False).diagnostics if d.code == "font-fallback"] == []


@pytest.mark.parametrize("digits", ["latn", "arab"])
def test_bilingual_page_numbers_follow_the_digit_setting(sample_dir: Path, digits: str) -> None:
    from brochure_press.build.plan import plan
    from brochure_press.build.run import run
    from brochure_press.core.project import load_project

    campaign = sample_dir / "brochures" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("    digits: latn\n", f"    digits: {digits}\n"))
    project = load_project(sample_dir)
    [item] = run(project, plan(project, ["sample"], ["bilingual"], ["proof"])).built
    footer = pdfium.PdfDocument(item.path)[0].get_textpage().get_text_range()
    arabic_digits = bool(re.search("[٠-٩]", footer.split("Page 1 of")[-1]))
    assert arabic_digits == (digits == "arab")


def test_numbers_stay_with_their_words_and_no_text_ends_on_a_lone_short_word() -> None:
    arabic = inline_html("يمنحك القانون رقم 91 لسنة 2013 الحق.", Writing("ar", "rtl"))
    assert "رقم\u00a091\u00a0لسنة\u00a02013\u00a0الحق." in arabic
    english = inline_html("Under Law No. 6 of 2010 you are paid **25%** more for overtime at work.", Writing("en"))
    assert "No.\u00a06\u00a0of\u00a02010\u00a0you" in english and "at\u00a0work." in english
    text = re.sub("<[^>]+>", "", english)
    assert "Under Law" in text and "more for" in text
    assert '<span class="bound">Law\u00a0No.\u00a06\u00a0of\u00a02010\u00a0you</span>' in english  # never hyphenated
    linked = inline_html("See [the 2013 law](https://example.org/2013) today.", Writing("en"))
    assert 'href="https://example.org/2013"' in linked


def test_no_arabic_line_ends_on_a_citation_word(built: dict[Job, Path]) -> None:
    for job, path in built.items():
        if job.edition != "ar":
            continue
        for page in (0, 1):
            for line in visual_lines(path, page):
                words = line.split()  # left to right: the line's end comes first in Arabic
                assert not words or words[0] not in ("رقم", "لسنة", "للقوى"), (job, line)


def test_english_hyphenation_keeps_short_words_whole_and_fragments_of_three_letters(tmp_path: Path) -> None:
    from brochure_press.compose.typography import language_css
    from brochure_press.core.diagnostics import Location
    from brochure_press.core.project import load_project
    from brochure_press.render.typeset import render

    project = load_project(REPO)
    words = "Responsibilities notwithstanding extraordinary circumstances, accommodation and transportation"
    # One paragraph per width: a paragraph ending three lines in a row with a hyphen would be set without any.
    texts = [(width, words) for width in (50, 55, 65)] + [(55, "often stay with small words like this one and that one")] * 4
    paragraphs = "".join(f'<p style="width: {width}mm; font-size: 10.5pt">{text}</p>' for width, text in texts)
    html = (
        f'<html lang="en"><head><style>{language_css(project.campaign.model.languages)} @page {{ size: 80mm 400mm; }}</style>'
        f"</head><body>{paragraphs}</body></html>"
    )
    path = tmp_path / "paragraph.pdf"
    path.write_bytes(render(html, REPO, Location(path)).write_pdf())
    lines = visual_lines(path, 0)[::-1]  # top to bottom
    ends = [line.endswith(("\u2010", "-")) and line[-2:-1].isalpha() for line in lines]
    assert any(ends), lines  # long words do get hyphenated in a narrow column
    for i, line in enumerate(lines):
        if ends[i]:
            fragment = line.rstrip("\u2010-").split()[-1]
            assert len(fragment) >= 3 and len(lines[i + 1].split()[0].strip(",.")) >= 3, (line, lines[i + 1])
    assert not any(re.search(r"\b(often|small|words)\u2010", line) for line in lines)


def test_names_the_campaign_lists_are_never_broken() -> None:
    arabic = Writing("ar", "rtl", latin="en", keep=("الهيئة العامة للقوى العاملة", "IOM Kuwait"))
    html = inline_html("راجع الهيئة العامة للقوى العاملة أو IOM Kuwait في أي وقت تشاء من أيام الأسبوع.", arabic)
    assert '<span class="name">الهيئة\u00a0العامة\u00a0للقوى\u00a0العاملة</span>' in html
    assert '<bdi dir="ltr" lang="en"><span class="name">IOM\u00a0Kuwait</span></bdi>' in html
    english = Writing("en", keep=("Public Authority for Manpower",))
    html = inline_html("Ask the Public Authority for Manpower &amp; friends about your contract.", english)
    assert '<span class="name">Public\u00a0Authority\u00a0for\u00a0Manpower</span>' in html


def test_a_panel_less_than_60_percent_full_is_a_located_warning(sample_dir: Path) -> None:
    fill = [d for d in check(sample_dir, ["sample"]).warnings if d.code == "panel-fill"]
    flap = [d for d in fill if "panel `flap`" in d.message]
    assert {(d.location.line if d.location else 0) for d in flap} == {7}  # the flap's section in sample.yaml
    assert any(re.fullmatch(r"sample \(en edition\): panel `flap` \(page 1\) is \d+% full", d.message) for d in flap)
    assert {d.message.split("`")[1] for d in fill} >= {"flap", "inside-1", "inside-2", "inside-3"}


def test_a_panel_between_half_and_60_percent_full_is_still_reported(sample_dir: Path) -> None:
    """The threshold is 60 %: a panel filled a little over half (nine bullets in `inside-1`) is reported."""
    sample = sample_dir / "brochures" / "sample.yaml"
    bullets = "".join(
        f"          - en: Keep your passport and your contract number {i} with you.\n"
        f"            ar: احتفظ بجواز سفرك وعقدك رقم {i} معك.\n"
        for i in range(9)
    )
    sample.write_text(
        sample.read_text().replace("          - en: Keep your passport.\n            ar: احتفظ بجواز سفرك.\n", bullets)
    )
    fill = [d.message for d in check(sample_dir, ["sample"]).warnings if d.code == "panel-fill"]
    [inside] = [m for m in fill if m.startswith("sample (en edition): panel `inside-1`")]
    percent = int(re.findall(r"is (\d+)% full", inside)[0])
    assert 50 <= percent < 60, inside


def test_without_logos_nothing_is_reserved_and_listed_logos_are_shown(sample_dir: Path) -> None:
    from PIL import Image

    from brochure_press.build.plan import plan
    from brochure_press.build.run import run
    from brochure_press.core.project import load_project

    def back_panel(variant: str) -> tuple[str, int]:
        project = load_project(sample_dir)
        [item] = run(project, plan(project, ["sample"], ["en"], [variant])).built
        page = pdfium.PdfDocument(item.path)[0]
        images = list(page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=4))
        return page.get_textpage().get_text_range(), len(images)

    for variant in ("proof", "print"):
        text, images = back_panel(variant)
        assert "Partner logos" not in text and images == 0
    (sample_dir / "layouts" / "logos").mkdir()
    Image.new("RGB", (120, 60), (200, 30, 30)).save(sample_dir / "layouts" / "logos" / "partner.png")
    campaign = sample_dir / "brochures" / "campaign.yaml"
    logos = "logos:\n  - file: layouts/logos/partner.png\n    name: {en: A partner, ar: شريك}\n"
    campaign.write_text(campaign.read_text() + logos)
    text, images = back_panel("proof")
    assert "Partner logos" not in text and images == 1


def test_a_bound_last_line_leaves_the_lines_above_full(tmp_path: Path) -> None:
    """WeasyPrint 70 breaks at a line's first opportunity when a nowrap span does not fit at its end; bound words
    must not ("Keep / your receipts and copies of your papers in a / safe place.")."""
    from brochure_press.core.diagnostics import Location
    from brochure_press.render.typeset import render

    text = inline_html("Keep your receipts and copies of your papers in a safe place.", Writing("en"))
    html = (
        '<html lang="en"><head><style>@page { size: 120mm 60mm; } p { font: 10.5pt "IBM Plex Sans"; width: 82mm; }'
        f"</style></head><body><p>{text}</p></body></html>"
    )
    path = tmp_path / "paragraph.pdf"
    path.write_bytes(render(html, REPO, Location(path)).write_pdf())
    lines = visual_lines(path, 0)[::-1]  # top to bottom
    assert lines == ["Keep your receipts and copies of your papers in a", "safe place."]


def test_no_paragraph_ends_more_than_two_lines_in_a_row_with_a_hyphen(sample_dir: Path) -> None:
    from brochure_press.core.project import load_project
    from brochure_press.render.fit import _descendants as descendants
    from brochure_press.render.job import lay_out

    source = sample_dir / "brochures" / "sample.yaml"
    long_words = "Notwithstanding extraordinary telecommunications, internationalisation accommodates responsibilities."
    source.write_text(source.read_text().replace("en: You have rights.", f"en: {long_words}"))
    sheet = sample_dir / "layouts" / "trifold" / "trifold.css"
    css = sheet.read_text()

    def line_ends(width: int) -> list[bool]:
        """Whether each line of the laid-out callout ends with a hyphen, its column `width` mm wide."""
        sheet.write_text(css + f"[data-panel=inside-2] p {{ width: {width}mm; }}")
        _, document = lay_out(load_project(sample_dir), Job("sample", "en", "print"))
        boxes = [box for page in document.pages for box in descendants(page._page_box)]
        (callout,) = {
            id(box.element): box
            for box in boxes
            if box.element_tag == "p" and "callout" in (box.element.get("class") or "") and type(box).__name__ == "BlockBox"
        }.values()
        return [[t.text for t in descendants(line) if hasattr(t, "text")][-1].endswith("\u2010") for line in callout.children]

    # At 42 mm WeasyPrint ends four lines in a row with a hyphen: the paragraph is set again without hyphenation.
    assert line_ends(42) and not any(line_ends(42))
    # At 54 mm two hyphenated ends in a row are let through.
    assert "True, True" in str(line_ends(54))
