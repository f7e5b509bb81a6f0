"""Font programs read from files: the bundled fonts' programs and outlines by PostScript name, and the glyph ids
a PDF font's strings show in its embedded program."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pikepdf
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from brochure_press.compose.fonts import font_files

PROGRAM_KEYS = ("/FontFile2", "/FontFile3", "/FontFile")


@cache
def _bundled(path: Path, mtime: float) -> TTFont:
    return TTFont(io.BytesIO(path.read_bytes()))


@cache
def _bundled_outlines(path: Path, mtime: float) -> Outlines:
    return Outlines(_bundled(path, mtime))


@cache
def _postscript_names(fonts_dir: Path, stamp: tuple[float, ...]) -> dict[str, Path]:
    names = {}
    for path in font_files(fonts_dir):
        names[str(_bundled(path, path.stat().st_mtime)["name"].getDebugName(6))] = path
    return names


def _bundled_path(fonts_dir: Path, postscript_name: str) -> Path | None:
    stamp = tuple(p.stat().st_mtime for p in font_files(fonts_dir))
    return _postscript_names(fonts_dir, stamp).get(postscript_name)


def bundled_outlines(fonts_dir: Path, postscript_name: str) -> Outlines | None:
    """The outlines of the bundled font with this PostScript name, None if there is none; each font is read when
    first asked for, once per process while its file stays the same."""
    path = _bundled_path(fonts_dir, postscript_name)
    return _bundled_outlines(path, path.stat().st_mtime) if path else None


def bundled_program(fonts_dir: Path, postscript_name: str) -> TTFont | None:
    """The bundled font with this PostScript name, whole (subsets keep its glyph ids); None if there is none."""
    path = _bundled_path(fonts_dir, postscript_name)
    return _bundled(path, path.stat().st_mtime) if path else None


class Outlines:
    """Glyph outlines of a font by glyph id, components resolved, comparable between fonts; each drawn once."""

    def __init__(self, font: TTFont) -> None:
        self.order = font.getGlyphOrder()
        self.glyphs = font.getGlyphSet()
        self.drawn: dict[int, Any] = {}

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, gid: int) -> Any:
        if gid not in self.drawn:
            pen = DecomposingRecordingPen(self.glyphs)
            self.glyphs[self.order[gid]].draw(pen)
            self.drawn[gid] = pen.value
        return self.drawn[gid]


def plain_name(name: str) -> str:
    """A font name reduced for comparison: `Noto-Sans` and `NotoSans-Regular` are both `notosans`."""
    return re.sub(r"[^a-z0-9]", "", name.lower()).removesuffix("regular")


def _descendant(font: pikepdf.Dictionary) -> pikepdf.Dictionary:
    if str(font.get("/Subtype", "")) == "/Type0" and "/DescendantFonts" in font:
        descendant = font.DescendantFonts[0]
        if isinstance(descendant, pikepdf.Dictionary):
            return descendant
    return font


def embedded_program(font: pikepdf.Dictionary) -> pikepdf.Stream | None:
    descriptor = _descendant(font).get("/FontDescriptor")
    if not isinstance(descriptor, pikepdf.Dictionary):
        return None
    programs = [descriptor.get(k) for k in PROGRAM_KEYS]
    return next((p for p in programs if isinstance(p, pikepdf.Stream)), None)


def glyph_ids(font: pikepdf.Dictionary, strings: Iterable[bytes], program: TTFont) -> set[int] | str:
    """The glyph ids of the program that the strings show, or why they cannot be known."""
    if str(font.get("/Subtype", "")) == "/Type0":
        if str(font.get("/Encoding", "")) not in ("/Identity-H", "/Identity-V"):
            return "its encoding is not Identity-H"
        cids = {int.from_bytes(s[i : i + 2], "big") for s in strings for i in range(0, len(s) - 1, 2)}
        mapping = _descendant(font).get("/CIDToGIDMap")
        if isinstance(mapping, pikepdf.Stream):
            table = mapping.read_bytes()
            return {int.from_bytes(table[2 * c : 2 * c + 2], "big") for c in cids if 2 * c + 2 <= len(table)}
        return cids
    codes = {b for s in strings for b in s}
    tables = program["cmap"].tables if "cmap" in program else []
    cmap = next((t for t in tables if (t.platformID, t.platEncID) in ((3, 0), (1, 0))), None)
    if cmap is None:
        return "it has no symbol or Macintosh cmap to find its glyphs"
    names = [cmap.cmap.get(code) or cmap.cmap.get(0xF000 + code) for code in codes]
    return {program.getGlyphID(name) if name else 0 for name in names}
