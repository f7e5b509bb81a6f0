"""The worker brochure in the workers' own languages: built, set in their bundled faces, hotline in visual order,
Urdu right to left, unreviewed translations marked and kept from the printer, stale texts found per language."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from brochure_press.build.handoff import select
from brochure_press.cli import main
from brochure_press.compose.fonts import stack
from brochure_press.compose.inline import isolated_runs
from brochure_press.compose.layouts import compose
from brochure_press.core.diagnostics import BuildError
from brochure_press.core.jobs import Job
from brochure_press.core.languages import edition_languages, edition_style
from brochure_press.core.project import Project, load_project
from brochure_press.editor.check import check

from .conftest import copy_project, visual_lines

BROCHURE = "foreign-labour-rights"
WORKERS = ("hi", "ur", "fil", "bn", "ml", "si", "ne", "am")
HOTLINE = "+965 2530 8169"


def pdf_of(built: dict[Job, Path], edition: str, variant: str) -> Path:
    return built[Job(BROCHURE, edition, variant)]


def embedded_families(path: Path) -> set[str]:
    """Family names of the fonts a PDF embeds (`ABCDEF+Noto-Sans-Devanagari-Bold` → `NotoSansDevanagari`)."""
    with pikepdf.open(path) as pdf:
        names = {str(font.BaseFont) for page in pdf.pages for font in page.obj.Resources.Font.values()}
    return {re.sub(r"(Bold)?(Italic)?$", "", name.partition("+")[2].replace("-", "")) for name in names}


def text_of(path: Path, page: int) -> str:
    document = pdfium.PdfDocument(path)
    try:
        return str(document[page].get_textpage().get_text_range())
    finally:
        document.close()


def reads_hotline(path: Path) -> bool:
    """Whether a page shows the hotline's digits, seen left to right, in their order (spaces aside: Nastaliq's tall
    glyph boxes hide the word spaces from the line reader)."""
    pages = len(pdfium.PdfDocument(path))
    return any(HOTLINE.replace(" ", "") in line.replace(" ", "") for n in range(pages) for line in visual_lines(path, n))


@pytest.mark.parametrize("code", WORKERS)
def test_each_language_is_built_in_its_own_faces_with_the_hotline_in_reading_order(
    built: dict[Job, Path], real_project: Project, code: str
) -> None:
    campaign = real_project.campaign.model
    for edition in (code, f"{code}-en"):
        allowed = {
            family.replace(" ", "")
            for each in (*edition_languages(campaign, edition), "en")  # Latin runs and the English of the review mark
            for family in stack(edition_style(campaign, edition, each)) + stack(edition_style(campaign, edition, each), True)
        }
        own = stack(campaign.languages[code])[0].replace(" ", "")
        for variant in ("print", "proof"):
            path = pdf_of(built, edition, variant)
            families = embedded_families(path)
            assert own in families, f"{path.name}: {own} not embedded"
            assert families <= allowed, f"{path.name}: {families - allowed} is not a face of its languages"
            assert reads_hotline(path), f"{path.name}: hotline not read as {HOTLINE}"


@pytest.mark.parametrize("edition", ["ur", "ur-naskh", "ur-ar"])
def test_urdu_files_declare_right_to_left_and_urdu(built: dict[Job, Path], edition: str) -> None:
    for variant in ("print", "proof"):
        with pikepdf.open(pdf_of(built, edition, variant)) as pdf:
            assert pdf.Root.ViewerPreferences.Direction == "/R2L"
            assert str(pdf.Root.Lang) == "ur"


def test_the_naskh_edition_sets_urdu_in_scheherazade_not_nastaliq(built: dict[Job, Path]) -> None:
    assert "NotoNastaliqUrdu" in embedded_families(pdf_of(built, "ur", "proof"))
    naskh = embedded_families(pdf_of(built, "ur-naskh", "proof"))
    assert "ScheherazadeNew" in naskh and "NotoNastaliqUrdu" not in naskh


def test_bengali_and_nepali_use_their_own_digits_but_phone_numbers_stay_western(built: dict[Job, Path]) -> None:
    bengali, nepali = text_of(pdf_of(built, "bn", "proof"), 1), text_of(pdf_of(built, "ne", "proof"), 1)
    assert "২০১০" in bengali and "2010" not in bengali  # Law No. 6 of 2010
    assert "२०१०" in nepali and "2010" not in nepali
    for code in ("bn", "ne"):
        assert HOTLINE in text_of(pdf_of(built, code, "proof"), 0)


@pytest.mark.parametrize("code", WORKERS)
def test_unreviewed_translations_say_so_on_proofs_in_their_language_and_english(
    built: dict[Job, Path], real_project: Project, code: str
) -> None:
    language = real_project.campaign.model.languages[code]
    html = compose(real_project, BROCHURE, code, "proof").html
    mark = re.search(r'<div class="review-mark"[^>]*>(.*?)</div>', html)
    assert mark is not None
    assert f'<span lang="{code}" dir="{language.direction}">{language.under_review}</span>' in mark[1]
    assert '<span lang="en" dir="ltr">Translation under review</span>' in mark[1]
    for page in (0, 1):  # the mark is rotated: its words are found, their order is the HTML's above
        assert {"Translation", "under", "review"} <= set(text_of(pdf_of(built, code, "proof"), page).split())
    with pikepdf.open(pdf_of(built, code, "print")) as pdf:
        assert "DRAFT" in str(pdf.docinfo.get("/Keywords", ""))


def test_hand_off_refuses_an_unreviewed_language_where_it_is_declared(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    source = root / "brochures" / f"{BROCHURE}.yaml"
    source.write_text(source.read_text().replace("status: draft\n", "status: approved\n", 1))
    with pytest.raises(BuildError) as refused:
        select(load_project(root), [BROCHURE], allow_draft=False)
    (refusal,) = refused.value.diagnostics
    assert refusal.code == "handoff-refused" and refusal.location is not None
    assert (str(refusal.location.path), refusal.location.line) == (f"brochures/{BROCHURE}.yaml", 2)
    declared = [code for code in load_project(root).campaign.model.languages if code in WORKERS]
    shown = ", ".join(declared[:4]) + ", …"
    assert (
        f"{BROCHURE}: no legal review (reviewer, date missing); {len(WORKERS)} translations not reviewed ({shown});"
        in refusal.message
    )
    assert "set its `status: reviewed` and `reviewer:`" in refusal.hint
    assert select(load_project(root), [BROCHURE], allow_draft=True) == [BROCHURE]

    reviewed = re.sub(r"status: draft, reviewer: null", "status: reviewed, reviewer: A. Reviewer", source.read_text())
    source.write_text(reviewed.replace("  reviewer: null\n  date: null\n", "  reviewer: A. Lawyer\n  date: 2026-12-01\n"))
    assert select(load_project(root), [BROCHURE], allow_draft=False) == [BROCHURE]


def test_a_reviewed_translation_must_name_its_reviewer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_project(tmp_path / "project")
    source = root / "brochures" / f"{BROCHURE}.yaml"
    source.write_text(source.read_text().replace("hi: {status: draft,", "hi: {status: approved,", 1))
    assert main(["--project", str(root), "check", BROCHURE]) != 0
    assert re.search(r"foreign-labour-rights\.yaml:8:\d+: error: .*translations\.hi.*names its reviewer", capsys.readouterr().out)


def test_an_english_edit_makes_every_translation_of_it_stale(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    source = root / "brochures" / f"{BROCHURE}.yaml"
    assert not [d for d in check(root, [BROCHURE], fit=False).diagnostics if d.code.startswith("translation-")]
    source.write_text(source.read_text().replace("Take 30 days' paid annual leave.", "Take 30 days' annual leave, paid."))
    stale = [d for d in check(root, [BROCHURE], fit=False).diagnostics if d.code == "translation-stale"]
    assert {d.field for d in stale} == {f"sections[1].blocks[1].bullets[4].{code}" for code in ("ar", *WORKERS)}
    assert all(d.location is not None and d.location.line > 0 for d in stale)


def test_hashtags_in_indic_scripts_keep_their_vowel_signs() -> None:
    text = "देखें #मानव_तस्करी_के_ख़िलाफ़ और #সবাই_একসাথে।"
    assert [text[a:b] for kind, a, b in isolated_runs(text) if kind == "hashtag"] == [
        "#मानव_तस्करी_के_ख़िलाफ़",
        "#সবাই_একসাথে",
    ]
