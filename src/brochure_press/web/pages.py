"""The web edition's pages: one per brochure and language, and an index, from the same texts as the print editions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from markupsafe import Markup

from brochure_press.compose.fonts import family_coverage, stack
from brochure_press.compose.inline import NBSP, Writing, inline_html, inline_title, plain_text, writing
from brochure_press.compose.layouts import render_template
from brochure_press.compose.palette import palette_css
from brochure_press.compose.pictograms import pictograms
from brochure_press.compose.qr import page_path
from brochure_press.compose.typography import is_latin_run, language_css, latin_run_languages, latin_runs_css
from brochure_press.core.languages import (
    brochure_languages,
    campaign_languages,
    draft_language,
    source_language,
    unreviewed,
    web_style,
)
from brochure_press.core.model import Language, Text
from brochure_press.core.project import Project
from brochure_press.web.fonts import WebFont, font_face_css, page_fonts
from brochure_press.web.scale import web_sizes
from brochure_press.web.sharing import sharing

#: The layout folder (layouts/web/) of the web edition's templates and CSS.
WEB_LAYOUT = "web"
INDEX = "index.html"
#: A name print never breaks, as inline HTML marks it.
NAME = re.compile(r'<span class="name">[^<]*</span>')
#: A hashtag, as inline HTML isolates it.
HASHTAG = re.compile(r'<bdi [^>]*class="hashtag"[^>]*>[^<]*</bdi>')
#: What a browser may draw before a list item, in the item's font: a disc and a space (kept even where a list hides them).
MARKER = "\u2022 "


@dataclass(frozen=True)
class WebPage:
    """One page of the site: where it goes (relative to the site's root), its HTML and the font subsets it loads."""

    path: str
    html: str
    lang: str
    direction: str
    fonts: tuple[WebFont, ...]

    @property
    def weight(self) -> int:
        """Bytes a reader downloads to see the page: the HTML and every font it names."""
        return len(self.html.encode()) + sum(len(font.data) for font in self.fonts)


class _Reading(HTMLParser):
    """The characters a page shows in each language's faces, read from its HTML with each list item's marker: an
    element's text goes to its `lang` (or its parent's), a Latin run or Latin name inside another script to the
    language `runs` names for that script (`typography.latin_run_languages`, as the page's CSS sets them); text inside
    an element marked `data-weight="regular"` (language links) apart, as regular faces alone draw it."""

    HIDDEN = frozenset({"style", "title", "script", "head"})
    #: Elements without an end tag.
    VOID = frozenset({"meta", "link", "br", "wbr", "img", "input", "hr", "source"})

    def __init__(self, runs: dict[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.runs = runs
        self.latin = set(runs.values()) - set(runs)
        self.text: dict[str, list[str]] = {}
        self.regular: dict[str, list[str]] = {}
        #: Open elements: tag, language, the language whose faces draw its text, and whether regular faces alone do.
        self.open: list[tuple[str, str, str, bool]] = [("", "", "", False)]
        self.hidden = 0
        self.italic = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.italic |= tag in ("em", "i")
        if tag in self.VOID:
            return
        self.hidden += tag in self.HIDDEN
        _, outer, faces, regular = self.open[-1]
        own = next((value for name, value in attrs if name == "lang" and value), None)
        classes = set(next((value or "" for name, value in attrs if name == "class"), "").split())
        inside = self.runs.get(outer)
        if inside is not None and inside != outer and is_latin_run(tag, classes, own is not None):
            faces = inside
        elif own is not None and not (inside == outer and own in self.latin):
            faces = own
        self.open.append((tag, own or outer, faces, regular or ("data-weight", "regular") in attrs))
        if tag == "li":
            self.handle_data(MARKER)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        self.hidden -= tag in self.HIDDEN
        while len(self.open) > 1 and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            _, _, faces, regular = self.open[-1]
            (self.regular if regular else self.text).setdefault(faces, []).append(data)


def compact_css(css: str) -> Markup:
    """CSS without its comments, indentation and blank lines: every page carries its own copy."""
    return Markup(re.sub(r"\s*\n\s*", "\n", re.sub(r"/\*.*?\*/", "", css, flags=re.S)).strip())


def for_screen(html: Markup) -> Markup:
    """Inline HTML made for print, for a screen: the names print binds (`.name`) joined by plain spaces, and hashtags
    free to break after their underscores, so that a line too narrow for them (large text, zoom) breaks them between
    words, not inside one."""
    names_free = NAME.sub(lambda name: name.group().replace(NBSP, " "), html)
    return Markup(HASHTAG.sub(lambda tag: tag.group().replace("_", "_<wbr>"), names_free))


def screen_html(text: str, writing: Writing) -> Markup:
    """A text's inline HTML for a screen."""
    return for_screen(inline_html(text, writing))


def screen_title(text: str, writing: Writing) -> Markup:
    """A title's inline HTML for a screen, broken by sense as in print: no line starts with a dash, none ends on a
    particle. Its last two words are left free: the browser balances a title's lines (`text-wrap: balance`), and
    two long words bound on a narrow screen would break anywhere."""
    return for_screen(inline_title(text, writing, bind_last=False))


def page_file(brochure_id: str, lang: str) -> str:
    """The file of a brochure's page in one language, relative to the site's root."""
    return page_path(brochure_id, lang) + INDEX


def _root(path: str) -> str:
    """The relative way from a page up to the site's root."""
    return "../" * path.count("/")


def web_styles(project: Project) -> dict[str, Language]:
    """Every language of the campaign as the web edition sets it (`web: styles`)."""
    campaign = project.campaign.model
    return {code: web_style(campaign, code) for code in campaign.languages}


def page_context(project: Project, lang: str, path: str) -> dict[str, Any]:
    """What every template of the web layout is given: the campaign, the language and its texts, the way up
    to the site's root from `path`, and the campaign's colours (sRGB, as proofs show them) and type."""
    campaign = project.campaign.model
    styles = web_styles(project)
    sizes = web_sizes(styles[source_language(campaign)].scale)

    def text(value: Text, language: str | None = None) -> Markup:
        code = language or lang
        return screen_html(value[code], writing(campaign, code))

    def title(value: Text, language: str | None = None) -> Markup:
        code = language or lang
        return screen_title(value[code], writing(campaign, code))

    def plain(value: Text, language: str | None = None) -> str:
        return plain_text(value[language or lang])

    return {
        "campaign": campaign,
        "lang": lang,
        "dir": campaign.languages[lang].direction,
        "source_language": source_language(campaign),
        "latin": writing(campaign, lang).latin,
        "t": text,
        "title_text": title,
        "plain": plain,
        "root": _root(path),
        "root_css": Markup(palette_css(project, "proof")),
        "pictogram": pictograms(project, "proof"),
        "language_css": Markup(f"{language_css(styles, sizes)}\n{latin_runs_css(styles, project.fonts_dir)}"),
        "font_faces": "",
        "compact_css": compact_css,
    }


def _render(project: Project, template: str, path: str, lang: str, context: dict[str, Any]) -> WebPage:
    """Render a page twice: once to learn the characters it shows, then with the font subsets that draw them."""
    full = {**page_context(project, lang, path), **context}
    reading = _Reading(latin_run_languages(web_styles(project), project.fonts_dir))
    reading.feed(render_template(project, WEB_LAYOUT, template, full))
    text, regular = (_by_family(project, lang, found) for found in (reading.text, reading.regular))
    fonts = page_fonts(project.fonts_dir, text, reading.italic, regular)
    html = render_template(project, WEB_LAYOUT, template, {**full, "font_faces": Markup(font_face_css(fonts, full["root"]))})
    return WebPage(path, html, lang, full["dir"], tuple(fonts))


def _by_family(project: Project, lang: str, text: dict[str, list[str]]) -> dict[str, str]:
    """The characters each family draws: each goes to the first family of its language's stacks that has it, as
    browsers choose."""
    campaign = project.campaign.model
    coverage = family_coverage(project.fonts_dir)
    wanted: dict[str, str] = {}
    for code, pieces in sorted(text.items()):
        language = web_style(campaign, code if code in campaign.languages else lang)
        for families in (stack(language), stack(language, display=True)):
            for char in sorted(set("".join(pieces))):
                family = next((f for f in families if ord(char) in coverage.get(f, ())), None)
                if family is not None:
                    wanted[family] = wanted.get(family, "") + char
    return wanted


def _links(project: Project, brochure_id: str, path: str) -> list[tuple[str, Language, str]]:
    """(language, its settings, relative link) for each language of a brochure, seen from the page at `path`."""
    campaign = project.campaign.model
    brochure = project.brochures[brochure_id].model
    return [
        (code, campaign.languages[code], _root(path) + page_file(brochure_id, code))
        for code in brochure_languages(campaign, brochure)
    ]


def brochure_page(project: Project, brochure_id: str, lang: str) -> WebPage:
    """A brochure's page in one language, with links to its other languages."""
    path = page_file(brochure_id, lang)
    brochure = project.brochures[brochure_id].model
    context = {
        "brochure": brochure,
        "brochure_id": brochure_id,
        "draft": draft_language(brochure, lang),
        "under_review": bool(unreviewed(brochure, (lang,))),
        "switcher": _links(project, brochure_id, path),
        "sharing": sharing(project, brochure_id, lang),
    }
    return _render(project, "page.html.j2", path, lang, context)


def index_page(project: Project) -> WebPage:
    """The site's front page, in the campaign's default languages: every brochure's title, and a link to its page
    in each of its languages, named in that language. Titles in every script would send every font (450 KB)."""
    campaign = project.campaign.model
    ids = sorted(project.brochures)
    brochures = [(bid, project.brochures[bid].model, _links(project, bid, INDEX)) for bid in ids]
    used = campaign_languages(campaign, [project.brochures[bid].model for bid in ids])
    languages = [(code, campaign.languages[code]) for code in used if campaign.languages[code].default]
    lang = source_language(campaign)
    context = {"brochures": brochures, "languages": languages, "sharing": sharing(project, ids[0], lang, index=True)}
    return _render(project, "index.html.j2", INDEX, lang, context)
