"""Preflight of colour at the folds: a background colour that changes on a fold shows a sliver of the wrong
colour on the folded edge whenever the fold is a little off, so colour breaks must lie beyond the fold tolerance.

Each fold's neighbourhood is rendered (PDFium) over the trim height without the page's text (text keeps its own
distance from folds; a watermark may cross them), and the colours just beyond the tolerance on either side are
compared, row by row: a row where both sides are flat colour, but different, is a break too close.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from PIL import Image

from brochure_press.core.diagnostics import PageProblem
from brochure_press.core.policy import FOLD_TOLERANCE_MM, MIN_FOLD_BREAK_MM
from brochure_press.pdf.coordinates import MM, Box
from brochure_press.pdf.textpositions import PDFIUM_LOCK

#: Sampling: pixels per millimetre, the width over which a side must be flat, and colour differences (0–255).
PX_PER_MM = 6.0
FLAT_MM = 0.5
FLAT, DIFFERENT = 6, 12
HINT = "let the background colour run past the fold (print.fold_wrap_mm in campaign.yaml) or move the change off the fold"

Pixel = tuple[int, ...]


def _differ(a: Pixel, b: Pixel, by: int) -> bool:
    return max(abs(x - y) for x, y in zip(a, b, strict=True)) > by


def _break_rows(image: Image.Image, left: int, right: int, flat: int) -> int:
    """Rows of `image` where the colours at columns `left` and `right` differ while each side is flat."""
    pixels = image.load()
    assert pixels is not None
    rows = 0
    for y in range(image.height):
        a, a2, b, b2 = (pixels[x, y] for x in (left, left - flat, right, right + flat))
        if not _differ(a, a2, FLAT) and not _differ(b, b2, FLAT) and _differ(a, b, DIFFERENT):  # type: ignore[arg-type]
            rows += 1
    return rows


def _remove_text(container: object, form: bool = False, depth: int = 0) -> None:
    """Take every text object off a page (or out of a form on it), forms within forms included."""
    raw = pdfium_raw
    count, get, remove = (
        (raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, raw.FPDFFormObj_RemoveObject)
        if form
        else (raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, raw.FPDFPage_RemoveObject)
    )
    for index in reversed(range(count(container))):
        obj = get(container, index)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT and remove(container, obj):
            raw.FPDFPageObj_Destroy(obj)
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 16:
            _remove_text(obj, form=True, depth=depth + 1)


def fold_colour_breaks(
    data: bytes, boxes: list[tuple[Box, Box]], folds_mm: tuple[tuple[float, ...], ...], tolerance_mm: float = FOLD_TOLERANCE_MM
) -> list[PageProblem]:
    """Errors for folds where the background colour changes within `tolerance_mm` of the fold.
    `boxes` holds each page's (trim, bleed); `folds_mm` each page's folds in millimetres from the trim's left edge."""
    if not any(folds_mm):
        return []
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return []  # the structural checks already report a file PDFium cannot open
        try:
            return _breaks(document, boxes, folds_mm, tolerance_mm)
        finally:
            document.close()


def _breaks(
    document: pdfium.PdfDocument, boxes: list[tuple[Box, Box]], folds_mm: tuple[tuple[float, ...], ...], tolerance_mm: float
) -> list[PageProblem]:
    found = []
    scale = PX_PER_MM / MM
    reach = (tolerance_mm + 2 * FLAT_MM) * MM
    for number, ((trim, _), folds) in enumerate(zip(boxes, folds_mm, strict=False), start=1):
        page = document[number - 1]
        _remove_text(page.raw)
        left_edge, bottom_edge, right_edge, top_edge = page.get_mediabox()
        for fold in folds:
            x = trim[0] + fold * MM
            crop = (x - reach - left_edge, trim[1] - bottom_edge, right_edge - (x + reach), top_edge - trim[3])
            image = page.render(scale=scale, crop=crop).to_pil().convert("RGB")
            middle, offset, flat = image.width / 2, tolerance_mm * PX_PER_MM, round(FLAT_MM * PX_PER_MM)
            rows = _break_rows(image, round(middle - offset), round(middle + offset), flat)
            if rows / PX_PER_MM >= MIN_FOLD_BREAK_MM:
                message = (
                    f"the colour changes within {tolerance_mm:g} mm of the fold at {fold:g} mm (over {rows / PX_PER_MM:.0f} mm "
                    "of its length): a fold that lands a little off shows a sliver of the other colour"
                )
                found.append(PageProblem(number, "error", "fold-colour", message, HINT))
        page.close()
    return found
