"""Print and proof PDFs of the real brochures: boxes, PDF/X, colour, fonts, metadata, reading direction."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

from brochure_press.compose.fonts import family_coverage
from brochure_press.core.jobs import Job
from brochure_press.core.project import Project

from .conftest import MM, REPO


def content_bytes(page: pikepdf.Page) -> bytes:
    """All content streams of a page, joined."""
    contents = page.obj.Contents
    return b"".join(c.read_bytes() for c in contents) if isinstance(contents, pikepdf.Array) else contents.read_bytes()


def boxes(page: pikepdf.Page) -> dict[str, list[float]]:
    return {name: [float(v) for v in page.obj[f"/{name}"]] for name in ("MediaBox", "TrimBox", "BleedBox")}


def size_mm(box: list[float]) -> tuple[float, float]:
    return round((box[2] - box[0]) / MM, 2), round((box[3] - box[1]) / MM, 2)


def of(built: dict[Job, Path], edition: str, variant: str) -> list[Path]:
    return [path for job, path in built.items() if job.edition == edition and job.variant == variant]


def test_every_brochure_edition_and_variant_is_built(built: dict[Job, Path], real_project: Project) -> None:
    assert len(built) == len(real_project.brochures) * 3 * 2 == 24
    for job, path in built.items():
        assert path.name == f"{job.brochure}.{job.edition}.{job.variant}.pdf"
        assert path.parent.name == job.brochure


@pytest.mark.parametrize("edition", ["en", "ar"])
def test_trifold_print_boxes(built: dict[Job, Path], edition: str) -> None:
    for path in of(built, edition, "print"):
        with pikepdf.open(path) as pdf:
            assert len(pdf.pages) == 2
            for page in pdf.pages:
                b = boxes(page)
                assert size_mm(b["TrimBox"]) == (297.0, 210.0)
                assert size_mm(b["BleedBox"]) == (303.0, 216.0)
                for i in range(2):
                    assert b["BleedBox"][i] == pytest.approx(b["TrimBox"][i] - 3 * MM, abs=0.01)
                # Crop marks stand outside the bleed, so the media reaches beyond it.
                media, bleed = b["MediaBox"], b["BleedBox"]
                assert media[0] < bleed[0] and media[1] < bleed[1] and media[2] > bleed[2] and media[3] > bleed[3]


def test_bilingual_print_is_a4_with_bleed(built: dict[Job, Path]) -> None:
    for path in of(built, "bilingual", "print"):
        with pikepdf.open(path) as pdf:
            assert len(pdf.pages) >= 2
            for page in pdf.pages:
                b = boxes(page)
                assert size_mm(b["TrimBox"]) == (210.0, 297.0)
                assert size_mm(b["BleedBox"]) == (216.0, 303.0)


@pytest.mark.parametrize("edition", ["en", "ar", "bilingual"])
def test_proofs_have_no_bleed_and_no_marks(built: dict[Job, Path], edition: str) -> None:
    for path in of(built, edition, "proof"):
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                media = [float(v) for v in page.obj.MediaBox]
                assert size_mm(media) == ((297.0, 210.0) if edition != "bilingual" else (210.0, 297.0))
                assert b"/BPRegistration" not in content_bytes(page)
            assert pikepdf.Name.OutputIntents not in pdf.Root


def test_print_files_are_pdfx4_with_embedded_cmyk_intent(built: dict[Job, Path], real_project: Project) -> None:
    intent = real_project.campaign.model.print.output_intent
    icc = (REPO / intent.profile).read_bytes()
    prints = [p for job, p in built.items() if job.variant == "print"]
    assert len(prints) == 12
    for path in prints:
        with pikepdf.open(path) as pdf:
            meta = pdf.open_metadata()
            assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
            assert pdf.pdf_version >= "1.6"
            (entry,) = pdf.Root.OutputIntents
            assert entry.S == "/GTS_PDFX"
            assert str(entry.OutputConditionIdentifier) == intent.condition
            profile = entry.DestOutputProfile
            assert profile.N == 4
            assert profile.read_bytes() == icc
            assert pdf.docinfo.Trapped == "/False"


def test_print_colours_are_cmyk_only(built: dict[Job, Path]) -> None:
    rgb = re.compile(rb"(^|\s)(rg|RG)\s|/DeviceRGB")
    for job, path in built.items():
        if job.variant != "print":
            continue
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                content = content_bytes(page)
                assert not rgb.search(content), path.name
                assert b"DeviceCMYK" in content
                assert b"/BPRegistration CS 1 SCN" in content


def test_fonts_are_embedded_subset_and_bundled(built: dict[Job, Path]) -> None:
    bundled = {name.replace(" ", "") for name in family_coverage(REPO / "fonts")}
    for path in built.values():
        with pikepdf.open(path) as pdf:
            fonts = {}
            for page in pdf.pages:
                for font in page.obj.Resources.Font.values():
                    fonts[str(font.BaseFont)] = font
            assert fonts
            for name, font in fonts.items():
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert pikepdf.Name.FontFile2 in descriptor or pikepdf.Name.FontFile3 in descriptor, name
                prefix, _, face = name.lstrip("/").partition("+")
                assert re.fullmatch("[A-Z]{6}", prefix), name
                family = face.replace("-", "").removesuffix("Bold").removesuffix("Italic")
                assert family in bundled, f"{path.name}: font {name} is not bundled"


@pytest.mark.parametrize(("edition", "direction"), [("en", "/L2R"), ("ar", "/R2L"), ("bilingual", "/L2R")])
def test_reading_direction_is_declared(built: dict[Job, Path], edition: str, direction: str) -> None:
    for variant in ("print", "proof"):
        for path in of(built, edition, variant):
            with pikepdf.open(path) as pdf:
                assert pdf.Root.ViewerPreferences.Direction == direction


def test_proofs_are_tagged_with_title_and_language(built: dict[Job, Path], real_project: Project) -> None:
    for job, path in built.items():
        if job.variant != "proof":
            continue
        brochure = real_project.brochures[job.brochure].model
        with pikepdf.open(path) as pdf:
            assert pdf.Root.MarkInfo.Marked is True
            assert pikepdf.Name.StructTreeRoot in pdf.Root
            assert str(pdf.Root.Lang) == ("ar" if job.edition == "ar" else "en")
            assert str(pdf.docinfo.Title) == (brochure.title["ar"] if job.edition == "ar" else brochure.title["en"])
