"""The glossary: avoided terms and variant names are reported where they stand, with the preferred form."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from brochure_press.cli import main
from brochure_press.core.jobs import Job
from brochure_press.editor.check import check

from .conftest import REPO, copy_project


@pytest.fixture
def with_glossary(sample_dir: Path) -> Path:
    shutil.copy(REPO / "brochures" / "glossary.yaml", sample_dir / "brochures")
    return sample_dir


def findings(root: Path, code: str) -> list[str]:
    return [
        f"{d.location.line}:{d.location.column} {d.field}: {d.message} ({d.hint})"
        for d in check(root).diagnostics
        if d.code == code and d.location
    ]


def test_an_avoided_arabic_term_is_reported_at_its_column_with_the_preferred_term(with_glossary: Path) -> None:
    sample = with_glossary / "brochures" / "sample.yaml"
    sample.write_text(sample.read_text().replace("ar: لك حقوق.", "ar: لك حقوق، ومكافحة الاتجار بالبشر واجب."))
    [finding] = findings(with_glossary, "glossary-avoid")
    assert finding.startswith("24:32 sections[2].blocks[0].callout.ar: `الاتجار بالبشر`: the law's term is الاتجار بالأشخاص")
    assert finding.endswith("(write `الاتجار بالأشخاص` (glossary: trafficking-in-persons))")


def test_an_avoided_arabic_term_with_an_attached_particle_is_reported(with_glossary: Path) -> None:
    """Arabic writes و ف ب ل ك onto the next word: `والاتجار بالبشر` holds the avoided term though no space precedes it
    (a whole-word match would miss it)."""
    sample = with_glossary / "brochures" / "sample.yaml"
    sample.write_text(sample.read_text().replace("ar: لك حقوق.", "ar: لك حقوق، والاتجار بالبشر جريمة."))
    [found] = [d for d in check(with_glossary, ["sample"], fit=False).diagnostics if d.code == "glossary-avoid"]
    assert found.message.startswith("`الاتجار بالبشر`: ") and found.field == "sections[2].blocks[0].callout.ar"


def test_vowel_marks_do_not_hide_an_avoided_term(with_glossary: Path) -> None:
    sample = with_glossary / "brochures" / "sample.yaml"
    sample.write_text(sample.read_text().replace("ar: لك حقوق.", "ar: الاتِّجار بالبَشَر جريمة."))
    assert len(findings(with_glossary, "glossary-avoid")) == 1


def test_an_avoided_term_after_vowel_marks_is_quoted_exactly_where_it_stands(with_glossary: Path) -> None:
    """Vowel marks before the term (dropped for matching) shift neither the quoted span nor its column."""
    term = "الاتِّجار بالبَشَر"
    sample = with_glossary / "brochures" / "sample.yaml"
    sample.write_text(sample.read_text().replace("ar: لك حقوق.", f"ar: إنَّ مُكافَحَةَ {term} واجِبٌ."))
    line = next(n for n, text in enumerate(sample.read_text().splitlines(), start=1) if term in text)
    column = sample.read_text().splitlines()[line - 1].index(term) + 1
    [found] = [d for d in check(with_glossary, ["sample"], fit=False).diagnostics if d.code == "glossary-avoid"]
    assert found.message.startswith(f"`{term}`: ") and found.location
    assert (found.location.line, found.location.column) == (line, column)


def test_the_campaign_hashtag_has_no_exception_for_the_everyday_term(with_glossary: Path) -> None:
    assert findings(with_glossary, "glossary-avoid") == []
    campaign = with_glossary / "brochures" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("#معا_ضد_الاتجار_بالأشخاص", "#معا_ضد_الاتجار_بالبشر"))
    [finding] = findings(with_glossary, "glossary-avoid")
    assert " hashtag.ar: `الاتجار_بالبشر`: the law's term is الاتجار بالأشخاص" in finding


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the source file that holds `text`."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text in line)


#: A right human-trafficking wording in a worker language, the same text relapsed to the word for smuggling (or
#: the bare word that covers both), and the avoided term `check` names.
RELAPSES = {
    "ur": ("انسانی تجارت کے غیر ملکی متاثرین", "اسمگلنگ کے غیر ملکی متاثرین", "اسمگلنگ"),
    "bn": ("মানব পাচারের শিকার বিদেশিদের", "পাচারের শিকার বিদেশিদের", "পাচার"),
    "am": ("በሰዎች መነገድ ለተጠቁ የውጭ አገር", "የሕገወጥ ዝውውር ተጠቂ የውጭ አገር", "ሕገወጥ ዝውውር"),
}


def test_smuggling_for_trafficking_is_reported_at_its_line_in_a_workers_language(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    source = root / "brochures" / "foreign-labour-rights.yaml"
    text = source.read_text(encoding="utf-8")
    for right, relapse, _ in RELAPSES.values():
        text = text.replace(right, relapse)
    source.write_text(text, encoding="utf-8")
    found = [d for d in check(root, ["foreign-labour-rights"], fit=False).diagnostics if d.code == "glossary-avoid"]
    assert sorted(d.field for d in found) == sorted(f"sections[0].blocks[4].bullets[0].{lang}" for lang in RELAPSES)
    for finding in found:
        _, relapse, flagged = RELAPSES[finding.field.rsplit(".", 1)[1]]
        assert finding.location is not None and finding.location.path == source
        assert finding.location.line == line_of(source, relapse)
        assert finding.message.startswith(f"`{flagged}`:") and "(glossary: trafficking-in-persons)" in finding.hint


def test_a_fixed_name_written_another_way_is_reported(with_glossary: Path) -> None:
    sample = with_glossary / "brochures" / "sample.yaml"
    sample.write_text(
        sample.read_text().replace("en: You have rights.", "en: The International Organisation for Migration helps.")
    )
    [finding] = findings(with_glossary, "glossary-name")
    assert finding.startswith("23:19 sections[2].blocks[0].callout.en: `International Organisation for Migration` is not how")
    assert "write `IOM Kuwait`" in finding


def test_english_terms_match_whole_words_only(with_glossary: Path) -> None:
    sample = with_glossary / "brochures" / "sample.yaml"
    sample.write_text(
        sample.read_text().replace("en: You have rights.", "en: The International Organisation for Migrations helps.")
    )
    assert findings(with_glossary, "glossary-name") == []


def test_a_broken_glossary_is_a_located_error(with_glossary: Path, capsys: pytest.CaptureFixture[str]) -> None:
    glossary = with_glossary / "brochures" / "glossary.yaml"
    glossary.write_text(glossary.read_text().replace("\n          why: ", "\n          whi: ", 1))
    assert main(["--project", str(with_glossary), "check"]) == 1
    assert "glossary.yaml:" in capsys.readouterr().out


def page_texts(path: Path) -> str:
    """Every page's text as PDFium reads it, whitespace (line ends too) made single spaces."""
    document = pdfium.PdfDocument(path)
    try:
        return " ".join(" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document)))
    finally:
        document.close()


def raw_texts(path: Path) -> str:
    """Every page's text as poppler reads it in content order (`pdftotext -raw`), which gives right-to-left runs
    with /ActualText in logical order; bidi marks dropped, whitespace made single spaces."""
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(re.sub("[\u200e\u200f\u202a-\u202e]", "", out).split())


def test_the_campaign_name_and_the_laws_definition_read_back_from_the_leaflet(built: dict[Job, Path]) -> None:
    """What a reader copies out of the law brochure: the statute's words and the campaign's own name. (Arabic is
    read with poppler, which gives right-to-left runs in logical order; PDFium gives their words in visual order.)"""
    arabic = raw_texts(built[Job("criminalizing-trafficking", "ar", "proof")])
    read = [word.strip(".،:()") for word in arabic.split()]
    for words in (
        "تجنيد أشخاص أو استخدامهم أو نقلهم أو إيواؤهم أو استقبالهم",
        "إعطاء أو تلقي مبالغ مالية أو مزايا",
        "كل شخص لم يجاوز",
        "معًا ضد الاتجار بالأشخاص",  # the campaign's name
    ):  # poppler gives each run in logical order but the runs of a line in visual order: the words, close together
        wanted = Counter(words.split())
        span = 2 * len(words.split()) + 4
        assert any(wanted <= Counter(read[i : i + span]) for i in range(len(read))), words
    assert any(re.fullmatch(r"#?معا_ضد_\S*شخاص#?", word) and word.count("#") == 1 for word in arabic.split())
    english = page_texts(built[Job("criminalizing-trafficking", "en", "proof")])
    assert "Together Against Trafficking in Persons #TogetherAgainstTrafficking" in english


def test_the_first_mention_of_a_law_must_be_its_full_title_in_each_language(with_glossary: Path) -> None:
    """A short form before the full title is reported where it stands; the same texts in the other order are fine."""
    short = ("Law No. 91 of 2013 applies.", "ينطبق القانون رقم 91 لسنة 2013.")
    full = (
        "Law No. 91 of 2013 on Combating Trafficking in Persons and Smuggling of Migrants protects you.",
        "يحميك القانون رقم 91 لسنة 2013 في شأن مكافحة الاتجار بالأشخاص وتهريب المهاجرين.",
    )
    sample = with_glossary / "brochures" / "sample.yaml"
    original = sample.read_text()

    def first_mentions(first: tuple[str, str], later: tuple[str, str]) -> list[tuple[str, int]]:
        text = original.replace("en: Keep your passport.", f"en: {first[0]}").replace("ar: احتفظ بجواز سفرك.", f"ar: {first[1]}")
        sample.write_text(text.replace("en: You have rights.", f"en: {later[0]}").replace("ar: لك حقوق.", f"ar: {later[1]}"))
        found = [d for d in check(with_glossary, ["sample"], fit=False).diagnostics if d.code == "glossary-first-mention"]
        assert all(d.location and d.location.path == sample and "(glossary: law-91-2013)" in d.hint for d in found)
        return sorted((d.field, d.location.line if d.location else 0) for d in found)

    assert first_mentions(short, full) == [
        ("sections[1].blocks[0].bullets[0].ar", line_of(sample, short[1])),
        ("sections[1].blocks[0].bullets[0].en", line_of(sample, short[0])),
    ]
    assert first_mentions(full, short) == []
