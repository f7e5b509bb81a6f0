"""Preflight is proven on broken files: each fault is caught with its message; the real brochures pass clean."""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from brochure_press.cli import main
from brochure_press.core.diagnostics import BuildError, Diagnostic
from brochure_press.core.jobs import Job
from brochure_press.core.project import Project, load_project
from brochure_press.preflight.expectations import expectations
from brochure_press.preflight.fontuse import family_of
from brochure_press.preflight.printcheck import Report, preflight
from brochure_press.preflight.report import report_text
from brochure_press.render.job import make_pdf

from .conftest import REPO, outputs

EN_PRINT = Job("employer-duties", "en", "print")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def edited(path: Path, change: Callable[[pikepdf.Pdf], None]) -> bytes:
    """The bytes of a PDF after `change` was applied to it."""
    with pikepdf.open(path) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def drawing(content: bytes, page: int = 0, **resources: dict[str, pikepdf.Object]) -> Callable[[pikepdf.Pdf], None]:
    """A change that paints `content` on top of a page, with extra named resources (`XObject={...}`)."""

    def change(pdf: pikepdf.Pdf) -> None:
        target = pdf.pages[page]
        for kind, named in resources.items():
            if f"/{kind}" not in target.Resources:
                target.Resources[f"/{kind}"] = pikepdf.Dictionary()
            for name, obj in named.items():
                target.Resources[f"/{kind}"][f"/{name}"] = obj(pdf) if callable(obj) else obj
        target.contents_add(pikepdf.Stream(pdf, content))

    return change


def check(project: Project, data: bytes, edition: str = "en", standard: str | None = None) -> Report:
    return preflight(data, Path(f"employer-duties.{edition}.print.pdf"), expectations(project, edition, standard))  # type: ignore[arg-type]


def found(report: Report | list[Diagnostic], code: str) -> list[str]:
    diagnostics = report.diagnostics if isinstance(report, Report) else report
    return [d.message for d in diagnostics if d.code == f"preflight-{code}"]


def besides_draft(report: Report) -> list[Diagnostic]:
    """What preflight found in a file of the real (draft) brochures, besides its being a draft."""
    return [d for d in report.diagnostics if d.code != "preflight-draft"]


def build_errors(root: Path, edition: str = "en") -> list[Diagnostic]:
    with pytest.raises(BuildError) as caught:
        make_pdf(load_project(root), Job("sample", edition, "print"))
    return caught.value.diagnostics


def add_css(root: Path, css: str, layout: str = "trifold") -> None:
    sheet = root / "layouts" / layout / f"{layout}.css"
    sheet.write_text(sheet.read_text() + "\n" + css + "\n")


# The real brochures


# Representative editions: English, Arabic, a worker language in Nastaliq and the bilingual one. The build preflights
# every print file and writes none that fails, but it keeps no warnings: these four are preflighted again for them.
PREFLIGHTED_AGAIN = ("en", "ar", "ur", "bilingual")


def test_real_print_files_pass_clean(built: dict[Job, Path], real_project: Project) -> None:
    # Written, so preflighted with no error by the build.
    assert sum(job.variant == "print" and path.is_file() for job, path in built.items()) == 30
    # Each edition of another brochure where it can be: today, all four brochures are read.
    prints: dict[Job, Path] = {}
    for i, edition in enumerate(PREFLIGHTED_AGAIN):
        having = sorted(job for job in built if job.edition == edition and job.variant == "print")
        prints[having[i % len(having)]] = built[having[i % len(having)]]
    assert len(prints) == len(PREFLIGHTED_AGAIN)
    for job, path in prints.items():
        report = preflight(path.read_bytes(), path, expectations(real_project, job.edition))
        # A draft's file says so (a warning); nothing else is found.
        draft = real_project.brochures[job.brochure].model.status == "draft"
        assert [d.code for d in report.diagnostics] == ["preflight-draft"] * draft, report_text(report)
        # Blank pages that bring a bilingual edition to an even page count print their running heads in 100 % K only.
        assert report.standard == "PDF/X-4" and report.inks[0] == "CMYK" and set(report.inks) <= {"CMYK", "K"}
        assert report_text(report).startswith(f"{path}: passed (0 errors, {int(draft)} warning{'' if draft else 's'})\n")


# Colour


def test_rgb_colour_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    data = edited(built[EN_PRINT], drawing(b"q 1 0 0 rg 300 300 50 50 re f Q"))
    assert found(check(real_project, data), "rgb") == ["page 1: fill in DeviceRGB colour"]


