"""Reading the QR codes printed on a finished PDF, as a phone would: render the page, decode, compare the addresses;
then measure each as printed: module size and a paper-white quiet zone."""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf
import pypdfium2 as pdfium
import zxingcpp
from PIL import Image

from brochure_press.compose.qr import QR_MARKER
from brochure_press.core.diagnostics import PageProblem
from brochure_press.core.policy import QR_MIN_MODULE_MM, QR_QUIET_ZONE, QR_READ_DPI
from brochure_press.pdf.textpositions import PDFIUM_LOCK
from brochure_press.preflight.structure import named_destinations

#: Resolution the whole page is searched at, in grey: a module of QR_MIN_MODULE_MM is still over 2 pixels. Each code
#: found is then read again and measured at QR_READ_DPI, in colour, on its own part of the page; a page where fewer
#: codes are found than expected is searched again whole at QR_READ_DPI.
FIND_DPI = 150
#: Margin (modules) rendered around a code found, beyond its quiet zone, so that the zone is measured whole.
MARGIN_MODULES = 2
#: A pixel of the rendered page is paper white when no channel is darker than this (0–255).
PAPER_WHITE = 250
MM_PER_INCH = 25.4
__all__ = ["QR_MARKER", "QR_READ_DPI", "qr_problems", "read_qr_codes"]


@dataclass(frozen=True)
class Scan:
    """A code read on a page: the picture it was measured on (at QR_READ_DPI) and the code as read there."""

    image: Image.Image
    code: zxingcpp.Barcode


def _qr_codes(image: Image.Image) -> list[zxingcpp.Barcode]:
    return [code for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]


def _corners(code: zxingcpp.Barcode) -> tuple[list[int], list[int]]:
    corners = code.position
    points = (corners.top_left, corners.top_right, corners.bottom_left, corners.bottom_right)
    return [p.x for p in points], [p.y for p in points]


def _modules(code: zxingcpp.Barcode) -> int:
    extra: dict[str, object] = code.extra if isinstance(code.extra, dict) else {}
    return 17 + 4 * int(str(extra.get("Version", 1)))


def _closer(page: pdfium.PdfPage, code: zxingcpp.Barcode) -> Scan | None:
    """A code found on the page at FIND_DPI, rendered again at QR_READ_DPI with its quiet zone and a margin, in colour."""
    xs, ys = _corners(code)
    scale = FIND_DPI / 72
    reach = (QR_QUIET_ZONE + MARGIN_MODULES) * (max(xs) - min(xs) + 1) / _modules(code)
    width, height = page.get_size()
    left, top = max(0.0, (min(xs) - reach) / scale), max(0.0, (min(ys) - reach) / scale)
    right, bottom = min(width, (max(xs) + 1 + reach) / scale), min(height, (max(ys) + 1 + reach) / scale)
    image = page.render(scale=QR_READ_DPI / 72, crop=(left, height - bottom, width - right, top)).to_pil().convert("RGB")
    found = [again for again in _qr_codes(image) if again.text == code.text]
    return Scan(image, found[0]) if found else None


def _scan(data: bytes, page: int) -> list[Scan]:
    """The QR codes read on one page (numbered from 1): found at FIND_DPI, each measured at QR_READ_DPI."""
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            shown = document[page - 1]
            found = [
                scan
                for code in _qr_codes(shown.render(scale=FIND_DPI / 72, grayscale=True).to_pil())
                if (scan := _closer(shown, code))
            ]
        finally:
            document.close()
    return found


def _scan_whole(data: bytes, page: int) -> list[Scan]:
    """The QR codes read on one page (numbered from 1) rendered whole at QR_READ_DPI, in colour."""
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            image = document[page - 1].render(scale=QR_READ_DPI / 72).to_pil().convert("RGB")
        finally:
            document.close()
    return [Scan(image, code) for code in _qr_codes(image)]


def read_qr_codes(data: bytes, page: int) -> list[str]:
    """The text of every QR code found on one page (numbered from 1), read as preflight reads it."""
    return sorted(scan.code.text for scan in _scan(data, page))


