"""Art the layouts declare: each pictogram, QR code and partner logo carries `data-art` naming it, so that the
finished pages can be checked for it (`render.art`, `preflight.art`)."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

#: The attribute that marks an element of the composed HTML as art that must be painted.
ART = "data-art"


class _Declared(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend(value for name, value in attrs if name == ART and value)


def declared_art(html: str) -> list[str]:
    """What the composed HTML declares as art, in document order (read from its text, not from a layout of it)."""
    parser = _Declared()
    parser.feed(html)
    parser.close()
    return parser.found


@dataclass(frozen=True)
class PlacedArt:
    """A declared piece of art as laid out: its page (1-based), the panel it stands in, and its box in points from
    the top-left corner of the page's trim, (left, top, right, bottom); page 0 and no box when nothing was laid out
    for it."""

    what: str
    page: int = 0
    panel: str = ""
    box: tuple[float, float, float, float] | None = None