def test_rgb_in_css_fails_the_build_with_file_and_page(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_css(sample_dir, ".callout { color: rgb(255 0 0); }")
    assert main(["--project", str(sample_dir), "build", "--edition", "en"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"sample\.en\.print\.pdf: error: page 2: text in DeviceRGB colour", err), err
    assert "Traceback" not in err and not outputs(sample_dir)


def blue_tiles(step: float) -> Callable[[pikepdf.Pdf], pikepdf.Stream]:
    """A coloured tiling pattern whose 5 pt cell is an RGB blue square, repeated every `step` points."""

    def tiles(pdf: pikepdf.Pdf) -> pikepdf.Stream:
        return pikepdf.Stream(
            pdf,
            b"0 0 1 rg 0 0 5 5 re f",
            PatternType=1,
            PaintType=1,
            TilingType=1,
            BBox=[0, 0, 5, 5],
            XStep=step,
            YStep=step,
            Resources=pikepdf.Dictionary(),
        )

    return tiles


def test_rgb_inside_forms_patterns_and_shadings_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    def form(pdf: pikepdf.Pdf) -> pikepdf.Stream:
        return pikepdf.Stream(
            pdf, b"0 1 0 rg 0 0 10 10 re f", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 10, 10]
        )

    ramp = pikepdf.Dictionary(
        ShadingType=2,
        ColorSpace=pikepdf.Name.DeviceRGB,
        Coords=[0, 0, 1, 0],
        Function=pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 0, 0], C1=[0, 0, 1], N=1),
    )
    change = drawing(
        b"q 1 0 0 1 300 300 cm /Fx Do Q /Pattern cs /P1 scn 300 400 50 50 re f q 300 200 50 50 re W n /Sh1 sh Q",
        XObject={"Fx": form},
        Pattern={"P1": blue_tiles(5)},
        Shading={"Sh1": ramp},
    )
    messages = found(check(real_project, edited(built[EN_PRINT], change)), "rgb")
    assert "page 1: fill in DeviceRGB colour in form /Fx" in messages
    assert "page 1: fill in DeviceRGB colour in pattern /P1" in messages
    assert "page 1: shading in DeviceRGB colour" in messages


def test_ink_over_the_limit_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    data = edited(built[EN_PRINT], drawing(b"q 1 1 1 1 k 300 300 50 50 re f Q"))
    assert found(check(real_project, data), "ink-limit") == [
        "page 1: fill colour C100 M100 Y100 K100 has 400 % total ink; the limit is 300 %"
    ]


def test_a_400_percent_palette_colour_fails_the_build(sample_dir: Path) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("primary: [100, 70, 0, 30]", "primary: [100, 100, 100, 100]"))
    problems = build_errors(sample_dir)
    assert any("C100 M100 Y100 K100 has 400 % total ink; the limit is 300 %" in m for m in found(problems, "ink-limit"))
    # Small headings in that colour are rich black too.
    assert found(problems, "small-text")


def test_registration_colour_is_allowed_for_marks_only(built: dict[Job, Path], real_project: Project) -> None:
    data = edited(built[EN_PRINT], drawing(b"q /BPRegistration cs 1 scn 300 300 50 50 re f Q"))
    assert found(check(real_project, data), "registration") == ["page 1: fill in registration colour inside the trim"]


def test_small_black_text_must_be_100_k(sample_dir: Path) -> None:
    add_css(sample_dir, ".credit { color: device-cmyk(0.6 0.4 0.4 1); }")
    # Counted per text run: the credit's lines (8 pt), its bound names runs of their own.
    assert found(build_errors(sample_dir), "small-text") == [
        "page 1: 8.0 pt black text in C60 M40 Y40 K100: text under 12 pt must be 100 % K only (6 times)"
    ]


def test_text_size_counts_the_transformation(built: dict[Job, Path], real_project: Project) -> None:
    with pikepdf.open(built[EN_PRINT]) as pdf:
        font = next(iter(pdf.pages[0].Resources.Font.keys()))
    text = f"q 0.5 0 0 0.5 0 0 cm BT {font} 20 Tf 0.6 0.4 0.4 1 k 1 0 0 1 600 600 Tm <0041> Tj ET Q".encode()
    assert found(check(real_project, edited(built[EN_PRINT], drawing(text))), "small-text") == [
        "page 1: 10.0 pt black text in C60 M40 Y40 K100: text under 12 pt must be 100 % K only"
    ]
    # The same text at 24 pt printed size is not small.
    big = text.replace(b"0.5 0 0 0.5 0 0 cm", b"1.2 0 0 1.2 0 0 cm")
    assert not found(check(real_project, edited(built[EN_PRINT], drawing(big))), "small-text")