def print_problems(image: Image.Image, code: zxingcpp.Barcode, page: int, dpi: int = QR_READ_DPI) -> list[PageProblem]:
    """The code as printed: modules at least QR_MIN_MODULE_MM, and a quiet zone of QR_QUIET_ZONE modules that is paper
    white (no ink at all: a tint there is read as part of the code), measured on the rendered page."""
    xs, ys = _corners(code)
    modules = _modules(code)
    module_px = (max(xs) - min(xs) + 1) / modules
    module_mm = module_px / dpi * MM_PER_INCH
    problems = []
    if module_mm < QR_MIN_MODULE_MM - 0.005:
        message = (
            f"the QR code's modules are {module_mm:.2f} mm ({modules} × {modules} modules, {module_mm * modules:.1f} mm wide); "
            f"phones need at least {QR_MIN_MODULE_MM:g} mm"
        )
        hint = "print the code larger, or shorten web.base_url so that it needs fewer modules"
        problems.append(PageProblem(page, "error", "qr-module", message, hint))
    x0, y0, x1, y1 = min(xs), min(ys), max(xs) + 1, max(ys) + 1
    reach = int(QR_QUIET_ZONE * module_px) - 1  # a pixel of rounding at the zone's outer edge
    zone = image.crop((x0 - reach, y0 - reach, x1 + reach, y1 + reach)).convert("L")
    zone = zone.point(lambda v: 255 if v < PAPER_WHITE else 0)
    zone.paste(0, (reach - 1, reach - 1, reach + x1 - x0 + 1, reach + y1 - y0 + 1))  # the code, and its edge pixels
    inked = zone.histogram()[255]
    if inked:
        share = inked / (zone.width * zone.height - (x1 - x0 + 2) * (y1 - y0 + 2)) * 100
        message = (
            f"the QR code's quiet zone ({QR_QUIET_ZONE} modules, {QR_QUIET_ZONE * module_mm:.1f} mm) is not paper white: "
            f"ink on {max(share, 0.1):.1f} % of it"
        )
        hint = "keep every object and tint clear of the code's margin; set it on unprinted paper"
        problems.append(PageProblem(page, "error", "qr-quiet-zone", message, hint))
    return problems


def qr_problems(pdf: pikepdf.Pdf, data: bytes, urls: dict[str, str]) -> list[PageProblem]:
    """An error unless each page the layout put QR codes on (`urls`: named destination → address, one per language)
    holds codes that read as those addresses, and only those, each with modules large enough and a paper-white quiet
    zone."""
    hint = "the layout includes qr.html.j2 on the back panel (after the help lines in flowing layouts); keep it whole and clear"
    destinations = named_destinations(pdf)
    problems = [
        PageProblem(None, "error", "qr-missing", f"no QR code: the layout sets no `{marker}` marker", hint)
        for marker in urls
        if marker not in destinations
    ]
    pages: dict[int, list[str]] = {}
    for marker, url in urls.items():
        if marker in destinations:
            pages.setdefault(destinations[marker][0], []).append(url)
    for page, expected in sorted(pages.items()):
        found = _scan(data, page)
        if len(found) < len(expected):  # searched again whole, at the resolution a code is read at
            found = _scan_whole(data, page)
        codes = sorted(scan.code.text for scan in found)
        if len(codes) < len(expected):
            message = f"{len(codes)} of the {len(expected)} QR codes can be read at {QR_READ_DPI} dpi"
            problems.append(PageProblem(page, "error", "qr-unreadable", message, hint))
        elif codes != sorted(expected):
            message = f"the QR codes read {', '.join(codes)}, not this brochure's web pages {', '.join(sorted(expected))}"
            problems.append(PageProblem(page, "error", "qr-wrong", message, "set web.base_url in campaign.yaml and build again"))
        else:
            problems.extend(p for scan in found for p in print_problems(scan.image, scan.code, page))
    return problems
