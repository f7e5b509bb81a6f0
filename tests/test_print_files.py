"""Print and proof PDFs of the real brochures: boxes, PDF/X, colour, fonts, metadata, reading direction."""

from __future__ import annotations

import calendar
import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from fontTools.misc.timeTools import timestampSinceEpoch
from fontTools.ttLib import TTFont
from PIL import Image

from brochure_press.build.plan import plan
from brochure_press.build.run import run
from brochure_press.compose.fonts import family_coverage
from brochure_press.compose.palette import srgb_of
from brochure_press.core.jobs import Job
from brochure_press.core.languages import edition_language
from brochure_press.core.project import Project, load_project
from brochure_press.pdf.content import page_content
from brochure_press.preflight.plates import is_full_black
from brochure_press.render.job import make_pdf
from brochure_press.render.overprint import overprint_black
from brochure_press.render.reproduciblefonts import CHECKSUM_MAGIC, subset_tag, table_checksum

from .conftest import MM, REPO, visual_lines


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
    # Three brochures in en, ar and bilingual; the worker brochure also in 18 editions of the workers' languages.
    assert len(built) == (3 * 3 + 21) * 2 == 60
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
    assert len(prints) == 30
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
            assert str(pdf.Root.Lang) == edition_language(real_project.campaign.model, job.edition)[0]
            assert str(pdf.docinfo.Title) == brochure.title[edition_language(real_project.campaign.model, job.edition)[0]]


# Print masters a prepress operator accepts: font programs, overprint, marks, metadata, colour condition, pages


def font_programs(pdf: pikepdf.Pdf) -> dict[str, tuple[bytes, set[str]]]:
    """Subset tag → (font program, every name the font's dictionaries give it)."""
    found: dict[str, tuple[bytes, set[str]]] = {}
    for page in pdf.pages:
        for font in page.obj.Resources.Font.values():
            cid = font.DescendantFonts[0]
            names = {str(font.BaseFont), str(cid.BaseFont), str(cid.FontDescriptor.FontName)}
            found[str(font.BaseFont)[1:7]] = (cid.FontDescriptor.FontFile2.read_bytes(), names)
    return found


def test_subset_tags_are_derived_from_the_font_programs(built: dict[Job, Path]) -> None:
    programs_by_tag: dict[str, set[bytes]] = {}
    for path in built.values():
        with pikepdf.open(path) as pdf:
            for tag, (program, names) in font_programs(pdf).items():
                assert all(name.startswith(f"/{tag}+") for name in names), names
                assert len({name.split("+")[1] for name in names}) == 1, names
                assert tag == subset_tag(program)
                programs_by_tag.setdefault(tag, set()).add(program)
    # Same tag ⇔ same bytes, over every print and proof file: a RIP caching fonts by name cannot swap them.
    assert all(len(programs) == 1 for programs in programs_by_tag.values())
    assert len(programs_by_tag) == len({p for programs in programs_by_tag.values() for p in programs}) > 20


def test_font_programs_are_dated_from_the_sources_with_right_checksums(built: dict[Job, Path], real_project: Project) -> None:
    for job, path in built.items():
        revised = real_project.brochures[job.brochure].model.revised
        with pikepdf.open(path) as pdf:
            for program, _ in font_programs(pdf).values():
                font = TTFont(io.BytesIO(program), checkChecksums=2)
                for tag in sorted(font.reader.tables):
                    font[tag]  # every table's checksum is checked as it loads
                assert font["head"].modified == timestampSinceEpoch(calendar.timegm(revised.timetuple()))
                assert table_checksum(program) == CHECKSUM_MAGIC


def test_black_text_overprints_and_nothing_else_does(built: dict[Job, Path]) -> None:
    for job, path in built.items():
        if job.variant != "print":
            continue
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                states = page.obj.Resources.ExtGState
                assert (states.BPOverprint.OP, states.BPOverprint.op, states.BPOverprint.OPM) == (True, True, 1)
                texts = [p for p in page_content(page).paints if p.kind in ("text", "fill")]
                black = [p for p in texts if p.kind == "text" and is_full_black(p.colour)]
                assert black and all(p.overprint for p in black), path.name
                assert not any(p.overprint for p in texts if not is_full_black(p.colour)), path.name