def test_transparency_blending_in_rgb_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    def rgb_group(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB)

    assert found(check(real_project, edited(built[EN_PRINT], rgb_group)), "group-colour") == [
        "page 1: page transparency group blends in DeviceRGB; transparency must blend in CMYK"
    ]


def test_hairlines_are_an_error(built: dict[Job, Path], real_project: Project) -> None:
    report = check(real_project, edited(built[EN_PRINT], drawing(b"q 0 0 0 1 K 0.05 w 300 300 m 400 300 l S Q")))
    assert found(report, "hairline") == ["page 1: 1 stroke(s) thinner than 0.25 pt (thinnest 0.05 pt) may not print"]
    assert report.errors == 1 and len(besides_draft(report)) == 1


# Page boxes


def test_missing_bleed_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    def no_bleed(pdf: pikepdf.Pdf) -> None:
        for page in pdf.pages:
            page.obj.BleedBox = page.obj.TrimBox

    messages = found(check(real_project, edited(built[EN_PRINT], no_bleed)), "bleed")
    assert messages[0].startswith("page 1: bleed too small (0.0 mm left, 0.0 mm bottom, 0.0 mm right, 0.0 mm top)")
    assert len(messages) == 2


def test_a_campaign_without_bleed_fails_the_build(sample_dir: Path) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("bleed_mm: 3", "bleed_mm: 1"))
    assert "page 1: bleed too small (1.0 mm left" in found(build_errors(sample_dir), "bleed")[0]


def test_wrong_trim_differing_pages_and_page_count_are_caught(built: dict[Job, Path], real_project: Project) -> None:
    def damage(pdf: pikepdf.Pdf) -> None:
        pdf.pages[1].obj.TrimBox = pikepdf.Array([0, 0, 595.28, 841.89])

    report = check(real_project, edited(built[EN_PRINT], damage))
    assert found(report, "trim") == [
        "page 2: TrimBox is 210 × 297 mm; the finished size of "
        "`DL roll-fold leaflet, A4 landscape folded twice to 100 × 210 mm; one language per sheet` is 297 × 210 mm"
    ]
    assert found(report, "boxes-differ") == ["page 2: page boxes differ from page 1; every page must have the same size"]

    def drop_page(pdf: pikepdf.Pdf) -> None:
        del pdf.pages[1]

    assert found(check(real_project, edited(built[EN_PRINT], drop_page)), "page-count")[0].startswith("1 pages; the layout")


# Fonts


def test_font_families_are_read_from_pdf_names() -> None:
    assert family_of("/ABCDEF+Noto-Naskh-Arabic-Bold") == "notonaskharabic"
    assert family_of("NotoSans-BoldItalic") == "notosans"
    assert family_of("ABCDEF+Noto-Sans-Thai") == "notosansthai"


def test_a_renamed_or_unembedded_font_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    def rename(pdf: pikepdf.Pdf) -> None:
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        font.BaseFont = pikepdf.Name("/ABCDEF+Noto-Sans-Thai")

    assert found(check(real_project, edited(built[EN_PRINT], rename)), "font-not-bundled") == [
        "page 1: font ABCDEF+Noto-Sans-Thai is not one of the bundled fonts (IBM Plex Sans, IBM Plex Sans Arabic, "
        "Noto Kufi Arabic, Noto Naskh Arabic, Noto Nastaliq Urdu, Noto Sans, Noto Sans Bengali, Noto Sans Devanagari, "
        "Noto Sans Ethiopic, Noto Sans Malayalam, Noto Sans Sinhala, Scheherazade New)"
    ]

    def unembed(pdf: pikepdf.Pdf) -> None:
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        del font.DescendantFonts[0].FontDescriptor.FontFile2
        font.BaseFont = pikepdf.Name("/" + str(font.BaseFont).split("+")[1])

    report = check(real_project, edited(built[EN_PRINT], unembed))
    assert [m.split(" is ")[1] for m in found(report, "font-not-embedded") + found(report, "font-not-subset")] == [
        "not embedded",
        "not subset (no ABCDEF+ prefix)",
    ]


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans is not installed")
def test_a_font_from_outside_the_bundle_is_caught(sample_dir: Path, real_project: Project) -> None:
    # A project whose fonts/ holds DejaVu: it builds, but DejaVu is not one of the campaign's bundled fonts.
    shutil.copy(DEJAVU, sample_dir / "fonts")
    add_css(sample_dir, "h2 { font-family: 'DejaVu Sans' !important; }")
    data, _ = make_pdf(load_project(sample_dir), Job("sample", "en", "print"))
    messages = found(check(real_project, data), "font-not-bundled")
    assert len(messages) == 1
    assert re.fullmatch(
        r"page 1: font [A-Z]{6}\+DejaVu-Sans is not one of the bundled fonts \([^()]*Noto Sans[^()]*\)", messages[0]
    )


