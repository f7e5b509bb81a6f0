"""The glossary: avoided terms and variant names are reported where they stand, with the preferred form."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from brochure_press.cli import main
from brochure_press.editor.check import check

from .conftest import REPO


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


def test_the_campaign_name_may_keep_its_own_wording(with_glossary: Path) -> None:
    assert findings(with_glossary, "glossary-avoid") == []


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


def test_the_repository_is_clean_under_strict_check_but_for_its_placeholder_web_address(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--project", str(REPO), "check", "--strict"]) == 1
    out = capsys.readouterr().out
    assert re.findall(r"(?:warning|error): ([\w.]+):", out) == ["web.base_url"], out


def test_a_broken_glossary_is_a_located_error(with_glossary: Path, capsys: pytest.CaptureFixture[str]) -> None:
    glossary = with_glossary / "brochures" / "glossary.yaml"
    glossary.write_text(glossary.read_text().replace("\n          why: ", "\n          whi: ", 1))
    assert main(["--project", str(with_glossary), "check"]) == 1
    assert "glossary.yaml:" in capsys.readouterr().out
