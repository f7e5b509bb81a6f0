"""Pictograms beside callouts: the project's SVG files drawn inline in the callout's colour."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache
from pathlib import Path

from markupsafe import Markup

from brochure_press.compose.art import ART
from brochure_press.compose.palette import palette_colours
from brochure_press.core.model import Variant
from brochure_press.core.project import PICTOGRAMS, Project

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"


def _local(name: str) -> str | None:
    """An SVG tag or attribute name without its namespace (`xlink:href` is SVG 2's `href`); None for names in
    other namespaces (an editor's metadata, which draws nothing)."""
    if not name.startswith("{"):
        return name
    uri, local = name[1:].split("}", 1)
    if uri == SVG or (uri == XLINK and local == "href"):
        return local
    return None


@cache
def _drawing(data: bytes) -> ET.Element:
    """The drawing in a pictogram file's bytes, every name in it unqualified. Serialised so, it needs no entry in
    ElementTree's process-wide namespace registry, which WeasyPrint's metadata module rewrites when it writes
    its first PDF: a qualified tree would come out as `<ns0:svg>`, which HTML does not draw."""
    root = ET.fromstring(data)
    for node in list(root.iter()):
        for child in [c for c in node if _local(c.tag) is None]:
            node.remove(child)
        node.tag = _local(node.tag) or node.tag
        node.attrib = {local: value for key, value in node.attrib.items() if (local := _local(key)) is not None}
    root.set("xmlns", SVG)
    return root


#: The attribute of a pictogram's SVG that says it points one way (the megaphone): mirrored in right-to-left text.
DIRECTIONAL = "data-directional"


def _mirror(element: ET.Element) -> None:
    """Draw the shapes of an SVG element mirrored left to right within its viewBox (each child transformed in place:
    no element is added)."""
    _, _, width, _ = (float(v) for v in element.get("viewBox", "0 0 24 24").split())
    for child in element:
        child.set("transform", f"matrix(-1 0 0 1 {width:g} 0) {child.get('transform', '')}".strip())


def pictogram_svg(layouts_dir: Path, name: str, colour: str, rtl: bool = False) -> Markup:
    """The pictogram `name` as inline SVG, stroked in `colour` (a CSS colour: device CMYK in print masters), mirrored
    in right-to-left text (`rtl`) when it points one way; hidden from screen readers, since the callout beside it
    says what it shows; declared as art. An unknown name draws nothing: loading the project reports it
    (`core.project.icon_problems`), and `check` still lays the rest out."""
    path = layouts_dir / PICTOGRAMS / f"{name}.svg"
    if not path.is_file():
        return Markup("")
    element = copy.deepcopy(_drawing(path.read_bytes()))
    for size in ("width", "height"):
        element.attrib.pop(size, None)
    element.attrib |= {"class": "pictogram", "aria-hidden": "true", ART: f"pictogram {name}"}
    if element.attrib.pop(DIRECTIONAL, "") == "true" and rtl:
        _mirror(element)
    for node in element.iter():
        for key in ("stroke", "fill"):
            if node.get(key) == "currentColor":
                node.set(key, colour)
    return Markup(ET.tostring(element, encoding="unicode", short_empty_elements=True))


def pictograms(project: Project, variant: Variant) -> Callable[[str, str], Markup]:
    """The templates' `pictogram(name, language)`: pictograms in the callouts' colour (the palette's primary),
    facing the language's reading direction."""
    colour = palette_colours(project, variant)["primary"]
    languages = project.campaign.model.languages

    def pictogram(name: str, language: str) -> Markup:
        return pictogram_svg(project.root / "layouts", name, colour, languages[language].direction == "rtl")

    return pictogram
