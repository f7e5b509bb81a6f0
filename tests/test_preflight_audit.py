"""The last faults a printer's preflight would stop, each made from a real print master and caught with its own
message: hidden layers, JPEG 2000 colour, a profile filed under another condition, colour overprint that changes
the picture, hairlines, knocked-out black, rotated pages, tiling patterns; and the QR code as printed."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

from brochure_press.core.campaignmodel import PrintSpec
from brochure_press.core.jobs import Job
from brochure_press.core.policy import MAX_DELTA_E, QR_READ_DPI
from brochure_press.core.project import Project
from brochure_press.pdf.content import page_content
from brochure_press.pdf.coordinates import Box
from brochure_press.pdf.jpx import jpx_space
from brochure_press.preflight.expectations import expectations, floats
from brochure_press.preflight.outputprofile import largest_difference
from brochure_press.preflight.paint import paint_problems
from brochure_press.preflight.printcheck import Report, preflight

from .conftest import MM, REPO
from .test_preflight import EN_PRINT, besides_draft, blue_tiles, check, drawing, edited, found
from .test_prepress import OVERPRINT

FOGRA39 = REPO / "layouts" / "icc" / "FOGRA39.icc"
SWOP = REPO / "layouts" / "icc" / "default_cmyk.icc"


def check_brochure(project: Project, data: bytes) -> Report:
    """Preflight of an English print file of employer-duties, its QR code's address included."""
    path = Path("employer-duties.en.print.pdf")
    return preflight(data, path, expectations(project, "en", None, "employer-duties"))


def shown_text(path: Path) -> tuple[str, str]:
    """A font of page 1 (its resource name) and the longest string the page shows with it, as a hex string."""
    with pikepdf.open(path) as pdf:
        name, font = next(iter(pdf.pages[0].Resources.Font.items()))
        strings = page_content(pdf.pages[0]).shown[font.objgen].strings
        return str(name), f"<{max(strings, key=len).hex()}>"


def qr_box(path: Path) -> Box:
    """Where the QR code on page 1 is, in PDF points, read from the page rendered as a phone would."""
    with pikepdf.open(path) as pdf:
        left, _, _, top = (float(v) for v in pdf.pages[0].mediabox)
    image = pdfium.PdfDocument(path)[0].render(scale=QR_READ_DPI / 72).to_pil()
    (code,) = zxingcpp.read_barcodes(image)
    corners = (code.position.top_left, code.position.bottom_right)
    (x0, y0), (x1, y1) = ((left + p.x * 72 / QR_READ_DPI, top - p.y * 72 / QR_READ_DPI) for p in corners)
    return x0, y1, x1, y0


# 1. Optional content


def test_art_in_a_layer_that_is_off_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    font, string = shown_text(built[EN_PRINT])

    def hidden_layer(pdf: pikepdf.Pdf) -> None:
        layer = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("Old hotline")))
        pdf.Root.OCProperties = pikepdf.Dictionary(OCGs=[layer], D=pikepdf.Dictionary(OFF=[layer], Order=[layer]))
        text = f"/OC /MC9 BDC q /OP1 gs BT {font} 12 Tf 0 0 0 1 k 1 0 0 1 600 300 Tm {string} Tj ET Q EMC"
        drawing(text.encode(), Properties={"MC9": layer}, ExtGState=OVERPRINT)(pdf)

    report = check(real_project, edited(built[EN_PRINT], hidden_layer))
    assert found(report, "hidden-content") == [
        "page 1: art in the layer “Old hotline” is hidden (optional content, off by default)"
    ]


# 2. JPEG 2000 colour from the codestream


def jpeg2000(mode: str, codestream: bool = False) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (300, 300), 128).save(out, "JPEG2000", no_jp2=codestream, irreversible=False)
    return out.getvalue()


def test_an_rgb_jpeg_2000_image_without_colour_space_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    def placed(pdf: pikepdf.Pdf) -> None:
        picture = pikepdf.Stream(
            pdf, jpeg2000("RGB"), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=300, Height=300
        )
        picture.Filter = pikepdf.Name.JPXDecode  # no /ColorSpace: the codestream says what it is
        drawing(b"q 72 0 0 72 450 150 cm /Jp Do Q", page=1, XObject={"Jp": picture})(pdf)

    report = check(real_project, edited(built[EN_PRINT], placed))
    assert found(report, "image-colour") == [
        "page 2: image /Jp (300 × 300 px) is JPEG 2000 sRGB; print files need CMYK or grey images"
    ]
    # A bare codestream has no colr box: its component count decides.
    assert [jpx_space(jpeg2000(mode, codestream=True)).family for mode in ("RGB", "L")] == ["rgb", "gray"]
    assert jpx_space(jpeg2000("L")).name == "JPEG 2000 greyscale"


