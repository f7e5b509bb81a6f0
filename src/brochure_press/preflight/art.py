"""Art found painted in a finished PDF where its layout placed it, by the paint records preflight reads."""

from __future__ import annotations

import io

import pikepdf

from brochure_press.compose.art import PlacedArt
from brochure_press.core.policy import ART_MIN_SPAN, ART_TOLERANCE_PT
from brochure_press.pdf.content import page_content
from brochure_press.pdf.coordinates import Box
from brochure_press.preflight.expectations import floats
from brochure_press.preflight.geometry import drawn


def _on_page(art: PlacedArt, trim: Box) -> Box:
    """The art's box in the page's user space (the layout measures down from the trim's top-left corner)."""
    assert art.box is not None
    left, top, right, bottom = art.box
    return trim[0] + left, trim[3] - bottom, trim[0] + right, trim[3] - top


def _painted(boxes: list[Box], target: Box) -> bool:
    """Whether ink painted within `target` spans enough of it to be the art laid out there."""
    inside = [
        b
        for b in boxes
        if b[0] >= target[0] - ART_TOLERANCE_PT
        and b[1] >= target[1] - ART_TOLERANCE_PT
        and b[2] <= target[2] + ART_TOLERANCE_PT
        and b[3] <= target[3] + ART_TOLERANCE_PT
        and (b[2] - b[0]) * (b[3] - b[1]) > 0
    ]
    if not inside:
        return False
    width = max(b[2] for b in inside) - min(b[0] for b in inside)
    height = max(b[3] for b in inside) - min(b[1] for b in inside)
    return width >= ART_MIN_SPAN * (target[2] - target[0]) or height >= ART_MIN_SPAN * (target[3] - target[1])


def unpainted_art(data: bytes, placed: list[PlacedArt]) -> list[PlacedArt]:
    """The placed art that the PDF does not paint in its box: fills, strokes, shadings and images with ink (as
    `preflight.geometry.drawn` sees them) must span at least half its width or height. Art laid out nowhere is unpainted."""
    missing = [art for art in placed if art.box is None]
    pages = sorted({art.page for art in placed if art.box is not None})
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for number in pages:
            page = pdf.pages[number - 1]
            trim = floats(page.obj.get("/TrimBox", page.obj.MediaBox))
            boxes = [item.box for item in drawn(page_content(page))]
            missing += [
                art for art in placed if art.page == number and art.box is not None and not _painted(boxes, _on_page(art, trim))
            ]
    return missing