def test_overprint_covers_rules_forms_and_leaves_other_colours_knocked_out(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    form = pikepdf.Stream(pdf, b"0 0 0 1 k BT /F1 8 Tf (in a form) Tj ET", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form)
    form.BBox = [0, 0, 100, 100]
    content = (
        b"q 2 0 0 2 0 0 cm 0 0 0 1 K 0.5 w 10 10 m 90 10 l S Q"  # thin black rule (1 pt as printed): overprints
        b" 0 0 0 1 K 3 w 10 20 m 90 20 l S"  # 3 pt black bar: knocks out
        b" 0 0 0 1 k 10 30 80 1.5 re f"  # thin filled black rule: overprints
        b" 0 0 0 0 k BT /F1 8 Tf (white) Tj ET"  # white text: knocks out
        b" 1 0.7 0 0.3 k BT (blue) Tj ET"  # colour text: knocks out
        b" 0 0 0 1 k BT (black) Tj ET /Fx Do"
    )
    page = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 200, 200]))
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fx=form))
    page.obj.Contents = pdf.make_stream(content)
    pdf.pages.append(page)
    overprint_black(pdf)
    ops = [(str(i.operator), [str(o) for o in i.operands]) for i in pikepdf.parse_content_stream(pdf.pages[0])]
    state, saved, state_at = "/BPKnockout", [], []
    for op, args in ops:
        if op == "q":
            saved.append(state)
        elif op == "Q":
            state = saved.pop()
        elif op == "gs":
            state = args[0]
        elif op in ("S", "f", "Tj", "Do"):
            state_at.append(state)
    on, off = "/BPOverprint", "/BPKnockout"
    assert state_at == [on, off, on, off, off, on, off]
    # A graphics state is set before a path is built, never between its construction and its painting.
    building = False
    for op, _ in ops:
        assert not (building and op == "gs")
        building = op in ("m", "l", "re") or (building and op not in ("S", "f"))
    inner = [str(i.operator) for i in pikepdf.parse_content_stream(pdf.pages[0].obj.Resources.XObject.Fx)]
    assert inner[inner.index("Tj") - 1] == "gs"


def test_marks_start_beyond_the_bleed_by_the_print_spec_offset(built: dict[Job, Path], sample_dir: Path) -> None:
    def mark_gaps(data_or_path: bytes | Path) -> list[float]:
        with pikepdf.open(io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path) as pdf:
            gaps = []
            for page in pdf.pages:
                bleed = [float(v) for v in page.obj.BleedBox]
                for paint in page_content(page).paints:
                    if paint.colour.registration and paint.box:
                        x0, y0, x1, y1 = paint.box
                        gaps.append(max(bleed[0] - x1, x0 - bleed[2], bleed[1] - y1, y0 - bleed[3]) / MM)
            return gaps

    for job, path in built.items():
        if job.variant == "print":
            gaps = mark_gaps(path)
            assert len(gaps) >= 8 and min(gaps) == pytest.approx(2.0, abs=0.01), path.name
    campaign = sample_dir / "brochures" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("marks_offset_mm: 2", "marks_offset_mm: 4"))
    data, _ = make_pdf(load_project(sample_dir), Job("sample", "en", "print"))
    assert min(mark_gaps(data)) == pytest.approx(4.0, abs=0.01)


def test_print_masters_carry_only_their_standards_metadata_and_used_colour_spaces(built: dict[Job, Path]) -> None:
    for job, path in built.items():
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                used = set(re.findall(r"(/[\w.-]+)\s+(?:cs|CS)\b", content_bytes(page).decode("latin-1")))
                used -= {"/DeviceCMYK", "/DeviceRGB", "/DeviceGray", "/Pattern"}
                assert set(page.obj.Resources.get("/ColorSpace", {}).keys()) == used, path.name
            if job.variant == "proof":
                continue
            xmp = pdf.Root.Metadata.read_bytes().decode()
            assert "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>" in xmp
            assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
            assert "GTS_PDFXConformance" not in xmp and "pdfx:GTS_PDFXVersion" not in xmp
            assert not [key for key in pdf.docinfo if key.startswith("/GTS_")]