# Images


def image(width: int, height: int, space: str = "/DeviceCMYK", fill: int = 0) -> Callable[[pikepdf.Pdf], pikepdf.Stream]:
    components = {"/DeviceCMYK": 4, "/DeviceRGB": 3, "/DeviceGray": 1}[space]

    def make(pdf: pikepdf.Pdf) -> pikepdf.Stream:
        return pikepdf.Stream(
            pdf,
            bytes([fill]) * (width * height * components),
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=width,
            Height=height,
            ColorSpace=pikepdf.Name(space),
            BitsPerComponent=8,
        )

    return make


def test_image_resolution_at_placed_size(built: dict[Job, Path], real_project: Project) -> None:
    one_inch = b"q 72 0 0 72 300 300 cm /Im Do Q"
    low = check(real_project, edited(built[EN_PRINT], drawing(one_inch, XObject={"Im": image(72, 72)})))
    assert found(low, "image-resolution") == [
        "page 1: image /Im (72 × 72 px) is 72 ppi at its placed size; at least 150 ppi is needed"
    ]
    assert low.errors == 1
    fair = check(real_project, edited(built[EN_PRINT], drawing(one_inch, XObject={"Im": image(200, 200)})))
    assert found(fair, "image-resolution") == [
        "page 1: image /Im (200 × 200 px) is 200 ppi at its placed size; 300 ppi prints sharp"
    ]
    assert fair.errors == 0 and len(besides_draft(fair)) == 1
    sharp = check(real_project, edited(built[EN_PRINT], drawing(one_inch, XObject={"Im": image(300, 300)})))
    assert besides_draft(sharp) == []


def test_rgb_and_overinked_images_are_caught(built: dict[Job, Path], real_project: Project) -> None:
    placed = b"q 72 0 0 72 300 300 cm /Im Do Q"
    rgb = check(real_project, edited(built[EN_PRINT], drawing(placed, XObject={"Im": image(300, 300, "/DeviceRGB")})))
    assert found(rgb, "image-colour") == ["page 1: image /Im (300 × 300 px) is DeviceRGB; print files need CMYK or grey images"]
    dark = check(real_project, edited(built[EN_PRINT], drawing(placed, XObject={"Im": image(300, 300, fill=255)})))
    assert found(dark, "ink-limit") == ["page 1: image /Im (300 × 300 px) has up to 400 % total ink; the limit is 300 %"]


# Safety: trim edges and folds


def test_text_in_the_bleed_is_caught(sample_dir: Path) -> None:
    add_css(sample_dir, ".panel-body { left: -2mm; }")
    problems = build_errors(sample_dir)
    assert found(problems, "text-in-bleed") == [
        "page 1: text “Know” runs 1.8 mm past the left trim edge into the bleed (and 1 more word)"
    ]


def test_text_near_trim_and_folds_is_caught(sample_dir: Path) -> None:
    add_css(sample_dir, ".panel-body { left: 2mm; }")
    problems = build_errors(sample_dir)
    near_trim = found(problems, "text-near-trim")
    assert near_trim and all(
        re.match(r"page 1: text “\w+” is 2\.\d mm from the left trim edge; keep 4 mm clear", m) for m in near_trim
    )
    folds = found(problems, "text-near-fold")
    assert any(re.match(r"page 1: text “\w+” is 2\.\d mm from the fold at 97 mm; keep 4 mm clear", m) for m in folds), folds


def test_arabic_editions_use_the_mirrored_folds(sample_dir: Path) -> None:
    add_css(sample_dir, ".panel-body { left: 2mm; } .panel-body p { text-align: left; }")
    folds = found(build_errors(sample_dir, "ar"), "text-near-fold")
    assert folds and all(re.search(r"from the fold at (100|200) mm", m) for m in folds), folds
    assert expectations(load_project(sample_dir), "ar").folds_mm == ((100.0, 200.0), (97.0, 197.0))


