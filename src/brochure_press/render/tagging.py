"""Structure tags that know the HTML's languages, ids and hidden parts.

WeasyPrint 70 derives a structure element from each box's element name only. Its tree builder,
`weasyprint.pdf.tags._build_box_tree`, is called once per box and recursively through its module's global name, so
wrapping that one function sees every box with the element made for it: each element gets the `/Lang` of its box
(finishing keeps it only where it differs from its parent's), the `/ID` of its HTML `id` (finishing keeps the
first of a box split over pages), links the `/Alt` of their HTML `title` (what a screen reader says for them),
and boxes that are `aria-hidden` are left out of the tree: their content stays marked but belongs to no element,
and finishing makes it an artifact. Only tagged PDFs call the builder; print masters are untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from brochure_press.render.engine import engine_error

#: Set on the wrapper, so that installing twice wraps once.
MARKER = "_brochure_press_tagging"
#: The hook wrapped, by its full name.
HOOK = "weasyprint.pdf.tags._build_box_tree"
#: What proofs lose without the hook.
CONSEQUENCE = "proofs would lose the languages, ids and hidden parts of their structure tree"


def _element_box(box: Any) -> Any:
    """The box an absolutely placed box stands for."""
    from weasyprint.layout.absolute import AbsolutePlaceholder

    return box._box if isinstance(box, AbsolutePlaceholder) else box


def is_hidden(box: Any) -> bool:
    """Whether a box's own element is hidden from assistive technology (`aria-hidden="true"`)."""
    element = _element_box(box).element
    return element is not None and element.get("aria-hidden") == "true"


def _html_id(box: Any) -> str | None:
    """The HTML id of the element a box was made for, not of the anonymous boxes WeasyPrint adds inside it."""
    box = _element_box(box)
    if box.element is None or getattr(box, "is_for_root_element", False):
        return None
    found: str | None = box.element.get("id")
    return found


def install() -> None:
    """Wrap WeasyPrint's tree builder once per process; an error when WeasyPrint has no such builder."""
    import pydyf  # type: ignore[import-untyped]
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    if original is None:
        raise engine_error(HOOK, CONSEQUENCE)
    if getattr(original, MARKER, None) is not None:
        return
    calls = [0]

    def build_box_tree(box: Any, parent: Any, pdf: Any, *rest: Any) -> Iterator[Any]:
        calls[0] += 1
        elements = original(box, parent, pdf, *rest)
        if is_hidden(box):
            tuple(elements)  # built for its marked content, but linked to nothing
            return
        lang = _element_box(box).style["lang"]
        html_id = _html_id(box)
        title = _element_box(box).element.get("title") if _element_box(box).element is not None else None
        for element in elements:
            if title and element.get("S") == "/Link" and "Alt" not in element:
                element["Alt"] = pydyf.String(title)
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            if html_id and "ID" not in element and element.get("P") == parent.reference:
                element["ID"] = pydyf.String(html_id)
            yield element

    setattr(build_box_tree, MARKER, calls)
    tags._build_box_tree = build_box_tree


def hook_calls() -> int:
    """How often the installed wrapper has been called in this process (0 when not installed)."""
    from weasyprint.pdf import tags

    calls: list[int] | None = getattr(getattr(tags, "_build_box_tree", None), MARKER, None)
    return calls[0] if calls else 0


def tagged_write(write: Any) -> bytes:
    """The bytes of `write()`, a tagged PDF; an error when WeasyPrint wrote it without calling the wrapped builder."""
    before = hook_calls()
    data: bytes = write()
    if hook_calls() == before:
        raise engine_error(HOOK, CONSEQUENCE)
    return data
