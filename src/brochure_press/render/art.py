"""Where the laid-out pages place the art the composed HTML declares (`compose.art`): page, panel and box."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from brochure_press.compose.art import ART, PlacedArt, declared_art

if TYPE_CHECKING:
    from weasyprint import Document

#: CSS pixels to PDF points.
PX_TO_PT = 0.75


def _boxes(box: Any, panel: str, seen: set[int]) -> Iterator[tuple[Any, str]]:
    """Each box whose element declares art, the first of its element only, with the panel it stands in."""
    element = getattr(box, "element", None)
    if element is not None:
        panel = element.get("data-panel") or panel
        if element.get(ART) and id(element) not in seen:
            seen.add(id(element))
            yield box, panel
    for child in getattr(box, "children", ()):
        yield from _boxes(child, panel, seen)


def placed_art(html: str, document: Document) -> list[PlacedArt]:
    """The art `html` declares, where `document` (its layout) places it; what has no box is listed last, unplaced."""
    placed, seen = [], set[int]()
    for number, page in enumerate(document.pages, start=1):
        for box, panel in _boxes(page._page_box, "", seen):
            left, top = box.border_box_x() * PX_TO_PT, box.border_box_y() * PX_TO_PT
            size = (box.border_width() * PX_TO_PT, box.border_height() * PX_TO_PT)
            placed.append(PlacedArt(box.element.get(ART), number, panel, (left, top, left + size[0], top + size[1])))
    missing = Counter(declared_art(html)) - Counter(art.what for art in placed)
    return placed + [PlacedArt(what) for what in sorted(missing.elements())]
