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
    assert '<span class="keep">رقم 91 لسنة 2013 الحق.</span>' in arabic
    english = inline_html("Under Law No. 6 of 2010 you are paid **25%** more for overtime at work.", Writing("en"))
    assert '<span class="keep">No. 6 of 2010 you</span>' in english and '<span class="keep">at work.</span>' in english
    linked = inline_html("See [the 2013 law](https://example.org/2013) today.", Writing("en"))
    assert 'href="https://example.org/2013"' in linked


def test_no_arabic_line_ends_on_a_citation_word(built: dict[Job, Path]) -> None:
    for job, path in built.items():
        if job.edition != "ar":
            continue
        for page in (0, 1):
            for line in visual_lines(path, page):
                words = line.split()  # left to right: the line's end comes first in Arabic
                assert not words or words[0] not in ("رقم", "لسنة"), (job, line)


def test_english_hyphenation_keeps_short_words_whole_and_fragments_of_three_letters(tmp_path: Path) -> None:
    from brochure_press.compose.typography import language_css
    from brochure_press.core.diagnostics import Location
    from brochure_press.core.project import load_project
    from brochure_press.render.typeset import render

    project = load_project(REPO)
    words = "Responsibilities notwithstanding extraordinary circumstances, accommodation and transportation"
    paragraph = " ".join([words] * 6 + ["often stay with small words like this one and that one"] * 4)
    html = (
        f'<html lang="en"><head><style>{language_css(project.campaign.model.languages)} @page {{ size: 80mm 400mm; }}</style>'
        f'</head><body><p style="width: 55mm; font-size: 10.5pt">{paragraph}</p></body></html>'
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