# 3. The output intent's profile is the condition it names


def test_a_swop_profile_filed_as_fogra39_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    def swop_inside(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OutputIntents[0].DestOutputProfile.write(SWOP.read_bytes())

    report = check(real_project, edited(built[EN_PRINT], swop_inside))
    (message,) = found(report, "output-profile")
    worst = re.fullmatch(
        r"the output profile is not FOGRA39: it prints (C\d+ M\d+ Y\d+ K\d+) ΔE (\d+\.\d) away from the bundled "
        rf"FOGRA39.icc \(more than {MAX_DELTA_E:g}\)",
        message,
    )
    assert worst and float(worst[2]) > MAX_DELTA_E
    assert found(report, "output-condition") == []  # the identifier itself is the campaign's
    # Each bundled profile is its own condition's reference; the two conditions differ on the solids.
    assert largest_difference(FOGRA39.read_bytes(), FOGRA39)[0] == 0 == largest_difference(SWOP.read_bytes(), SWOP)[0]
    assert largest_difference(SWOP.read_bytes(), FOGRA39)[0] == pytest.approx(float(worst[2]), abs=0.05)


# 4. Overprint of a colour, judged on the rendered separations


def test_yellow_text_overprinting_the_blue_cover_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    font, string = shown_text(built[EN_PRINT])

    def yellow_text(state: str) -> bytes:
        # On the cover panel (C100 M70 Y0 K30), below its title.
        text = f"q {state} BT {font} 14 Tf 0 0 1 0 k 1 0 0 1 600 200 Tm {string} Tj ET Q"
        return edited(built[EN_PRINT], drawing(text.encode(), ExtGState=OVERPRINT))

    (message,) = found(check(real_project, yellow_text("/OP1 gs")), "overprint")
    assert re.fullmatch(
        r"page 1: C0 M0 Y100 K0 set to overprint changes what prints on \d+ mm² "
        r"\(the separations with overprint simulated differ from knockout\)",
        message,
    )
    # Knocked out, the same text prints as seen.
    assert found(check(real_project, yellow_text("")), "overprint") == []


# 5. Hairlines (see also test_preflight.test_hairlines_are_an_error)


def test_the_hairline_limit_comes_from_the_print_spec(built: dict[Job, Path], real_project: Project) -> None:
    spec = expectations(real_project, "en")
    assert spec.min_line_pt == real_project.campaign.model.print.min_line_pt == 0.25
    with pikepdf.open(io.BytesIO(edited(built[EN_PRINT], drawing(b"q 0 0 0 1 K 0.05 w 300 300 m 400 300 l S Q")))) as pdf:
        content, trim, bleed = page_content(pdf.pages[0]), floats(pdf.pages[0].obj.TrimBox), floats(pdf.pages[0].obj.BleedBox)

    def hairlines(limit: float) -> list[str]:
        problems, _ = paint_problems(1, content, trim, bleed, "x-4", 300, limit, spec.small_black_text_pt)
        return [p.message for p in problems if p.code == "hairline" and p.severity == "error"]

    assert hairlines(0.25) == ["1 stroke(s) thinner than 0.25 pt (thinnest 0.05 pt) may not print"]
    assert hairlines(0.04) == []


def test_the_small_black_text_size_comes_from_the_print_spec(built: dict[Job, Path], real_project: Project) -> None:
    spec = expectations(real_project, "en")
    assert spec.small_black_text_pt == real_project.campaign.model.print.small_black_text_pt
    size = spec.small_black_text_pt - 1  # rich black text a point under the size
    text = f"BT /F9 {size:g} Tf 0.6 0.4 0.4 1 k 1 0 0 1 300 300 Tm (x) Tj ET".encode()
    with pikepdf.open(io.BytesIO(edited(built[EN_PRINT], drawing(text)))) as pdf:
        content, trim, bleed = page_content(pdf.pages[0]), floats(pdf.pages[0].obj.TrimBox), floats(pdf.pages[0].obj.BleedBox)

    def small_text(under_pt: float) -> list[str]:
        problems, _ = paint_problems(1, content, trim, bleed, "x-4", 300, spec.min_line_pt, under_pt)
        return [p.message for p in problems if p.code == "small-text" and p.severity == "error"]

    assert small_text(spec.small_black_text_pt) == [
        f"{size:.1f} pt black text in C60 M40 Y40 K100: text under {spec.small_black_text_pt:g} pt must be 100 % K only"
    ]
    assert small_text(size) == []


def test_white_overprint_and_spot_colours_are_caught(built: dict[Job, Path]) -> None:
    art = b"q /OP1 gs 0 0 0 0 k 300 300 20 20 re f Q q /CS0 cs 1 scn 300 400 20 20 re f Q"
    spot = pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name("/PANTONE 286 C"), pikepdf.Name.DeviceCMYK, pikepdf.Dictionary()])
    change = drawing(art, ExtGState=OVERPRINT, ColorSpace={"CS0": spot})
    with pikepdf.open(io.BytesIO(edited(built[EN_PRINT], change))) as pdf:
        content, trim, bleed = page_content(pdf.pages[0]), floats(pdf.pages[0].obj.TrimBox), floats(pdf.pages[0].obj.BleedBox)
    problems, _ = paint_problems(1, content, trim, bleed, "x-4", 300, 0.25, PrintSpec().small_black_text_pt)
    assert sorted((p.code, p.message) for p in problems) == [
        ("spot-colour", "fill in spot colour Separation PANTONE 286 C"),
        ("white-overprint", "white fill set to overprint: it disappears on press"),
    ]