def test_the_output_intent_is_fogra39_and_the_proofs_soft_proof_through_it(built: dict[Job, Path], real_project: Project) -> None:
    icc = (REPO / "layouts" / "icc" / "FOGRA39.icc").read_bytes()
    for job, path in built.items():
        if job.variant != "print":
            continue
        with pikepdf.open(path) as pdf:
            (entry,) = pdf.Root.OutputIntents
            assert str(entry.OutputConditionIdentifier) == "FOGRA39"
            assert str(entry.RegistryName) == "http://www.color.org"
            assert str(entry.Info) == str(entry.OutputCondition) == "Coated FOGRA39 (ISO 12647-2:2004)"
            assert entry.DestOutputProfile.read_bytes() == icc
    # The proof shows the palette as it prints under the same profile (not SWOP's, which differs).
    primary = real_project.campaign.model.palette.primary
    proofed = srgb_of(primary, REPO / "layouts" / "icc" / "FOGRA39.icc")
    assert proofed != srgb_of(primary, REPO / "layouts" / "icc" / "default_cmyk.icc")
    with pikepdf.open(of(built, "en", "proof")[0]) as pdf:
        colours = [[float(v) for v in i.operands] for i in pikepdf.parse_content_stream(pdf.pages[0]) if str(i.operator) == "rg"]
    assert [v / 255 for v in proofed] in [pytest.approx(c, abs=1e-5) for c in colours]


def test_bilingual_editions_have_an_even_page_count_with_blank_pages_saying_so(built: dict[Job, Path], sample_dir: Path) -> None:
    for path in of(built, "bilingual", "print") + of(built, "bilingual", "proof"):
        with pikepdf.open(path) as pdf:
            assert len(pdf.pages) % 2 == 0, path.name
    project = load_project(sample_dir)  # its bilingual text fills one page: a second is added
    [item] = run(project, plan(project, ["sample"], ["bilingual"], ["print"])).built
    assert item.pages == 2
    last = " ".join(visual_lines(item.path, 1))
    # visual_lines reads left to right, so the Arabic words appear with their letters reversed.
    assert "This page is intentionally left blank." in last and "الصفحة فارغة"[::-1] in last
    assert "Page 2 of 2" in last


def test_ghostscript_separations_keep_the_tint_under_black_text(built: dict[Job, Path], tmp_path: Path) -> None:
    path = built[Job("employer-duties", "en", "print")]
    separations = str(tmp_path / "sep-%d.tif")
    command = ["gs", "-q", "-o", separations, "-sDEVICE=tiffsep", "-r72", "-dUseTrimBox", "-dLastPage=1", str(path)]
    subprocess.run(command, check=True, capture_output=True)
    cyan = Image.open(tmp_path / "sep-1(Cyan).tif").convert("L")  # 255: no cyan ink, 0: full
    # The back panel (tint C8 M3, black and blue text) from 102 to 193 mm, clear of its edges: black text that knocked
    # out would leave holes of no cyan at all; overprinting, the tint runs on beneath it.
    # The one paper-white place is the QR code's square (code and quiet zone), knocked out of the tint on purpose.
    panel = cyan.crop((round(102 * 72 / 25.4), 30, round(193 * 72 / 25.4), cyan.height - 30))
    tint = 255 * (1 - 0.08)
    square = panel.point(lambda v: 255 if v > tint + 3 else 0).getbbox()
    assert square is not None
    width, height = ((square[2] - square[0]) * 25.4 / 72, (square[3] - square[1]) * 25.4 / 72)
    assert 22 <= width <= 32 and abs(width - height) <= 1.5, (width, height)
    panel.paste(round(tint), square)
    lightest = panel.getextrema()[1]
    assert tint - 3 <= lightest <= tint + 3
