"""What a page tells the sites it is shared on: its address, its share card and its other languages."""

from __future__ import annotations

from dataclasses import dataclass

from brochure_press.compose.qr import page_url
from brochure_press.core.languages import brochure_languages, draft_language
from brochure_press.core.project import Project

#: Folder of the site (and of the hand-off bundle) that holds the cards.
CARDS_FOLDER = "cards"
#: The card a shared link shows: the square one, which every network crops least.
SHARED_SHAPE = "square"


def card_name(brochure_id: str, lang: str, shape: str, draft: bool = False) -> str:
    """The card's path in the site and in the bundle; a draft's card is named DRAFT, as its print files are."""
    return f"{CARDS_FOLDER}/{'DRAFT-' if draft else ''}{brochure_id}.{lang}.{shape}.png"


@dataclass(frozen=True)
class Sharing:
    """A page's full address, its card's, and the address of the same page in each other language (hreflang)."""

    url: str
    image: str
    alternates: tuple[tuple[str, str], ...]


def sharing(project: Project, brochure_id: str, lang: str, index: bool = False) -> Sharing:
    """How a brochure's page in `lang` is shared, from `web.base_url` (so the addresses follow it); with `index`,
    the site's front page, shown with the brochure's card."""
    campaign = project.campaign.model
    brochure = project.brochures[brochure_id].model
    image = campaign.web.base_url + card_name(brochure_id, lang, SHARED_SHAPE, draft_language(brochure, lang))
    if index:
        return Sharing(campaign.web.base_url, image, ())
    others = [code for code in brochure_languages(campaign, brochure) if code != lang]
    alternates = tuple((code, page_url(campaign, brochure_id, code)) for code in others)
    return Sharing(page_url(campaign, brochure_id, lang), image, alternates)
