"""The text of each marked-content sequence of a tagged PDF, for checks on what a screen reader hears: its
/ActualText where it has one (the tagged sequence's, in logical order: render.actualtext), else its glyphs read
with PDFium; its characters, not their order (PDFium may reorder right-to-left glyphs)."""

from __future__ import annotations

import ctypes
import io
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from brochure_press.pdf.markedcontent import content_streams, mcid
from brochure_press.pdf.textpositions import PDFIUM_LOCK

#: Forms inside forms are followed this deep.
MAX_DEPTH = 12


def _object_text(obj: Any, textpage: Any) -> str:
    size = pdfium_raw.FPDFTextObj_GetText(obj, textpage, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_raw.FPDFTextObj_GetText(obj, textpage, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
    return buffer.raw.decode("utf-16-le", errors="replace").rstrip("\0")


def actual_texts(data: bytes) -> dict[tuple[int, int], str]:
    """(page index, marked-content id) → the /ActualText a marked-content sequence gives its content."""
    found: dict[tuple[int, int], str] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for index, page in enumerate(pdf.pages):
            for _, instructions in content_streams(page):
                for instruction in instructions:
                    number = mcid(instruction)
                    if number is not None and "/ActualText" in instruction.operands[1]:
                        found[(index, number)] = str(instruction.operands[1].ActualText)
    return found


def marked_text(data: bytes) -> dict[tuple[int, int], str]:
    """(page index, marked-content id) → the text drawn in that sequence; artifacts and untagged text left out."""
    found: dict[tuple[int, int], str] = {}
    raw = pdfium_raw
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            for index in range(len(document)):
                page = document[index]
                textpage = page.get_textpage()

                def visit(obj: Any, depth: int, index: int = index, textpage: Any = textpage) -> None:
                    kind = raw.FPDFPageObj_GetType(obj)
                    if kind == raw.FPDF_PAGEOBJ_TEXT:
                        mcid = raw.FPDFPageObj_GetMarkedContentID(obj)
                        if mcid >= 0:
                            key = (index, mcid)
                            found[key] = found.get(key, "") + _object_text(obj, textpage.raw)
                    elif kind == raw.FPDF_PAGEOBJ_FORM and depth < MAX_DEPTH:
                        for i in range(raw.FPDFFormObj_CountObjects(obj)):
                            visit(raw.FPDFFormObj_GetObject(obj, i), depth + 1)

                for i in range(raw.FPDFPage_CountObjects(page.raw)):
                    visit(raw.FPDFPage_GetObject(page.raw, i), 0)
                textpage.close()
                page.close()
        finally:
            document.close()
    return found | actual_texts(data)
