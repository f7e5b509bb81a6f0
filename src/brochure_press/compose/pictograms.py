"""Pictograms beside callouts: the project's SVG files drawn inline in the callout's colour."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache
from pathlib import Path

from markupsafe import Markup

from brochure_press.compose.palette import palette_colours
from brochure_press.core.files import Stamp, stamp
from brochure_press.core.model import Variant
from brochure_press.core.project import PICTOGRAMS, Project

SVG = "http://www.w3.org/2000/svg"


@cache
def _drawing(path: Path, _stamp: Stamp) -> ET.Element:
    ET.register_namespace("", SVG)
    return ET.parse(path).getroot()


def pictogram_svg(layouts_dir: Path, name: str, colour: str) -> Markup:
    """The pictogram `name` as inline SVG, stroked in `colour` (a CSS colour: device CMYK in print masters);
    hidden from screen readers, since the callout beside it says what it shows. An unknown name draws nothing:
    loading the project reports it (`core.project.icon_problems`), and `check` still lays the rest out."""
    path = layouts_dir / PICTOGRAMS / f"{name}.svg"
    if not path.is_file():
        return Markup("")
    element = copy.deepcopy(_drawing(path, stamp(path)))
    for size in ("width", "height"):
        element.attrib.pop(size, None)
    element.attrib |= {"class": "pictogram", "aria-hidden": "true"}
    for node in element.iter():
        for key in ("stroke", "fill"):
            if node.get(key) == "currentColor":
                node.set(key, colour)
    return Markup(ET.tostring(element, encoding="unicode", short_empty_elements=True))


def pictograms(project: Project, variant: Variant) -> Callable[[str], Markup]:
    """The templates' `pictogram(name)`: pictograms in the callouts' colour (the palette's primary)."""
    colour = palette_colours(project, variant)["primary"]
    return lambda name: pictogram_svg(project.root / "layouts", name, colour)
