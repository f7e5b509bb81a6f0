"""What a page paints, as plain records: paint operations, placed images, transparency, fonts shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pikepdf

from brochure_press.pdf.colours import Colour, Space
from brochure_press.pdf.coordinates import Box, intersect


@dataclass(frozen=True)
class Paint:
    """One painting operation: what kind, in which colour, where (page space, points), and the clipping
    path's box around it; for text, its font's `/BaseFont`."""

    kind: Literal["fill", "stroke", "text", "text-stroke", "shading", "image-mask"]
    colour: Colour
    box: Box | None
    where: str
    line_width: float = 0.0
    font_size: float = 0.0
    overprint: bool = False
    clip: Box | None = None
    font: str = ""

    @property
    def visible(self) -> Box | None:
        """What can show of it: its box within the clip."""
        return intersect(self.box, self.clip)


@dataclass(frozen=True)
class PlacedImage:
    """An image drawn on the page, with its pixels, placed size and colour."""

    name: str
    width: int
    height: int
    box: Box | None
    ppi: float
    space: Space | None
    bits: int
    mask: bool
    filters: tuple[str, ...]
    where: str
    obj: pikepdf.Object = field(compare=False, repr=False)
    clip: Box | None = None

    @property
    def inline(self) -> bool:
        return not isinstance(self.obj, pikepdf.Stream)


@dataclass(frozen=True)
class Transparency:
    """Something that makes the page use transparency, and the colour space it blends in."""

    what: str
    where: str
    space: Space | None = None


@dataclass
class ShownFont:
    """A font used on a page and the strings shown with it (its character codes)."""

    font: pikepdf.Dictionary
    strings: set[bytes] = field(default_factory=set)


@dataclass
class PageContent:
    """Everything a page paints, gathered from its content streams, forms and patterns."""

    paints: list[Paint] = field(default_factory=list)
    images: list[PlacedImage] = field(default_factory=list)
    transparency: list[Transparency] = field(default_factory=list)
    fonts: dict[str, pikepdf.Dictionary] = field(default_factory=dict)
    shown: dict[tuple[int, int], ShownFont] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
