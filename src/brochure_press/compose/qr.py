"""Links from paper to phone: each brochure's web page address, and the QR code that prints it as vector art."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import segno
from markupsafe import Markup

from brochure_press.compose.art import ART
from brochure_press.core.campaignmodel import Campaign
from brochure_press.core.diagnostics import Diagnostic
from brochure_press.core.model import Variant
from brochure_press.core.policy import QR_QUIET_ZONE
from brochure_press.core.project import Source

#: Error correction: M restores about 15 % of the code (a fold, a scuff); segno raises it when room allows.
ERROR = "m"
#: The size layouts print it at, a little above the smallest.
SIZE_MM = 22.0
#: Colour of the modules in each variant: 100 % K for print, black for proofs.
COLOURS: dict[str, str] = {"print": "device-cmyk(0 0 0 1)", "proof": "#000"}
#: The paper white under the code and its quiet zone, knocking out any tint of the panel beneath.
PAPER: dict[str, str] = {"print": "device-cmyk(0 0 0 0)", "proof": "#fff"}
#: The named destination a layout sets on the code of an edition's first language; other languages' codes add
#: their code (`qr-ar`), so that preflight finds each one's page and reads it.
QR_MARKER = "qr"


def qr_marker(language: str, first: str) -> str:
    """The named destination of a language's QR code in an edition whose first language is `first`."""
    return QR_MARKER if language == first else f"{QR_MARKER}-{language}"


def page_path(brochure_id: str, lang: str) -> str:
    """Where a brochure's web page in one language lies in the site, relative to its root."""
    return f"{brochure_id}/{lang}/"


def page_url(campaign: Campaign, brochure_id: str, lang: str) -> str:
    """The full address of a brochure's web page in one language."""
    return campaign.web.base_url + page_path(brochure_id, lang)


def is_placeholder(url: str) -> bool:
    """An address on a domain reserved for examples (`example`, `example.com`, …), not the campaign's own."""
    return "example" in (urlsplit(url).hostname or "").split(".")


def base_url_problems(campaign: Source[Campaign]) -> list[Diagnostic]:
    """A warning while the web edition's address is a placeholder: every printed QR code would lead nowhere."""
    url = campaign.model.web.base_url
    if not is_placeholder(url):
        return []
    message = f"the web edition's address {url} is a placeholder: printed QR codes would lead nowhere"
    hint = "set web.base_url to the address output/web/ is published at before any file goes to press"
    return [campaign.diagnostic(("web", "base_url"), "warning", "web-placeholder", message, hint)]


def short_url(url: str) -> str:
    """An address as a reader types it: without the scheme and the closing slash."""
    return url.removeprefix("https://").removesuffix("/")


@dataclass(frozen=True)
class QrCode:
    """A QR code for a layout: the address it holds, the address as printed beside it, and its SVG."""

    url: str
    short: str
    svg: Markup
    version: int
    error: str


def qr_code(url: str, variant: Variant, size_mm: float = SIZE_MM) -> QrCode:
    """The QR code of `url` as inline SVG of `size_mm` square, quiet zone included: each run of dark modules in a
    row one stroke a module wide (vector, no image), so that on press 100 % K modules overprint like thin rules
    and no white gap opens beside them; the code and its quiet zone lie on paper white, whatever the panel's tint."""
    code = segno.make(url, error=ERROR, micro=False)
    matrix = code.matrix
    side = len(matrix) + 2 * QR_QUIET_ZONE
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + QR_QUIET_ZONE} {y + QR_QUIET_ZONE + 0.5}h{x - start}")
            else:
                x += 1
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" viewBox="0 0 {side} {side}" '
        f'width="{size_mm:g}mm" height="{size_mm:g}mm" aria-hidden="true" {ART}="QR code">'
        f'<rect width="{side}" height="{side}" fill="{PAPER[variant]}"/>'
        f'<path fill="none" stroke="{COLOURS[variant]}" stroke-width="1" stroke-linecap="butt" d="{"".join(runs)}"/></svg>'
    )
    return QrCode(url, short_url(url), Markup(svg), code.version if isinstance(code.version, int) else 0, code.error or "")
