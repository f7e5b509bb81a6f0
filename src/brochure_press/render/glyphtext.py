"""Unicode for every glyph of a tagged PDF. WeasyPrint 70 maps a glyph to the text of the first cluster it is drawn
in; met first as the second glyph of a right-to-left cluster, it maps to nothing (`<0151> <>`), and a screen reader
skips the letter wherever the glyph stands (`أسئلة` is read `أسلة`). Such glyphs get the character the font
itself gives them, presentation forms normalised to their letters (U+FE8C → U+0626)."""

from __future__ import annotations

import io
import re
import unicodedata

import pikepdf
from fontTools.ttLib import TTFont

from brochure_press.pdf.tounicode import EMPTY_ENTRY, page_fonts


def _font_characters(font: pikepdf.Dictionary) -> dict[int, str]:
    """Glyph id → the character the embedded TrueType program's cmap gives it (CIDs are glyph ids: Identity)."""
    descendants = font.get("/DescendantFonts")
    if not isinstance(descendants, pikepdf.Array) or not len(descendants):
        return {}
    descendant = descendants[0]
    program = descendant.get("/FontDescriptor", pikepdf.Dictionary()).get("/FontFile2")
    if not isinstance(program, pikepdf.Stream) or descendant.get("/CIDToGIDMap", pikepdf.Name.Identity) != "/Identity":
        return {}
    ttfont = TTFont(io.BytesIO(program.read_bytes()), lazy=True)
    characters: dict[int, str] = {}
    for code, name in sorted((ttfont.getBestCmap() or {}).items()):
        characters.setdefault(ttfont.getGlyphID(name), unicodedata.normalize("NFKC", chr(code)))
    return characters


def fill_unmapped_glyphs(pdf: pikepdf.Pdf) -> None:
    """Give every glyph its font maps but the ToUnicode leaves empty that character, in every font of every page."""
    for font in page_fonts(pdf):
        to_unicode = font.get("/ToUnicode")
        if not isinstance(to_unicode, pikepdf.Stream) or not EMPTY_ENTRY.search(data := to_unicode.read_bytes()):
            continue
        characters = _font_characters(font)

        def mapped(entry: re.Match[bytes], characters: dict[int, str] = characters) -> bytes:
            text = characters.get(int(entry[1], 16), "")
            return b"<%s> <%s>" % (entry[1], text.encode("utf-16-be").hex().encode()) if text else entry[0]

        to_unicode.write(EMPTY_ENTRY.sub(mapped, data))
