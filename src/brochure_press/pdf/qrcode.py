"""Reading the QR code printed on a finished PDF, as a phone would: render the page, decode, compare the address."""

from __future__ import annotations

import pikepdf
import pypdfium2 as pdfium
import zxingcpp

from brochure_press.core.diagnostics import PageProblem
from brochure_press.pdf.structure import named_destinations
from brochure_press.pdf.textpositions import PDFIUM_LOCK

#: Resolution the page is read at: a phone camera at arm's length sees about as much detail.
READ_DPI = 300
#: The named destination a layout sets on its QR code (layouts/base/qr.html.j2).
QR_MARKER = "qr"


def read_qr_codes(data: bytes, page: int, dpi: int = READ_DPI) -> list[str]:
    """The text of every QR code found on one page (numbered from 1), read from the page rendered at `dpi`."""
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            image = document[page - 1].render(scale=dpi / 72).to_pil()
        finally:
            document.close()
    return sorted(code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode)


def qr_problems(pdf: pikepdf.Pdf, data: bytes, url: str) -> list[PageProblem]:
    """An error unless the page the layout put its QR code on holds a code that reads as `url`, and only that."""
    hint = "the layout includes qr.html.j2 on the back panel (last page for flowing layouts); keep it whole and clear"
    marker = named_destinations(pdf).get(QR_MARKER)
    if marker is None:
        return [PageProblem(None, "error", "qr-missing", f"no QR code: the layout sets no `{QR_MARKER}` marker", hint)]
    page = marker[0]
    codes = read_qr_codes(data, page)
    if not codes:
        return [PageProblem(page, "error", "qr-unreadable", f"the QR code cannot be read at {READ_DPI} dpi", hint)]
    if codes != [url]:
        message = f"the QR code reads {', '.join(codes)}, not this brochure's web page {url}"
        return [PageProblem(page, "error", "qr-wrong", message, "set web.base_url in campaign.yaml and build again")]
    return []
