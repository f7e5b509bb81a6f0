"""Share cards: each brochure in each language as square and story PNGs, laid out by WeasyPrint, drawn by PDFium."""

from __future__ import annotations

import io

import pypdfium2 as pdfium

from brochure_press.compose.layouts import render_template
from brochure_press.compose.qr import page_url, short_url
from brochure_press.core.diagnostics import Location
from brochure_press.core.languages import brochure_languages, draft_language
from brochure_press.core.model import Brochure, Text
from brochure_press.core.project import Project
from brochure_press.pdf.textpositions import PDFIUM_LOCK
from brochure_press.render.typeset import render
from brochure_press.web.pages import WEB_LAYOUT, page_context
from brochure_press.web.sharing import card_name

#: Card shapes and their size in pixels: a square post, and a full-screen story.
SHAPES: dict[str, tuple[int, int]] = {"square": (1080, 1080), "story": (1080, 1920)}
#: Pixels at the top and bottom of a story card that an app's controls cover: no text there.
STORY_CLEAR = (250, 340)
CARD_TEMPLATE = "card.html.j2"
#: CSS pixels per point: WeasyPrint lays out a card of W px on a page of W × 0.75 pt.
PX_PER_PT = 96 / 72


def key_message(brochure: Brochure) -> Text:
    """What a card says first: the brochure's first callout, else its subtitle, else its title."""
    for section in brochure.sections:
        for block in section.blocks:
            if block.callout is not None:
                return block.callout
    return brochure.subtitle or brochure.title


def card_html(project: Project, brochure_id: str, lang: str, shape: str) -> str:
    """The HTML of one card, through the web layout, with the campaign's colours and each language's type."""
    width, height = SHAPES[shape]
    brochure = project.brochures[brochure_id].model
    context = {
        **page_context(project, lang, ""),
        "brochure": brochure,
        "draft": draft_language(brochure, lang),
        "message": key_message(brochure),
        "short": short_url(page_url(project.campaign.model, brochure_id, lang)),
        "shape": shape,
        "width": width,
        "height": height,
        "story_clear": STORY_CLEAR,
    }
    return render_template(project, WEB_LAYOUT, CARD_TEMPLATE, context)


def card_png(project: Project, html: str, width: int) -> bytes:
    """A card's HTML laid out by WeasyPrint with the bundled fonts, drawn by PDFium exactly `width` pixels wide.
    The PNG has no date or other metadata, so the same card gives the same bytes."""
    document = render(html, project.root, Location(project.layout_dir(WEB_LAYOUT) / CARD_TEMPLATE))
    data = document.write_pdf()
    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            page = pdf[0]
            image = page.render(scale=width / page.get_width()).to_pil()
        finally:
            pdf.close()
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=False)
    return out.getvalue()


def share_cards(project: Project, brochures: list[str] | None = None) -> dict[str, bytes]:
    """Every card of the chosen brochures (default: all) in each of their languages and shapes, by path."""
    campaign = project.campaign.model
    cards = {}
    for brochure_id in sorted(brochures if brochures is not None else project.brochures):
        brochure = project.brochures[brochure_id].model
        for lang in brochure_languages(campaign, brochure):
            for shape, (width, _) in SHAPES.items():
                html = card_html(project, brochure_id, lang, shape)
                cards[card_name(brochure_id, lang, shape, draft_language(brochure, lang))] = card_png(project, html, width)
    return cards
