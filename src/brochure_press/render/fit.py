"""Checks on a laid-out document: page count and text that overflows its panel."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from brochure_press.core.diagnostics import Diagnostic, Location
from brochure_press.core.model import Layout

if TYPE_CHECKING:
    from weasyprint import Document

PX_TO_MM = 25.4 / 96
#: The box of the cover that holds the wordmark, title and subtitle, above the hotline (layouts name it so).
COVER_TITLE = "cover-title"
#: Overflow below this is rounding, not text.
TOLERANCE_MM = 0.1


def _descendants(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _pushed_out(box: Any, element: Any) -> bool:
    """Whether the box lost its element's last child: content that does not fit a fixed box of a paged layout is
    pushed onto a page that does not exist, rather than shown running over."""
    children = [child for child in element if isinstance(child.tag, str)]
    shown = {id(getattr(child, "element", None)) for child in box.children}
    return bool(children) and id(children[-1]) not in shown


def panel_overflow(document: Document) -> list[tuple[int, str, float]]:
    """(page number, panel name, millimetres over) for every panel whose content runs past its box."""
    over = []
    for number, page in enumerate(document.pages, start=1):
        for box in _descendants(page._page_box):
            element = getattr(box, "element", None)
            name = element.get("data-panel") if element is not None and box.element_tag == "div" else None
            if not name or not getattr(box, "children", None):
                continue
            bottom = box.content_box_y() + box.height
            content = max(child.position_y + child.margin_height() for child in box.children)
            excess = (content - bottom) * PX_TO_MM
            if excess > TOLERANCE_MM or _pushed_out(box, element):
                over.append((number, name, round(max(excess, TOLERANCE_MM), 1)))
    return over


def fit_problems(document: Document, what: str, locate: Callable[[str], Location]) -> list[Diagnostic]:
    """Diagnostics for panels whose content does not fit; `what` names brochure and edition,
    `locate` gives the source location of a panel's content. Lay out with tall pages to measure in full."""
    return [
        Diagnostic(
            "error",
            "panel-overflow",
            f"{what}: panel `{name}` (page {page}) is {mm} mm too long",
            locate(name),
            hint="shorten the text of that panel's section or move a block to another panel",
            kind="layout",
        )
        for page, name, mm in panel_overflow(document)
    ]


def page_count_problem(pages: int, layout: Layout, where: Location) -> Diagnostic:
    """The error for a document whose page count differs from its layout's."""
    return Diagnostic(
        "error",
        "page-count",
        f"{pages} pages laid out, the layout `{layout.description}` has {len(layout.pages)}",
        where,
        hint="the layout lets content spill out of its pages; fix its CSS",
        kind="layout",
    )
