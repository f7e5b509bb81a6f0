"""Preflight of embedded font programs: every glyph shown is in the program, drawn as the bundled font draws it,
and each subset tag names one program."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont

from brochure_press.core.diagnostics import PageProblem
from brochure_press.pdf.bundledfonts import Outlines, bundled_outlines, embedded_program, glyph_ids, plain_name
from brochure_press.pdf.painted import PageContent, ShownFont

SUBSET_TAG = re.compile(r"^([A-Z]{6})\+")
#: Glyph ids listed in a message at most.
SAMPLE = 5
HINT = "make the file again from its sources; only the fonts in fonts/ may be embedded"


def _check_font(shown: ShownFont, page: int, fonts_dir: Path) -> list[PageProblem]:
    font = shown.font
    name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
    program_stream = embedded_program(font)
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
    if plain_name(psname) != plain_name(name.split("+", 1)[-1]):
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
        program = embedded_program(obj)
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
