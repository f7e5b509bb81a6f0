"""Preflight of text positions on finished pages (PDFium glyph boxes): clear of the trim edges and the folds."""

from __future__ import annotations

from dataclasses import dataclass, field

import pypdfium2 as pdfium

from brochure_press.core.diagnostics import PageProblem
from brochure_press.pdf.coordinates import MM, Box
from brochure_press.pdf.textpositions import PDFIUM_LOCK, translucent_text, words

#: Glyph boxes may touch a limit by this much (points) without counting as past it.
SLACK_PT = 0.01
SAMPLE_CHARS = 30
HINT = "move the text further in: keep it clear of the trim edges and folds"


@dataclass
class _Place:
    """The words with the same problem on one page, and the worst distance among them."""

    distance: float
    words: list[str] = field(default_factory=list)


def _problem(box: Box, trim: Box, bleed: Box, folds: tuple[float, ...], safety: float) -> tuple[str, str, float] | None:
    """(code, which edge or fold, distance in mm) for a glyph too close to an edge or fold, else None.
    Glyphs entirely outside the bleed are the slug line and marks, and never count."""
    if box[2] <= bleed[0] or box[0] >= bleed[2] or box[3] <= bleed[1] or box[1] >= bleed[3]:
        return None
    edges = {"left": box[0] - trim[0], "right": trim[2] - box[2], "bottom": box[1] - trim[1], "top": trim[3] - box[3]}
    edge, distance = min(edges.items(), key=lambda item: item[1])
    if distance < -SLACK_PT:
        return "text-in-bleed", edge, -distance / MM
    if distance / MM < safety:
        return "text-near-trim", edge, distance / MM
    for fold in folds:
        x = trim[0] + fold * MM
        gap = 0.0 if box[0] <= x <= box[2] else min(abs(box[0] - x), abs(box[2] - x))
        if gap / MM < safety:
            return "text-near-fold", f"{fold:g}", gap / MM
    return None


def _message(code: str, where: str, place: _Place, safety: float) -> str:
    sample = place.words[0]
    sample = sample if len(sample) <= SAMPLE_CHARS else sample[: SAMPLE_CHARS - 1] + "…"
    others = len(place.words) - 1
    more = f" (and {others} more word{'s' if others > 1 else ''})" if others else ""
    if code == "text-in-bleed":
        return f"text “{sample}” runs {place.distance:.1f} mm past the {where} trim edge into the bleed{more}"
    if code == "text-near-trim":
        return f"text “{sample}” is {place.distance:.1f} mm from the {where} trim edge; keep {safety:g} mm clear{more}"
    return f"text “{sample}” is {place.distance:.1f} mm from the fold at {where} mm; keep {safety:g} mm clear{more}"


def text_too_close(
    data: bytes, boxes: list[tuple[Box, Box]], folds_mm: tuple[tuple[float, ...], ...], safety_mm: float
) -> list[PageProblem]:
    """Problems with text in the bleed or within `safety_mm` of a trim edge or a fold; translucent text
    (watermarks) does not count.
    `boxes` holds each page's (trim, bleed); `folds_mm` each page's folds in millimetres from the trim's left edge."""
    with PDFIUM_LOCK:
        return _text_too_close(data, boxes, folds_mm, safety_mm)


def _text_too_close(
    data: bytes, boxes: list[tuple[Box, Box]], folds_mm: tuple[tuple[float, ...], ...], safety_mm: float
) -> list[PageProblem]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return []  # the structural checks already report a file PDFium cannot open
    found: list[PageProblem] = []
    try:
        for number, (trim, bleed) in enumerate(boxes, start=1):
            page = document[number - 1]
            textpage = page.get_textpage()
            folds = folds_mm[number - 1] if number - 1 < len(folds_mm) else ()
            places: dict[tuple[str, str], _Place] = {}
            for word in words(textpage, translucent_text(page)):
                text = "".join(char for char, _ in word)
                worst: dict[tuple[str, str], float] = {}
                for _, box in word:
                    if problem := _problem(box, trim, bleed, folds, safety_mm):
                        code, where, distance = problem
                        farther = max if code == "text-in-bleed" else min
                        worst[code, where] = farther(worst.get((code, where), distance), distance)
                for key in [k for k in worst if k[0] == "text-near-trim" and ("text-in-bleed", k[1]) in worst]:
                    del worst[key]  # a word partly in the bleed is reported once, as in the bleed
                for key, distance in worst.items():
                    place = places.setdefault(key, _Place(distance))
                    place.distance = (max if key[0] == "text-in-bleed" else min)(place.distance, distance)
                    place.words.append(text)
            textpage.close()
            page.close()
            for (code, where), place in places.items():
                found.append(PageProblem(number, "error", code, _message(code, where, place, safety_mm), HINT))
    finally:
        document.close()
    return found
