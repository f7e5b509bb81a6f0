"""Preflight of the plates text prints from: small type reversed out or built from several plates, which
misregistration blurs, and 100 % K text that knocks out of what lies beneath instead of overprinting."""

from __future__ import annotations

import re
from collections import defaultdict

import pikepdf

from brochure_press.core.diagnostics import PageProblem
from brochure_press.pdf.colours import CMYK, Colour, cmyk_text
from brochure_press.pdf.coordinates import Box
from brochure_press.pdf.painted import PageContent
from brochure_press.preflight.paint import NO_INK, outside

#: Words in a font name, and weights in a font descriptor, that make it bold.
BOLD_WORDS = frozenset({"bold", "semibold", "demibold", "extrabold", "ultrabold", "black", "heavy"})
BOLD_WEIGHT = 600
PLATE_HINT = "set small type in a single ink (the palette's `ink`, 100 % K), or make it larger"


def is_full_black(colour: Colour) -> bool:
    """Whether a colour is 100 % K and nothing else, in device CMYK (where overprint mode 1 applies)."""
    inks = colour.cmyk()
    return colour.space == CMYK and inks is not None and max(inks[:3]) < 1e-4 and inks[3] > 1 - 1e-4


def is_bold(name: str, font: pikepdf.Object | None) -> bool:
    """Whether a font is bold, by the words of its name (`ABCDEF+Noto-Sans-Bold`) or its descriptor's weight."""
    face = name.lstrip("/").split("+", 1)[-1]
    if any(word.lower() in BOLD_WORDS or word.lower().endswith("bold") for word in re.split(r"[-_ ,]", face)):
        return True
    descendants = font.get("/DescendantFonts") if isinstance(font, pikepdf.Dictionary) else None
    inner = descendants[0] if isinstance(descendants, pikepdf.Array) and len(descendants) else font
    descriptor = inner.get("/FontDescriptor") if isinstance(inner, pikepdf.Dictionary) else None
    weight = descriptor.get("/FontWeight") if isinstance(descriptor, pikepdf.Dictionary) else None
    return weight is not None and float(weight) >= BOLD_WEIGHT


def plate_rule_problems(page: int, content: PageContent, bleed: Box, min_pt: float, min_bold_pt: float) -> list[PageProblem]:
    """Text smaller than `min_pt` (bold: `min_bold_pt`) that is reversed (prints no ink: the paper shows
    through what is around it) or needs two or more plates to register; text outside the bleed is trimmed away."""
    grouped: dict[tuple[str, str], int] = defaultdict(int)
    for paint in content.paints:
        inks = paint.colour.cmyk()
        if paint.kind != "text" or inks is None or outside(paint.box, bleed) or paint.colour.registration:
            continue
        plates = sum(v > NO_INK for v in inks)
        if plates == 1:
            continue
        bold = is_bold(paint.font, content.fonts.get(paint.font))
        limit = min_bold_pt if bold else min_pt
        if paint.font_size >= limit - 0.05:
            continue
        weight = "bold " if bold else ""
        what = "reversed (no ink)" if plates == 0 else f"in {cmyk_text(inks)}, {plates} plates"
        message = f"{paint.font_size:.1f} pt {weight}text {what}: {weight}type under {limit:g} pt must print from one plate"
        grouped[message, PLATE_HINT] += 1
    return [
        PageProblem(page, "error", "plate-rule", message + (f" ({n} times)" if n > 1 else ""), hint)
        for (message, hint), n in grouped.items()
    ]


def black_overprint_problems(page: int, content: PageContent, bleed: Box) -> list[PageProblem]:
    """100 % K text that knocks out: on a coloured ground any misregistration shows a white rim around it, and the
    campaign's rule is that black overprints, so breaking it is an error."""
    knocked = sum(
        paint.kind == "text" and is_full_black(paint.colour) and not paint.overprint and not outside(paint.box, bleed)
        for paint in content.paints
    )
    if not knocked:
        return []
    message = f"100 % K text knocks out instead of overprinting ({knocked} text runs)"
    return [PageProblem(page, "error", "black-overprint", message, "set 100 % K text to overprint (/OP, /op true, /OPM 1)")]