# 7. Rotated pages: test_prepress.test_rotated_pages_are_caught


# 8. Tiling patterns


def test_a_tiling_pattern_is_measured_where_it_fills(built: dict[Job, Path], real_project: Project) -> None:
    # Pattern space is the page's: the cell lies at the page origin, on the trim corner, where nothing is painted.
    area = f"q /Pattern cs /P1 scn {115 * MM} {80 * MM} {40 * MM} {40 * MM} re f Q".encode()
    report = check(real_project, edited(built[EN_PRINT], drawing(area, page=1, Pattern={"P1": blue_tiles(10)})))
    assert [d.message for d in besides_draft(report)] == ["page 2: fill in DeviceRGB colour in pattern /P1"]


# The QR code as printed


def test_a_tint_in_the_qr_quiet_zone_is_caught(built: dict[Job, Path], real_project: Project) -> None:
    x0, y0, _, y1 = qr_box(built[EN_PRINT])
    # A 20 % cyan bar 1 mm wide, 1 mm left of the code: inside its 4-module margin, the code still reads.
    bar = f"q 0.2 0 0 0 k {x0 - 2 * MM} {y0} {MM} {y1 - y0} re f Q".encode()
    report = check_brochure(real_project, edited(built[EN_PRINT], drawing(bar)))
    (message,) = found(report, "qr-quiet-zone")
    assert re.fullmatch(
        r"page 1: the QR code's quiet zone \(4 modules, \d\.\d mm\) is not paper white: ink on \d+\.\d % of it", message
    )
    assert found(report, "qr-unreadable") == []


def test_a_qr_code_painted_half_over_is_reported_unreadable(built: dict[Job, Path], real_project: Project) -> None:
    x0, y0, x1, y1 = qr_box(built[EN_PRINT])
    # Paper white over the code's left half: two of its three finder patterns and half its modules are gone.
    cover = f"q 0 0 0 0 k {x0} {y0} {(x1 - x0) / 2} {y1 - y0} re f Q".encode()
    data = edited(built[EN_PRINT], drawing(cover))
    assert not zxingcpp.read_barcodes(pdfium.PdfDocument(data)[0].render(scale=QR_READ_DPI / 72).to_pil())
    (message,) = found(check_brochure(real_project, data), "qr-unreadable")
    assert message == f"page 1: 0 of the 1 QR codes can be read at {QR_READ_DPI} dpi"


def test_qr_modules_too_small_for_phones_are_caught(built: dict[Job, Path], real_project: Project) -> None:
    def shrink(pdf: pikepdf.Pdf) -> None:  # the whole page printed at 70 %: the code at 15 mm
        page = pdf.pages[0]
        page.contents_add(pikepdf.Stream(pdf, b"q 0.7 0 0 0.7 0 0 cm\n"), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, b"Q\n"))

    (message,) = found(check_brochure(real_project, edited(built[EN_PRINT], shrink)), "qr-module")
    measured = re.fullmatch(
        r"page 1: the QR code's modules are (0\.\d\d) mm \((\d+) × \2 modules, (\d+\.\d) mm wide\); phones need at least 0\.4 mm",
        message,
    )
    assert measured and float(measured[1]) < 0.4
    assert abs(float(measured[3]) - float(measured[1]) * int(measured[2])) < 0.2
