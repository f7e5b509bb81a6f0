"""The ToUnicode maps of a PDF's fonts, which say what text each glyph stands for: what screen readers read,
and what copying and searching find."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pikepdf

#: A glyph mapped to no text in a ToUnicode CMap (`<0151> <>`).
EMPTY_ENTRY = re.compile(rb"<([0-9a-fA-F]{2,4})>\s*<>")
MAX_DEPTH = 12


def page_fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every font the pages and their forms use, each once."""
    seen: set[tuple[int, int]] = set()
    pending = [(page.obj.get("/Resources"), 0) for page in pdf.pages]
    while pending:
        resources, depth = pending.pop()
        if not isinstance(resources, pikepdf.Dictionary) or depth > MAX_DEPTH:
            continue
        for font in resources.get("/Font", {}).values():
            if isinstance(font, pikepdf.Dictionary) and (not font.is_indirect or font.objgen not in seen):
                seen.add(font.objgen)
                yield font
        for xobject in resources.get("/XObject", {}).values():
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                pending.append((xobject.get("/Resources"), depth + 1))


def unmapped_glyphs(font: pikepdf.Dictionary) -> int:
    """How many glyphs a font's ToUnicode maps to no text; -1 when it has no ToUnicode at all."""
    to_unicode = font.get("/ToUnicode")
    if not isinstance(to_unicode, pikepdf.Stream):
        return -1
    return len(EMPTY_ENTRY.findall(to_unicode.read_bytes()))


def unmapped_codes(font: pikepdf.Dictionary) -> set[int]:
    """The character codes a font's ToUnicode maps to no text."""
    to_unicode = font.get("/ToUnicode")
    if not isinstance(to_unicode, pikepdf.Stream):
        return set()
    return {int(entry[1], 16) for entry in EMPTY_ENTRY.finditer(to_unicode.read_bytes())}
