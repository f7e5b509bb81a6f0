"""Checks on a laid-out document: page count, text that overflows its panel, panels left half empty, headings and
lead-ins left at the foot of a page; paragraphs with runs of hyphenated line ends set again without hyphenation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from brochure_press.core.diagnostics import Diagnostic, Location
from brochure_press.core.model import Layout
from brochure_press.core.policy import MAX_HYPHENS_IN_A_ROW, MIN_PANEL_FILL, ROUNDING_MM
from brochure_press.render.engine import page_box

if TYPE_CHECKING:
    from weasyprint import Document

PX_TO_MM = 25.4 / 96
#: The box of the cover that holds the wordmark, title and subtitle, above the hotline (layouts name it so).
COVER_TITLE = "cover-title"
#: The front cover panel.
COVER = "cover"
#: What WeasyPrint ends a hyphenated line with (CSS `hyphenate-character: auto`).
HYPHEN = "\u2010"


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
        for box in _descendants(page_box(page)):
            element = getattr(box, "element", None)
            name = element.get("data-panel") if element is not None and box.element_tag == "div" else None
            if not name or not getattr(box, "children", None):
                continue
            bottom = box.content_box_y() + box.height
            content = max(child.position_y + child.margin_height() for child in box.children)
            excess = (content - bottom) * PX_TO_MM
            if excess > ROUNDING_MM or _pushed_out(box, element):
                over.append((number, name, round(max(excess, ROUNDING_MM), 1)))
    return over


def panel_fill(document: Document) -> list[tuple[int, str, float]]:
    """(page number, panel name, fraction of its height its content takes) for every text panel, measured from the
    top of its box to the bottom of its last child; the cover and its title box are designed, not filled."""
    fill = []
    for number, page in enumerate(document.pages, start=1):
        for box in _descendants(page_box(page)):
            element = getattr(box, "element", None)
            name = element.get("data-panel") if element is not None and box.element_tag == "div" else None
            if not name or name in (COVER, COVER_TITLE) or not box.height:
                continue
            content = max((child.position_y + child.margin_height() for child in box.children), default=box.content_box_y())
            fill.append((number, name, round((content - box.content_box_y()) / box.height, 2)))
    return fill


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


def fill_problems(document: Document, what: str, locate: Callable[[str], Location]) -> list[Diagnostic]:
    """Warnings for text panels whose content takes less than MIN_PANEL_FILL of their height."""
    return [
        Diagnostic(
            "warning",
            "panel-fill",
            f"{what}: panel `{name}` (page {page}) is {fraction:.0%} full",
            locate(name),
            hint=f"fill it to at least {MIN_PANEL_FILL:.0%}: more text, a callout, an icon, or a block from a fuller panel",
            kind="layout",
        )
        for page, name, fraction in panel_fill(document)
        if fraction < MIN_PANEL_FILL
    ]


def _paragraphs(box: Any) -> Iterator[Any]:
    """Every box that holds lines."""
    from weasyprint.formatting_structure import boxes

    children = getattr(box, "children", ())
    if any(isinstance(child, boxes.LineBox) for child in children):
        yield box
    for child in children:
        if not isinstance(child, boxes.LineBox):
            yield from _paragraphs(child)


def _line_end(line: Any) -> str:
    texts = [box.text for box in _descendants(line) if hasattr(box, "text")]
    return texts[-1] if texts else ""


def hyphen_runs(document: Document) -> list[Any]:
    """The HTML elements of paragraphs that end more than MAX_HYPHENS_IN_A_ROW lines in a row with a hyphen."""
    found = []
    for page in document.pages:
        for paragraph in _paragraphs(page_box(page)):
            run = 0
            for line in paragraph.children:
                run = run + 1 if _line_end(line).endswith(HYPHEN) else 0
                if run > MAX_HYPHENS_IN_A_ROW and paragraph.element is not None:
                    found.append(paragraph.element)
                    break
    return found


def calm_hyphen_runs(document: Document) -> bool:
    """Set every paragraph with a run of hyphenated line ends without hyphenation, on its element's style (lay the
    document out again to see it); whether there was one. WeasyPrint has no `hyphenate-limit-lines`."""
    elements = {id(element): element for element in hyphen_runs(document)}
    for element in elements.values():
        element.set("style", f"{element.get('style') or ''}; hyphens: manual".lstrip("; "))
    return bool(elements)


#: Elements that must not end a page while the text they introduce continues on the next (layouts mark lead-ins).
KEEP_WITH_NEXT_TAGS = ("h2", "h3")
KEEP_WITH_NEXT_CLASSES = frozenset({"lead-in", "lead-in-row", "heading-row", "block-heading"})


def _keeps_with_next(element: Any) -> bool:
    return element.tag in KEEP_WITH_NEXT_TAGS or bool(KEEP_WITH_NEXT_CLASSES & set(element.get("class", "").split()))


def _flow_lines(box: Any, ancestors: tuple[Any, ...] = ()) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    """Every line of a page's flowing text with the elements around it; margin boxes (running heads, folios) and
    positioned boxes (fixed marks, the panels of folded sheets) are not in the flow."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox) or box.style["position"] not in ("static", "relative"):
        return
    element = getattr(box, "element", None)
    if element is not None and (not ancestors or ancestors[-1] is not element):
        ancestors = (*ancestors, element)
    if isinstance(box, boxes.LineBox):
        if any(hasattr(child, "text") and child.text.strip() for child in _descendants(box)):
            yield box, ancestors
        return
    for child in getattr(box, "children", ()):
        yield from _flow_lines(child, ancestors)


def stranded(document: Document) -> list[tuple[int, Any]]:
    """(page number, element) for every heading or colon lead-in that is the last line of its page while the text
    continues on a later page, what `break-after: avoid` could not keep with its text; the element is the innermost
    one around it that names its section (`data-section`), else the line's own."""
    found = []
    last_lines = []
    for page in document.pages:
        lines = list(_flow_lines(page._page_box))
        last_lines.append(max(lines, key=lambda item: item[0].position_y + item[0].height) if lines else None)
    for number, last in enumerate(last_lines[:-1], start=1):
        if last is None or not any(last_lines[number:]):
            continue
        if any(_keeps_with_next(element) for element in last[1]):
            placed = [element for element in last[1] if element.get("data-section") is not None]
            found.append((number, (placed or list(last[1]))[-1]))
    return found


def stranded_problems(document: Document, what: str, locate: Callable[[int | None], Location]) -> list[Diagnostic]:
    """Warnings for headings and lead-ins that end a page; `locate` gives the source of a section by its index
    (an element's `data-section`, set by the layout)."""
    problems = []
    for page, element in stranded(document):
        text = " ".join("".join(element.itertext()).split())
        section = element.get("data-section")
        problems.append(
            Diagnostic(
                "warning",
                "keep-with-next",
                f"{what}: “{text[:60]}” ends page {page}, apart from the text it leads in to",
                locate(int(section) if section is not None else None),
                hint="shorten the text before it, or split the section so the heading starts the next page",
                kind="layout",
            )
        )
    return problems


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
