"""Fonts of a finished PDF: every one embedded, subset and one of the bundled families."""

from __future__ import annotations

import re

import pikepdf

from brochure_press.core.diagnostics import PageProblem
from brochure_press.pdf.painted import PageContent

#: Words that name a style, not a family, at the end of a PDF font name (`Noto-Naskh-Arabic-Bold`).
STYLE_WORDS = frozenset(
    {"regular", "bold", "italic", "oblique", "bolditalic", "boldoblique", "medium", "semibold", "demibold", "light"}
    | {"extralight", "thin", "black", "heavy", "extrabold", "ultrabold", "condensed", "semicondensed"}
)


def family_of(base_font: str) -> str:
    """The family a PDF font name stands for, normalised: `ABCDEF+Noto-Naskh-Arabic-Bold` → `notonaskharabic`."""
    face = base_font.lstrip("/").split("+", 1)[-1].split(",")[0]
    words = [w for w in re.split(r"[-_ ]", face) if w]
    while len(words) > 1 and words[-1].lower() in STYLE_WORDS:
        words.pop()
    return re.sub(r"[^a-z0-9]", "", "".join(words).lower())


def font_problems(contents: list[PageContent], families: frozenset[str]) -> tuple[list[PageProblem], tuple[str, ...]]:
    """Fonts used that are not embedded, subset and bundled (`families`: the bundled ones, none to skip that rule);
    and the names of every font used."""
    out: list[PageProblem] = []
    bundled = {family_of(f): f for f in families}
    seen: dict[str, int] = {}
    for number, content in enumerate(contents, start=1):
        for name in content.fonts:
            seen.setdefault(name, number)
    for name, number in seen.items():
        font = next(c.fonts[name] for c in contents if name in c.fonts)
        shown = name.lstrip("/")
        subtype = str(font.get("/Subtype", ""))
        if subtype == "/Type3":
            out.append(
                PageProblem(number, "error", "font-type3", f"font {shown} is a Type 3 font (drawn glyphs), not a bundled font")
            )
            continue
        descendant = font.DescendantFonts[0] if subtype == "/Type0" and "/DescendantFonts" in font else font
        descriptor = descendant.get("/FontDescriptor")
        embedded = isinstance(descriptor, pikepdf.Dictionary) and any(
            k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        if not embedded:
            out.append(
                PageProblem(number, "error", "font-not-embedded", f"font {shown} is not embedded", "use only the bundled fonts")
            )
        if not re.match(r"[A-Z]{6}\+", shown):
            out.append(PageProblem(number, "error", "font-not-subset", f"font {shown} is not subset (no ABCDEF+ prefix)"))
        if families and family_of(name) not in bundled:
            out.append(
                PageProblem(
                    number,
                    "error",
                    "font-not-bundled",
                    f"font {shown} is not one of the bundled fonts ({', '.join(sorted(families))})",
                    "the layout's CSS names a font that is not in fonts/",
                )
            )
    return out, tuple(sorted(n.lstrip("/").split("+", 1)[-1] for n in seen))
