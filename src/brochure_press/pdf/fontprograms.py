"""Preflight of embedded font programs: every glyph shown is in the program, drawn as the bundled font draws it,
and each subset tag names one program."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pikepdf
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from brochure_press.compose.fonts import font_files
from brochure_press.core.diagnostics import PageProblem
from brochure_press.pdf.painted import PageContent, ShownFont

PROGRAM_KEYS = ("/FontFile2", "/FontFile3", "/FontFile")
SUBSET_TAG = re.compile(r"^([A-Z]{6})\+")
#: Glyph ids listed in a message at most.
SAMPLE = 5
HINT = "make the file again from its sources; only the fonts in fonts/ may be embedded"


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


def _plain(name: str) -> str:
    """A font name reduced for comparison: `Noto-Sans` and `NotoSans-Regular` are both `notosans`."""
    return re.sub(r"[^a-z0-9]", "", name.lower()).removesuffix("regular")


def _descendant(font: pikepdf.Dictionary) -> pikepdf.Dictionary:
    if str(font.get("/Subtype", "")) == "/Type0" and "/DescendantFonts" in font:
        descendant = font.DescendantFonts[0]
        if isinstance(descendant, pikepdf.Dictionary):
            return descendant
    return font


def _program(font: pikepdf.Dictionary) -> pikepdf.Stream | None:
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


def _check_font(shown: ShownFont, page: int, fonts_dir: Path) -> list[PageProblem]:
    font = shown.font
    name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
    program_stream = _program(font)
    if program_stream is None or str(font.get("/Subtype", "")) == "/Type3":
        return []  # not embedded, or Type 3: reported by the font check
    try:
        program = TTFont(io.BytesIO(program_stream.read_bytes()))
        gids = glyph_ids(font, shown.strings, program)
    except Exception as exc:  # a program fontTools cannot read is no bundled font
        return [PageProblem(page, "error", "font-program", f"the program of font {name} cannot be read ({exc})", HINT)]
    if isinstance(gids, str):
        return [PageProblem(page, "warning", "font-program", f"glyphs of font {name} not checked: {gids}")]
    count = len(program.getGlyphOrder())
    missing = sorted(g for g in gids if g == 0 or g >= count)
    problems = []
    if missing:
        shown_ids = ", ".join(str(g) for g in missing[:SAMPLE])
        message = f"font {name} shows glyphs its program does not have (glyph id {shown_ids}; 0 is the .notdef box)"
        problems.append(PageProblem(page, "error", "font-glyph-missing", message, HINT))
    psname = str(program["name"].getDebugName(6)) if "name" in program else name.split("+", 1)[-1]
    if _plain(psname) != _plain(name.split("+", 1)[-1]):
        message = f"the program embedded as font {name} is {psname}, not the font its name says"
        return [*problems, PageProblem(page, "error", "font-program", message, HINT)]
    original = bundled_outlines(fonts_dir, psname)
    if original is None:
        message = f"the program embedded as font {name} is {psname}, which is not one of the bundled fonts"
        return [*problems, PageProblem(page, "error", "font-program", message, HINT)]
    embedded = Outlines(program)
    differ = sorted(g for g in gids if 0 < g < min(count, len(original)) and embedded[g] != original[g])
    if differ:
        shown_ids = ", ".join(str(g) for g in differ[:SAMPLE]) + ("…" if len(differ) > SAMPLE else "")
        message = (
            f"the program embedded as font {name} is not the bundled {psname}: {len(differ)} of its {len(gids)} glyphs "
            f"are drawn differently (glyph id {shown_ids})"
        )
        problems.append(PageProblem(page, "error", "font-program", message, HINT))
    return problems


def subset_tag_problems(pdf: pikepdf.Pdf) -> list[PageProblem]:
    """Subset tags (`ABCDEF+`) that name more than one font program in the file."""
    programs: dict[str, set[tuple[int, int]]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or str(obj.get("/Type", "")) != "/Font":
            continue
        base = str(obj.get("/BaseFont", "")).lstrip("/")
        tag = SUBSET_TAG.match(base)
        program = _program(obj)
        if tag and program is not None:
            programs[tag[1]].add(program.objgen)
            names[tag[1]].add(base)
    return [
        PageProblem(
            None,
            "error",
            "subset-tag",
            f"the subset tag {tag} names {len(found)} different font programs ({', '.join(sorted(names[tag]))})",
            "each subset needs its own tag, or a RIP may use the wrong glyphs",
        )
        for tag, found in sorted(programs.items())
        if len(found) > 1
    ]


def font_program_problems(contents: list[PageContent], fonts_dir: Path | None) -> list[PageProblem]:
    """Each font used: its glyphs are in its program, and the program draws them as the bundled font does."""
    if fonts_dir is None or not fonts_dir.is_dir():
        return []
    first: dict[tuple[int, int], tuple[int, ShownFont]] = {}
    for number, content in enumerate(contents, start=1):
        for key, shown in content.shown.items():
            if key in first:
                first[key][1].strings.update(shown.strings)
            else:
                first[key] = (number, ShownFont(shown.font, set(shown.strings)))
    return [problem for page, shown in first.values() for problem in _check_font(shown, page, fonts_dir)]
