"""Overprint of colours other than black and white, judged by what it does on press: the page's separations rendered
with overprint simulated are compared with the same page knocked out. Yellow text overprinting a blue ground
vanishes into it; where the plates differ, the overprint changes the picture and is an error."""

from __future__ import annotations

import io

import pikepdf
from PIL import Image, ImageChops

from brochure_press.core.diagnostics import PageProblem
from brochure_press.core.policy import INK_MIN_AREA_MM2
from brochure_press.pdf.colours import cmyk_text
from brochure_press.pdf.coordinates import Box
from brochure_press.pdf.painted import PageContent
from brochure_press.preflight.inkcoverage import pixel_mm2, render_separations
from brochure_press.preflight.limits import Limits
from brochure_press.preflight.paint import NO_INK, outside

#: A plate differs where its ink differs by more than this (0–255): about 2 %.
PLATE_DIFFERENCE = 5
#: Where the black plate prints this much (0–255), 100 % K overprints: that is the campaign's rule, not a change.
SOLID_BLACK = 250
HINT = "set only 100 % K to overprint; let other colours knock out"


def overprinting_colours(content: PageContent, bleed: Box) -> list[str]:
    """The colours a page sets to overprint that are neither 100 % K nor white (no ink), as printers write them."""
    found: list[str] = []
    for paint in content.paints:
        if not paint.overprint or outside(paint.box, bleed) or paint.colour.registration:
            continue
        inks = paint.colour.cmyk()
        if inks is not None and (inks[3] > 1 - NO_INK or sum(inks) < 0.005):
            continue
        name = cmyk_text(inks) if inks is not None else paint.colour.space.name
        if name not in found:
            found.append(name)
    return found


def knocked_out(data: bytes) -> bytes:
    """The file with overprint turned off in every graphics state."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            resources = obj.get("/Resources")
            holders = [obj, resources] if isinstance(resources, pikepdf.Dictionary) else [obj]
            for holder in holders:
                states = holder.get("/ExtGState")
                for state in states.values() if isinstance(states, pikepdf.Dictionary) else ():
                    if isinstance(state, pikepdf.Dictionary):
                        for key in ("/OP", "/op"):
                            if key in state:
                                state[key] = False
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def changed_mm2(overprinted: Image.Image, knockout: Image.Image) -> float:
    """The area (mm²) where any plate differs between the two renderings, leaving out solid black."""
    differs = ImageChops.difference(overprinted, knockout).split()
    changed = differs[0]
    for plate in differs[1:]:
        changed = ImageChops.lighter(changed, plate)
    changed = changed.point(lambda v: 255 if v > PLATE_DIFFERENCE else 0)
    not_black = overprinted.split()[3].point(lambda v: 255 if v < SOLID_BLACK else 0)
    return ImageChops.multiply(changed, not_black).histogram()[255] * pixel_mm2()


def overprint_problems(
    data: bytes, contents: list[PageContent], bleeds: list[Box], rendered: list[Image.Image] | str, limits: Limits
) -> list[PageProblem]:
    """An error for every page where overprint of a colour other than 100 % K or white changes the rendered plates
    (`rendered`, from `render_separations`); the knocked-out file is rendered only when some page has such overprint."""
    suspects = {n: overprinting_colours(c, b) for n, (c, b) in enumerate(zip(contents, bleeds, strict=True), start=1)}
    suspects = {n: colours for n, colours in suspects.items() if colours}
    if not suspects or isinstance(rendered, str):
        return []
    knockout = render_separations(knocked_out(data), len(rendered), limits)
    if isinstance(knockout, str):
        return []
    problems = []
    for page, colours in suspects.items():
        area = changed_mm2(rendered[page - 1], knockout[page - 1])
        if area >= INK_MIN_AREA_MM2:
            message = (
                f"{', '.join(colours)} set to overprint changes what prints on {area:.0f} mm² "
                "(the separations with overprint simulated differ from knockout)"
            )
            problems.append(PageProblem(page, "error", "overprint", message, HINT))
    return problems