# PDF/X identification and the X-1a standard


def test_missing_output_intent_and_version_are_caught(built: dict[Job, Path], real_project: Project) -> None:
    def strip(pdf: pikepdf.Pdf) -> None:
        del pdf.Root.OutputIntents
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            del meta["pdfxid:GTS_PDFXVersion"]

    report = check(real_project, edited(built[EN_PRINT], strip))
    assert found(report, "output-intent") == ["0 PDF/X output intents; exactly one is needed"]
    assert found(report, "pdfx-version") == ["not identified as PDF/X-4: it has no pdfxid:GTS_PDFXVersion in its XMP metadata"]


def test_x1a_builds_and_passes_its_stricter_preflight(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(sample_dir), "build", "sample", "--variant", "print", "--standard", "x-1a"]) == 0
    path = sample_dir / "output" / "sample" / "sample.en.print.pdf"
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo.GTS_PDFXVersion).startswith("PDF/X-1a")
        assert pdf.pdf_version == "1.4"
    capsys.readouterr()
    assert main(["--project", str(sample_dir), "preflight", "--standard", "x-1a", str(path)]) == 0
    assert "passed (0 errors, 1 warning)" in capsys.readouterr().out  # the sample is a draft
    # The same file is not what a PDF/X-4 job asked for.
    assert main(["--project", str(sample_dir), "preflight", str(path)]) == 1
    assert "not identified as PDF/X-4: it says PDF/X-1a:2003" in capsys.readouterr().out


def test_x1a_forbids_transparency_and_newer_pdf(built: dict[Job, Path], real_project: Project) -> None:
    def translucent(pdf: pikepdf.Pdf) -> None:
        drawing(b"q /Half gs 0 0 0 1 k 300 300 50 50 re f Q", ExtGState={"Half": pikepdf.Dictionary(ca=0.5)})(pdf)

    report = check(real_project, edited(built[EN_PRINT], translucent), standard="x-1a")
    assert "page 1: fill opacity 0.5 (graphics state /Half): PDF/X-1a allows no transparency" in found(report, "transparency")
    assert "PDF 1.6; PDF/X-1a allows PDF 1.3 or 1.4 only" in found(report, "pdf-version")
    assert found(report, "pdfx-version") == ["not identified as PDF/X-1a: it says PDF/X-4"]


# The command


