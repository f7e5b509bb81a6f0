"""The web edition in the live preview: its pages, font subsets and share cards, made from the sources as they are."""

from __future__ import annotations

import base64
import hashlib
import re
import threading

from brochure_press.core.languages import brochure_languages, draft_language
from brochure_press.core.project import Project
from brochure_press.web.cards import SHAPES, card_html, card_png
from brochure_press.web.pages import INDEX, WebPage, brochure_page, index_page, page_file
from brochure_press.web.sharing import card_name

#: Where the preview serves the web edition: the site's root.
WEB_PREFIX = "/web/"
#: The pages' security policy (its content up to the closing quote): it forbids scripts, and the preview allows
#: its own live reload alone in it, by the script's digest.
POLICY = re.compile(r'(<meta http-equiv="Content-Security-Policy" content="[^"]*)"')
CARD = re.compile(r"cards/(?:DRAFT-)?(?P<brochure>[\w-]+)\.(?P<lang>[\w-]+)\.(?P<shape>\w+)\.png")


def allowing(script: str) -> str:
    """Policy directives that let `script` (one inline `<script>` element) run and read the event stream, and
    nothing else: a script injected into a page still does not run."""
    code = script[script.index(">") + 1 : script.rindex("</script>")]
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    return f"; script-src 'sha256-{digest}'; connect-src 'self'"


class WebPreview:
    """Pages of the web edition by their path in the site, and the font subsets and cards they name."""

    def __init__(self) -> None:
        self._fonts: dict[str, bytes] = {}
        self._cards: dict[tuple[int, str], bytes] = {}
        self._lock = threading.Lock()

    def page(self, project: Project, path: str, script: str) -> str | None:
        """The page at `path` (`index.html`, `<brochure>/<lang>/index.html`, or the same without `index.html`)
        with `script` added, or None when the site has no such page."""
        path = path + INDEX if path.endswith("/") or not path else path
        made: WebPage | None = None
        if path == INDEX:
            made = index_page(project)
        else:
            parts = path.split("/")
            brochure = project.brochures.get(parts[0])
            if brochure and len(parts) == 3 and parts[1] in brochure_languages(project.campaign.model, brochure.model):
                made = brochure_page(project, parts[0], parts[1])
        if made is None or made.path != path:
            return None
        with self._lock:
            self._fonts.update((font.name, font.data) for font in made.fonts)
        return POLICY.sub(lambda m: m[1] + allowing(script) + '"', made.html, 1).replace("</body>", f"{script}</body>", 1)

    def font(self, path: str) -> bytes | None:
        """A font subset a page made earlier names (names hold a digest of the bytes, so they never go stale)."""
        with self._lock:
            return self._fonts.get(path)

    def card(self, project: Project, version: int, path: str) -> bytes | None:
        """A share card, drawn once per version of the sources; None for a card the site does not have."""
        named = CARD.fullmatch(path)
        if named is None or named["shape"] not in SHAPES or named["brochure"] not in project.brochures:
            return None
        brochure = project.brochures[named["brochure"]].model
        if named["lang"] not in brochure_languages(project.campaign.model, brochure):
            return None
        if path != card_name(named["brochure"], named["lang"], named["shape"], draft_language(brochure, named["lang"])):
            return None
        key = (version, path)
        with self._lock:
            if key not in self._cards:
                html = card_html(project, named["brochure"], named["lang"], named["shape"])
                self._cards = {key: card_png(project, html, SHAPES[named["shape"]][0])} | {
                    k: v for k, v in self._cards.items() if k[0] == version
                }
            return self._cards[key]


def web_links(project: Project, brochure_id: str) -> list[tuple[str, str]]:
    """(label, preview URL) of a brochure's web pages and share cards."""
    model = project.brochures[brochure_id].model
    links = []
    for code in brochure_languages(project.campaign.model, model):
        draft = draft_language(model, code)
        links.append((f"web {code}", WEB_PREFIX + page_file(brochure_id, code)))
        links += [(f"{code} {shape} card", WEB_PREFIX + card_name(brochure_id, code, shape, draft)) for shape in SHAPES]
    return links
