"""Preflight of where painted objects lie, as clipped: art that touches the trim runs into the bleed, other objects
keep clear of trim edges and folds."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from brochure_press.core.diagnostics import PageProblem, Severity
from brochure_press.core.policy import BLEED_TOUCH_MM, ROUNDING_MM
from brochure_press.pdf.colours import cmyk_text
from brochure_press.pdf.coordinates import MM, Box, intersect
from brochure_press.pdf.painted import PageContent
from brochure_press.preflight.paint import NO_INK, outside


@dataclass(frozen=True)
class Drawn:
    """Something painted with ink, and the part of the page it can show on (its box within its clip)."""

    what: str
    box: Box


def _what(kind: str, inks: tuple[float, float, float, float] | None, where: str) -> str:
    colour = f" in {cmyk_text(inks)}" if inks else ""
    inside = "" if where == "page" else f" ({where.removeprefix('page, ')})"
    return f"{kind}{colour}{inside}"


def drawn(content: PageContent) -> Iterator[Drawn]:
    """Fills, strokes, shadings and images of a page that put ink on paper, each with its visible box.
    Text is left to the glyph-box check; registration (marks) and white (no ink) are not art."""
    seen: set[tuple[str, Box]] = set()
    for paint in content.paints:
        if paint.kind not in ("fill", "stroke", "shading") or paint.colour.registration:
            continue
        inks = paint.colour.cmyk()
        if inks is not None and sum(inks) < NO_INK:
            continue
        box = paint.box
        if box is not None and paint.kind == "stroke":
            half = paint.line_width / 2
            box = (box[0] - half, box[1] - half, box[2] + half, box[3] + half)
        visible = intersect(box, paint.clip)
        item = Drawn(_what(paint.kind, inks, paint.where), visible) if visible else None
        if item and (item.what, item.box) not in seen:
            seen.add((item.what, item.box))
            yield item
    for image in content.images:
        visible = intersect(image.box, image.clip)
        if visible:
            yield Drawn(_what(f"image {image.name}", None, image.where), visible)


def _beyond(box: Box, trim: Box) -> dict[str, float]:
    """How far (mm) `box` reaches past each trim edge: positive into the bleed, negative short of the edge."""
    return {
        "left": (trim[0] - box[0]) / MM,
        "bottom": (trim[1] - box[1]) / MM,
        "right": (box[2] - trim[2]) / MM,
        "top": (box[3] - trim[3]) / MM,
    }


def _fold_gap(box: Box, x: float) -> float:
    return 0.0 if box[0] <= x <= box[2] else min(abs(box[0] - x), abs(box[2] - x)) / MM


def placement_problems(
    page: int, content: PageContent, trim: Box, bleed: Box, folds_mm: tuple[float, ...], bleed_mm: float, safety_mm: float
) -> list[PageProblem]:
    """Art that touches a trim edge but stops short of the bleed edge (clipped at the trim, or too little bleed);
    objects that do not bleed but come within `safety_mm` of a trim edge or a fold, or cross a fold.
    Whatever lies entirely outside the bleed (marks, slug) is trimmed away and not checked."""
    found: dict[tuple[Severity, str, str, str], float] = {}

    def note(severity: Severity, code: str, where: str, what: str, amount: float, worse: bool) -> None:
        key = (severity, code, where, what)
        found[key] = amount if key not in found else (max if worse else min)(found[key], amount)

    for item in drawn(content):
        box = item.box
        if box[2] - box[0] <= 0 or box[3] - box[1] <= 0 or outside(box, bleed):
            continue
        beyond = _beyond(box, trim)
        bleeds = any(b >= bleed_mm - ROUNDING_MM for b in beyond.values())
        touches = {side: b for side, b in beyond.items() if b >= -BLEED_TOUCH_MM}
        for side, b in touches.items():
            if b < bleed_mm - ROUNDING_MM:
                note("error", "art-bleed", side, item.what, b, False)
        for side, b in beyond.items():
            if side not in touches and -b < safety_mm - ROUNDING_MM:
                severity: Severity = "warning" if bleeds else "error"
                note(severity, "object-near-trim", side, item.what, -b, False)
        if not touches:
            for fold in folds_mm:
                gap = _fold_gap(box, trim[0] + fold * MM)
                if gap < safety_mm - ROUNDING_MM:
                    note("error", "object-near-fold", f"{fold:g}", item.what, gap, False)
    problems = []
    for (severity, code, where, what), amount in found.items():
        if code == "art-bleed":
            reach = f"{amount:.1f} mm past" if amount >= 0 else f"{-amount:.1f} mm short of"
            message = f"{what} stops {reach} the {where} trim edge; art touching the trim must run {bleed_mm:g} mm into the bleed"
            hint = "extend the background into the bleed, and do not clip it at the trim"
        elif code == "object-near-trim":
            message = f"{what} is {amount:.1f} mm from the {where} trim edge; keep {safety_mm:g} mm clear or bleed it"
            hint = "move it in from the edge, or let it run into the bleed"
        else:
            place = "crosses" if amount == 0 else f"is {amount:.1f} mm from"
            message = f"{what} {place} the fold at {where} mm; keep {safety_mm:g} mm clear of folds"
            hint = "keep objects within their panel, clear of the folds"
        problems.append(PageProblem(page, severity, code, message, hint))
    return problems
