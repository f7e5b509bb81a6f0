"""Unicode for every glyph of a tagged PDF. WeasyPrint 70 maps a glyph to the text of the first cluster it is drawn
in; met first as the second glyph of a right-to-left cluster, it maps to nothing (`<0151> <>`), and a screen reader
skips the letter wherever the glyph stands (`أسئلة` is read `أسلة`). Such glyphs get the character the font
itself gives them, presentation forms normalised to their letters (U+FE8C → U+0626); glyphs the font's character
map does not name (Indic half forms and conjuncts, Nastaliq's contextual forms) get the text of the glyphs its
substitutions make them from. Readers take a proof's text from its /ActualText (render.actualtext); this gives
every glyph its Unicode as PDF/UA-1 asks."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont

from brochure_press.pdf.bundledfonts import bundled_program
from brochure_press.pdf.tounicode import EMPTY_ENTRY, page_fonts


def _substitutions(ttfont: TTFont) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every substitution the font's GSUB can make: (glyph made, the glyphs it is made from, in order); single,
    multiple and ligature substitutions (half forms, conjuncts, reph; Nastaliq's letters split into a body and its
    dots, then their contextual forms), extensions unwrapped. Each glyph a multiple substitution makes is made from
    the glyph it splits."""
    if "GSUB" not in ttfont or ttfont["GSUB"].table.LookupList is None:
        return
    for lookup in ttfont["GSUB"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            subtable = getattr(subtable, "ExtSubTable", subtable)
            if subtable.LookupType == 1:
                yield from ((made, (source,)) for source, made in subtable.mapping.items())
            elif subtable.LookupType == 2:
                for source, sequence in subtable.mapping.items():
                    yield from ((made, (source,)) for made in sequence)
            elif subtable.LookupType == 4:
                for first, ligatures in subtable.ligatures.items():
                    yield from ((ligature.LigGlyph, (first, *ligature.Component)) for ligature in ligatures)


def _glyph_texts(ttfont: TTFont) -> dict[int, str]:
    """Glyph id → text: the font's cmap, then what its substitutions make from glyphs with text, until nothing more.
    A glyph several glyphs make (a dotless body many letters share) gets the lowest of their texts, the basic letter
    before its extended variants."""
    texts: dict[str, str] = {}
    for code, name in sorted((ttfont.getBestCmap() or {}).items()):
        texts.setdefault(name, unicodedata.normalize("NFKC", chr(code)))
    pending = set(_substitutions(ttfont))
    while True:
        found: dict[str, str] = {}
        for made, sources in pending:
            if made not in texts and all(source in texts for source in sources):
                text = "".join(texts[source] for source in sources)
                found[made] = min(found.get(made, text), text)
        if not found:
            break
        texts |= found
        pending = {(made, sources) for made, sources in pending if made not in texts}
    return {ttfont.getGlyphID(name): text for name, text in texts.items()}


#: The bundled fonts are read once per process (pdf.bundledfonts), so their texts are worked out once too.
_bundled_texts = cache(_glyph_texts)


def _font_characters(font: pikepdf.Dictionary, fonts_dir: Path | None) -> dict[int, str]:
    """Glyph id → the text a TrueType font gives it (CIDs are glyph ids: Identity): the embedded program's own, and
    for glyphs it names no text for, the whole bundled font's (subsets keep glyph ids)."""
    descendants = font.get("/DescendantFonts")
    if not isinstance(descendants, pikepdf.Array) or not len(descendants):
        return {}
    descendant = descendants[0]
    program = descendant.get("/FontDescriptor", pikepdf.Dictionary()).get("/FontFile2")
    if not isinstance(program, pikepdf.Stream) or descendant.get("/CIDToGIDMap", pikepdf.Name.Identity) != "/Identity":
        return {}
    embedded = TTFont(io.BytesIO(program.read_bytes()), lazy=True)
    whole = bundled_program(fonts_dir, str(embedded["name"].getDebugName(6))) if fonts_dir else None
    return (_bundled_texts(whole) if whole else {}) | _glyph_texts(embedded)


def _entry(code: bytes, text: str) -> bytes:
    """A ToUnicode entry mapping the glyph `code` (hex digits) to `text`."""
    return b"<%s> <%s>" % (code, text.encode("utf-16-be", "surrogatepass").hex().encode())


Rewrite = Callable[[re.Match[bytes]], bytes]


def _rewrite_entries(pdf: pikepdf.Pdf, entries: re.Pattern[bytes], rewriter: Callable[[pikepdf.Dictionary], Rewrite]) -> None:
    """Replace the ToUnicode entries `entries` matches, in every font of every page, by what `rewriter(font)` gives
    each; fonts with no such entry are left as they are."""
    for font in page_fonts(pdf):
        to_unicode = font.get("/ToUnicode")
        if isinstance(to_unicode, pikepdf.Stream) and entries.search(data := to_unicode.read_bytes()):
            to_unicode.write(entries.sub(rewriter(font), data))


def fill_unmapped_glyphs(pdf: pikepdf.Pdf, fonts_dir: Path | None = None) -> None:
    """Give every glyph its font maps but the ToUnicode leaves empty that text, in every font of every page (with
    `fonts_dir`, also the glyphs the bundled fonts make by substitution)."""

    def filling(font: pikepdf.Dictionary) -> Rewrite:
        characters = _font_characters(font, fonts_dir)

        def mapped(entry: re.Match[bytes]) -> bytes:
            text = characters.get(int(entry[1], 16), "")
            return _entry(entry[1], text) if text else entry[0]

        return mapped

    _rewrite_entries(pdf, EMPTY_ENTRY, filling)


#: A ToUnicode entry that maps one glyph to several UTF-16 code units (`<042a> <06440627>`: lam-alef).
SEVERAL = re.compile(rb"<([0-9a-fA-F]{2,4})>\s*<((?:[0-9a-fA-F]{4}){2,})>")


def _drawn_order(entry: re.Match[bytes]) -> bytes:
    """A SEVERAL entry with its right-to-left text reversed; others as they are."""
    text = bytes.fromhex(entry[2].decode()).decode("utf-16-be", "surrogatepass")
    if not any(unicodedata.bidirectional(char) in ("R", "AL") for char in text):
        return entry[0]
    return _entry(entry[1], text[::-1])


def visual_order_mappings(pdf: pikepdf.Pdf) -> None:
    """Write the text of each glyph that stands for several characters of a right-to-left script (a ligature like
    lam-alef, a letter with its vowel mark, a Nastaliq form) in the order it is drawn, right to left. Readers that
    take text from the character maps (all of them for print files, pdf.js also for proofs, whose /ActualText it
    ignores) put a right-to-left line's characters back in reading order one by one, so `لا` came out `ال`:
    `الاتجار` read `االتجار` in all three engines."""
    _rewrite_entries(pdf, SEVERAL, lambda _font: _drawn_order)
