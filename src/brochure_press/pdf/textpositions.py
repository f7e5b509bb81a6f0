"""Text positions on finished pages: PDFium glyph boxes word by word, and which text is translucent."""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from brochure_press.pdf.coordinates import Box

#: PDFium must not be called from two threads at once, even on different documents.
PDFIUM_LOCK = threading.Lock()


def _address(handle: Any) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def char_object(textpage: pdfium.PdfTextPage, index: int) -> int:
    """The text object that draws character `index` of a page, as `translucent_text` names objects."""
    return _address(pdfium_raw.FPDFText_GetTextObject(textpage.raw, index))


def translucent_text(page: pdfium.PdfPage) -> set[int]:
    """Text objects drawn with transparency (opacity, blend mode or soft mask, their own or a form's around them):
    watermarks like the DRAFT mark of drafts printed without marks, not copy."""
    found: set[int] = set()
    raw = pdfium_raw

    def visit(obj: Any, inherited: bool, depth: int) -> None:
        transparent = inherited or bool(raw.FPDFPageObj_HasTransparency(obj))
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT and transparent:
            found.add(_address(obj))
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 16:
            for i in range(raw.FPDFFormObj_CountObjects(obj)):
                visit(raw.FPDFFormObj_GetObject(obj, i), transparent, depth + 1)

    for index in range(raw.FPDFPage_CountObjects(page.raw)):
        visit(raw.FPDFPage_GetObject(page.raw, index), False, 0)
    return found


def words(textpage: pdfium.PdfTextPage, skip: set[int] | None = None) -> Iterator[list[tuple[str, Box]]]:
    """The words of a page in content order, each a list of its characters with their tight glyph boxes.
    Spaces and characters PDFium made up (line breaks) separate words; text objects in `skip` are left out."""
    word: list[tuple[str, Box]] = []
    for index in range(textpage.count_chars()):
        if skip and char_object(textpage, index) in skip:
            continue
        code = pdfium_raw.FPDFText_GetUnicode(textpage.raw, index)
        char = chr(code) if 0 < code < 0x110000 else ""
        if pdfium_raw.FPDFText_IsGenerated(textpage.raw, index) == 1 or not char or char.isspace():
            if word:
                yield word
            word = []
            continue
        left, bottom, right, top = textpage.get_charbox(index, loose=False)
        if right > left or top > bottom:
            word.append((char, (left, bottom, right, top)))
    if word:
        yield word