def test_preflight_command_reports_by_file_and_as_json(
    built: dict[Job, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = built[EN_PRINT]
    bad = tmp_path / "employer-duties.en.print.pdf"
    bad.write_bytes(edited(good, drawing(b"q 1 0 0 rg 700 300 50 50 re f Q")))  # clear of the QR code
    assert main(["--project", str(REPO), "preflight", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{good}: passed (0 errors, 1 warning)" in out  # a draft
    assert f"{bad}: FAILED (1 error, 1 warning)\n" in out
    assert "  error: page 1: fill in DeviceRGB colour (hint: print files must use CMYK colours)" in out
    assert main(["--project", str(REPO), "preflight", "--json", str(bad)]) == 1
    (report,) = json.loads(capsys.readouterr().out)
    assert report["passed"] is False and report["pages"] == 2 and report["inks"] == ["CMYK", "CMYK"]
    assert report["problems"][1:] == [
        {
            "severity": "error",
            "code": "preflight-rgb",
            "page": 1,
            "message": "page 1: fill in DeviceRGB colour",
            "hint": "print files must use CMYK colours",
        }
    ]


def test_preflight_of_bad_input_has_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(REPO), "preflight", str(tmp_path / "missing.pdf")]) == 2
    assert "missing.pdf: error: no such file" in capsys.readouterr().err
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    assert main(["--project", str(REPO), "preflight", str(junk)]) == 1
    captured = capsys.readouterr()
    assert "junk.pdf: FAILED (1 error, 0 warnings)" in captured.out and "not a readable PDF" in captured.out
    assert "Traceback" not in captured.out + captured.err


def test_damaged_content_is_a_finding_not_a_crash(built: dict[Job, Path], real_project: Project) -> None:
    report = check(real_project, edited(built[EN_PRINT], drawing(b"q 1 0 0 re f Q")))
    assert found(report, "unreadable") == [
        "page 1: malformed `re` instruction (not enough values to unpack (expected 4, got 3)); the rest was not checked"
    ]
    broken = edited(built[EN_PRINT], lambda pdf: setattr(pdf.pages[0].obj, "BleedBox", pikepdf.Array([1, 2, 3])))
    assert found(check(real_project, broken), "unreadable")[0].startswith("the file is damaged and could not be checked in full")


# Plates, black overprint, folds, colour condition and page count


def test_small_type_from_several_plates_or_reversed_is_caught(sample_dir: Path) -> None:
    add_css(sample_dir, ".cover .wordmark-tag { font-size: 8.5pt; } .credit { color: var(--primary); }")
    assert sorted(found(build_errors(sample_dir), "plate-rule")) == [
        "page 1: 8.0 pt text in C100 M70 Y0 K30, 3 plates: type under 9 pt must print from one plate (6 times)",
        "page 1: 8.5 pt text reversed (no ink): type under 9 pt must print from one plate",
    ]


def test_bold_small_type_may_be_smaller_and_the_limits_come_from_the_print_spec(sample_dir: Path) -> None:
    add_css(sample_dir, ".cover .wordmark-tag { font-size: 8pt; font-weight: bold; }")
    make_pdf(load_project(sample_dir), Job("sample", "en", "print"))
    add_css(sample_dir, ".cover .wordmark-tag { font-size: 7.5pt; }")
    assert found(build_errors(sample_dir), "plate-rule") == [
        "page 1: 7.5 pt bold text reversed (no ink): bold type under 8 pt must print from one plate"
    ]
    campaign = sample_dir / "brochures" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("min_bold_text_pt: 8}", "min_bold_text_pt: 7.5}"))
    make_pdf(load_project(sample_dir), Job("sample", "en", "print"))


def test_bilingual_running_heads_in_the_blue_are_caught(sample_dir: Path) -> None:
    add_css(sample_dir, ".running span { color: var(--primary); }", layout="bilingual")
    problems = found(build_errors(sample_dir, "bilingual"), "plate-rule")
    wanted = "page 1: 7.5 pt bold text in C100 M70 Y0 K30, 3 plates: bold type under 8 pt must print from one plate ("
    assert any(problem.startswith(wanted) for problem in problems), problems


def test_black_text_that_knocks_out_is_an_error(built: dict[Job, Path], real_project: Project) -> None:
    def knock_out(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].Resources.ExtGState.BPOverprint.op = False  # the pages share the graphics state

    report = check(real_project, edited(built[EN_PRINT], knock_out))
    messages = found(report, "black-overprint")
    assert len(messages) == 2 and all(
        re.fullmatch(rf"page {n}: 100 % K text knocks out instead of overprinting \(\d+ text runs\)", m)
        for n, m in enumerate(messages, start=1)
    )
    # The campaign's rule is that black overprints: breaking it fails the file, and nothing else is found.
    assert report.errors == 2 and len(besides_draft(report)) == 2


def test_a_colour_break_on_a_fold_is_caught(sample_dir: Path) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("fold_wrap_mm: 1.5", "fold_wrap_mm: 0"))
    messages = found(build_errors(sample_dir), "fold-colour")
    assert [m.split(": a fold")[0] for m in messages] == [
        "page 1: the colour changes within 1 mm of the fold at 97 mm (over 210 mm of its length)",
        "page 1: the colour changes within 1 mm of the fold at 197 mm (over 210 mm of its length)",
    ]
    # Arabic editions mirror the sheet: the cover is on the left, its fold at 100 mm.
    arabic = found(build_errors(sample_dir, "ar"), "fold-colour")
    assert [re.search(r"fold at (\d+) mm", m)[1] for m in arabic] == ["100", "200"]  # type: ignore[index]


def test_an_odd_page_count_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    job = Job("employer-duties", "bilingual", "print")

    def drop_page(pdf: pikepdf.Pdf) -> None:
        del pdf.pages[-1]

    with pikepdf.open(built[job]) as pdf:
        pages = len(pdf.pages)
    report = preflight(edited(built[job], drop_page), built[job], expectations(real_project, "bilingual"))
    assert found(report, "page-multiple") == [f"{pages - 1} pages; the job needs an even count for sheets printed on both sides"]

    def keep_a_pair_less(pdf: pikepdf.Pdf) -> None:  # an even count that is not a multiple of 4
        for _ in range(0 if pages % 4 else 2):
            del pdf.pages[-1]

    stitched = replace(expectations(real_project, "bilingual"), page_multiple=4)
    even = pages if pages % 4 else pages - 2
    assert found(preflight(edited(built[job], keep_a_pair_less), built[job], stitched), "page-multiple") == [
        f"{even} pages; the job needs a multiple of 4 for a saddle-stitched booklet"
    ]
