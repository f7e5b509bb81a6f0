"""Preflight of what a page paints: colour spaces, total ink, small black text, overprint, hairlines, images, transparency."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pikepdf

from brochure_press.core.diagnostics import PageProblem, Severity
from brochure_press.core.policy import BLACK_CMY, BLACK_K
from brochure_press.pdf.colours import cmyk_text
from brochure_press.pdf.coordinates import Box
from brochure_press.pdf.painted import PageContent

#: Ink amounts below this (0–1) count as no ink.
NO_INK = 0.001


def is_black(inks: tuple[float, float, float, float]) -> bool:
    """Black or near black: K at least 80 %, or C, M and Y all at least 50 % (a neutral built from three inks)."""
    c, m, y, k = inks
    return k >= BLACK_K or min(c, m, y) >= BLACK_CMY


def outside(box: Box | None, area: Box) -> bool:
    """Whether `box` lies entirely outside `area`, like marks and the slug line outside the bleed."""
    return box is not None and (box[2] <= area[0] or box[0] >= area[2] or box[3] <= area[1] or box[1] >= area[3])


def _times(n: int) -> str:
    return f" ({n} times)" if n > 1 else ""


def paint_problems(
    page: int,
    content: PageContent,
    trim: Box,
    bleed: Box,
    standard: str,
    ink_limit: float,
    min_line_pt: float,
    small_text_pt: float,
) -> tuple[list[PageProblem], set[int]]:
    """Problems with the colours of everything painted on one page (black text under `small_text_pt` in more than
    the black plate) and its strokes thinner than `min_line_pt` (hairlines), and the process plates (0–3 for C, M, Y,
    K) it prints on. Whatever lies entirely outside the
    bleed is trimmed away and not checked; the registration colour is allowed outside the trim (crop and fold marks)."""
    grouped: dict[tuple[Severity, str, str, str], int] = defaultdict(int)
    plates: set[int] = set()
    thinnest, hairlines = min_line_pt, 0
    for paint in content.paints:
        colour, space = paint.colour, paint.colour.space.effective
        if outside(paint.box, bleed) or (colour.registration and outside(paint.box, trim)):
            continue
        where = "" if paint.where == "page" else f" in {paint.where.removeprefix('page, ')}"
        what = {"text-stroke": "text outline", "image-mask": "image mask"}.get(paint.kind, paint.kind)
        if space.family in ("rgb", "lab"):
            grouped["error", "rgb", f"{what} in {space.name} colour{where}", "print files must use CMYK colours"] += 1
            continue
        if space.icc and standard == "x-1a":
            grouped["error", "icc-colour", f"{what} in {space.name}{where}; PDF/X-1a allows device colour only", ""] += 1
        if space.family in ("separation", "devicen") and colour.cmyk() is None:
            grouped["error", "spot-colour", f"{what} in spot colour {space.name}{where}", "the job prints CMYK only"] += 1
        if colour.registration:
            hint = "registration prints on every plate; use it for marks outside the trim only"
            grouped["error", "registration", f"{what} in registration colour inside the trim{where}", hint] += 1
            continue
        inks = colour.cmyk()
        if inks is None:
            continue
        plates.update(i for i, v in enumerate(inks) if v > NO_INK)
        total = sum(inks) * 100
        if total > ink_limit + 0.5:
            message = f"{what} colour {cmyk_text(inks)}{where} has {total:.0f} % total ink; the limit is {ink_limit:g} %"
            grouped["error", "ink-limit", message, "lower C, M or Y of that palette colour in campaign.yaml"] += 1
        if paint.overprint and paint.kind in ("fill", "text", "image-mask") and total < 0.5:
            grouped["error", "white-overprint", f"white {what} set to overprint{where}: it disappears on press", ""] += 1
        if paint.kind == "text" and paint.font_size < small_text_pt and is_black(inks):
            size = f"{paint.font_size:.1f} pt"
            if max(inks[:3]) > NO_INK:
                message = f"{size} black text in {cmyk_text(inks)}{where}: text under {small_text_pt:g} pt must be 100 % K only"
                hint = "use the palette's `ink` (0 0 0 100) for small text (the size: print.small_black_text_pt)"
                grouped["error", "small-text", message, hint] += 1
            elif inks[3] < 1 - NO_INK:
                message = f"{size} text in a {inks[3] * 100:.0f} % black tint{where} is screened; 100 % K prints sharper"
                grouped["warning", "small-text", message, ""] += 1
        if paint.kind == "stroke" and paint.line_width < min_line_pt:
            hairlines += 1
            thinnest = min(thinnest, paint.line_width)
    problems = [PageProblem(page, sev, code, message + _times(n), hint) for (sev, code, message, hint), n in grouped.items()]
    if hairlines:
        message = f"{hairlines} stroke(s) thinner than {min_line_pt:g} pt (thinnest {thinnest:.2f} pt) may not print"
        hint = f"use lines of at least {min_line_pt:g} pt (print.min_line_pt in campaign.yaml)"
        problems.append(PageProblem(page, "error", "hairline", message, hint))
    return problems, plates


def image_ink(image: Any) -> float | None:
    """The highest total ink of any pixel of a CMYK image, in per cent, when its pixels can be decoded."""
    try:
        from PIL import ImageMath

        picture = pikepdf.PdfImage(image).as_pil_image()
        if picture.mode != "CMYK":
            return None
        c, m, y, k = (band.convert("I") for band in picture.split())
        total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
        return float(total.getextrema()[1]) / 255 * 100
    except Exception:  # an image that cannot be decoded is left to the other checks
        return None


def image_problems(
    page: int, content: PageContent, bleed: Box, standard: str, ink_limit: float, ppi: tuple[int, int]
) -> tuple[list[PageProblem], set[int]]:
    """Problems with the colour space, resolution and ink of every image placed on one page, and the plates they use.
    `ppi` is (minimum, sharp): an image placed at less than the minimum resolution is an error, at less than sharp a
    warning."""
    ppi_minimum, ppi_sharp = ppi
    problems: list[PageProblem] = []
    plates: set[int] = set()
    for image in content.images:
        if outside(image.box, bleed):
            continue
        label = f"image {image.name} ({image.width} × {image.height} px)"
        space = image.space.effective if image.space else None
        if space and space.family in ("rgb", "lab"):
            message = f"{label} is {space.name}; print files need CMYK or grey images"
            problems.append(PageProblem(page, "error", "image-colour", message, "convert it to CMYK with the printer's profile"))
        elif space and space.icc and standard == "x-1a":
            problems.append(
                PageProblem(page, "error", "image-colour", f"{label} is {space.name}; PDF/X-1a allows device colour only")
            )
        plates.update({"cmyk": {0, 1, 2, 3}, "gray": {3}}.get(space.family, set()) if space else {3})
        if standard == "x-1a" and (image.bits > 8 or "JPXDecode" in image.filters):
            message = f"{label}: 16-bit and JPEG 2000 images are not allowed in PDF/X-1a"
            problems.append(PageProblem(page, "error", "pdf-version", message))
        if not image.mask and image.bits > 1:
            hint = "use an image with more pixels or place it smaller"
            if image.ppi < ppi_minimum:
                message = f"{label} is {image.ppi:.0f} ppi at its placed size; at least {ppi_minimum} ppi is needed"
                problems.append(PageProblem(page, "error", "image-resolution", message, hint))
            elif image.ppi < ppi_sharp:
                message = f"{label} is {image.ppi:.0f} ppi at its placed size; {ppi_sharp} ppi prints sharp"
                problems.append(PageProblem(page, "warning", "image-resolution", message, hint))
        if space and space.family == "cmyk" and not image.inline:
            ink = image_ink(image.obj)
            if ink is not None and ink > ink_limit + 0.5:
                message = f"{label} has up to {ink:.0f} % total ink; the limit is {ink_limit:g} %"
                problems.append(PageProblem(page, "error", "ink-limit", message, "convert the image with the printer's profile"))
    return problems, plates


def transparency_problems(page: int, content: PageContent, standard: str) -> list[PageProblem]:
    """Transparency on one page: none at all in PDF/X-1a; in PDF/X-4 it must not blend in RGB or Lab."""
    problems = []
    for item in content.transparency:
        where = item.where.removeprefix("page, ").removeprefix("page")
        where = f" ({where})" if where else ""
        if standard == "x-1a":
            problems.append(PageProblem(page, "error", "transparency", f"{item.what}{where}: PDF/X-1a allows no transparency"))
        elif item.space and item.space.effective.family in ("rgb", "lab"):
            message = f"{item.what}{where} blends in {item.space.name}; transparency must blend in CMYK"
            problems.append(PageProblem(page, "error", "group-colour", message))
    return problems
