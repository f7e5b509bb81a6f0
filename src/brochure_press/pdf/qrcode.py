"""Reading the QR codes printed on a finished PDF, as a phone would: render the page, decode, compare the addresses."""

from __future__ import annotations

import pikepdf
import pypdfium2 as pdfium
import zxingcpp

from brochure_press.compose.qr import QR_MARKER
from brochure_press.core.diagnostics import PageProblem
from brochure_press.pdf.structure import named_destinations
from brochure_press.pdf.textpositions import PDFIUM_LOCK

#: Resolution the page is read at: a phone camera at arm's length sees about as much detail.
READ_DPI = 300
__all__ = ["QR_MARKER", "READ_DPI", "qr_problems", "read_qr_codes"]


def read_qr_codes(data: bytes, page: int, dpi: int = READ_DPI) -> list[str]:
    """The text of every QR code found on one page (numbered from 1), read from the page rendered at `dpi`."""
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            image = document[page - 1].render(scale=dpi / 72).to_pil()
        finally:
            document.close()
    return sorted(code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode)


def qr_problems(pdf: pikepdf.Pdf, data: bytes, urls: dict[str, str]) -> list[PageProblem]:
    """An error unless each page the layout put QR codes on (`urls`: named destination → address, one per language)
    holds codes that read as those addresses, and only those."""
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
        codes = read_qr_codes(data, page)
        if len(codes) < len(expected):
            message = f"{len(codes)} of the {len(expected)} QR codes can be read at {READ_DPI} dpi"
            problems.append(PageProblem(page, "error", "qr-unreadable", message, hint))
        elif codes != sorted(expected):
            message = f"the QR codes read {', '.join(codes)}, not this brochure's web pages {', '.join(sorted(expected))}"
            problems.append(PageProblem(page, "error", "qr-wrong", message, "set web.base_url in campaign.yaml and build again"))
    return problems
