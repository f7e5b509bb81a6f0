"""Composing HTML for one (brochure, edition, variant) from the project's Jinja2 layouts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, get_args

import jinja2
from markupsafe import Markup

from brochure_press.compose.inline import inline_html, inline_title, phone_html, phone_text, plain_text, tel_url, writing
from brochure_press.compose.palette import palette_css
from brochure_press.compose.pictograms import pictograms
from brochure_press.compose.qr import page_url, qr_code, qr_marker
from brochure_press.compose.typography import language_css, latin_runs_css, page_numbers_css
from brochure_press.core.diagnostics import BuildError, Diagnostic, Location
from brochure_press.core.languages import (
    by_script,
    draft_edition,
    edition_language,
    edition_languages,
    edition_style,
    source_language,
    unreviewed,
)
from brochure_press.core.model import STANDARD_NAMES, Block, Edition, Layout, Panel, SheetPanel, Text, Variant
from brochure_press.core.project import Project

#: Crop and fold marks are this long; the slug line starts this far beyond their ends and is this tall.
MARK_LENGTH_MM = 5.0
SLUG_GAP_MM = 1.0
SLUG_LINE_MM = 2.6
#: Colons a text ends with when it leads in to what follows ("You have the right to:", "…بما يلي:", Ethiopic ፦).
LEAD_IN_ENDS = (":", "\uff1a", "\u1366", "\u1365")


@dataclass(frozen=True)
class PanelBox:
    """A panel placed on a sheet, in millimetres from the sheet's left trim edge."""

    name: str
    x: float
    width: float
    height: float
    first: bool
    last: bool


@dataclass(frozen=True)
class Composed:
    """The HTML of one document and what the later stages need to know about it."""

    html: str
    layout: Layout
    lang: str
    direction: str
    title: str
    pages: tuple[tuple[PanelBox, ...], ...]
    bleed_mm: float
    #: Where crop and fold marks start, from the trim edge: beyond the bleed by the print spec's offset.
    mark_offset_mm: float = 0.0


def place_panels(layout: Layout, direction: str) -> tuple[tuple[PanelBox, ...], ...]:
    """Panel boxes of each page; right-to-left editions mirror the left-to-right geometry."""
    width, height = layout.trim_mm
    pages = []
    for page in layout.pages:
        boxes, x = [], 0.0
        for i, panel in enumerate(page.panels):
            left = x if direction == "ltr" else width - x - panel.width
            boxes.append(PanelBox(panel.name, round(left, 3), panel.width, height, i == 0, i == len(page.panels) - 1))
            x += panel.width
        pages.append(tuple(boxes))
    return tuple(pages)


def fold_positions(pages: tuple[tuple[PanelBox, ...], ...]) -> tuple[tuple[float, ...], ...]:
    """Per page, the folds: panel edges inside the sheet, in millimetres from its left trim edge."""
    return tuple(tuple(sorted(p.x for p in page if p.x > 0)) for page in pages)


def reading_order(pages: tuple[tuple[PanelBox, ...], ...]) -> tuple[str, ...]:
    """The HTML ids of a folded sheet's panels in the order they are read: the cover, then the sections' panels
    in their reading order (`Panel`); empty for flowing layouts."""
    names = {panel.name for page in pages for panel in page}
    return tuple(f"panel-{name}" for name in get_args(SheetPanel) if name in names)


def is_lead_in(block: Block) -> bool:
    """Whether a text block leads in to the next with a colon, in any of its languages (a Jinja test, `lead_in`):
    layouts keep it with what follows, as they keep headings."""
    return block.text is not None and any(value.rstrip().endswith(LEAD_IN_ENDS) for value in block.text.root.values())


@cache
def template_environment(layouts_root: Path, layout_name: str) -> jinja2.Environment:
    """The Jinja2 environment of one layout: its folder first, then `base/`; autoescaped, strict."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([layouts_root / layout_name, layouts_root / "base"]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["phone"] = phone_html
    env.filters["phone_text"] = phone_text
    env.filters["tel"] = tel_url
    env.tests["lead_in"] = is_lead_in
    return env


def page_multiple(project: Project) -> int:
    """What a flowing document's page count must be a multiple of: four for a saddle-stitched booklet,
    else two, for sheets printed on both sides."""
    return 4 if project.campaign.model.print.binding == "saddle-stitch" else 2


def compose(
    project: Project, brochure_id: str, edition: Edition, variant: Variant, measure: bool = False, blank_pages: int = 0
) -> Composed:
    """Render the HTML of one brochure edition in one variant; `measure` makes pages tall enough
    for overflowing panels to show their full length; `blank_pages` pages saying they are blank on purpose
    end a flowing document, so that its page count suits the binding."""
    campaign = project.campaign.model
    brochure = project.brochures[brochure_id].model
    layout_name = campaign.editions[edition].layout
    layout = project.layouts[layout_name].model
    lang, direction = edition_language(campaign, edition)
    spec = campaign.print
    is_print = variant == "print"
    bleed = spec.bleed_mm if is_print else 0.0
    marked = is_print and spec.marks == "crop"
    mark_offset = bleed + spec.marks_offset_mm if marked else 0.0
    slug_top = mark_offset + MARK_LENGTH_MM + SLUG_GAP_MM
    slug = slug_top + SLUG_LINE_MM - bleed if marked else 0.0
    pages = place_panels(layout, direction)
    title = brochure.title[lang]
    styled = {code: edition_style(campaign, edition, code) for code in campaign.languages}
    languages = [(code, styled[code]) for code in edition_languages(campaign, edition)]
    review = unreviewed(brochure, edition_languages(campaign, edition))

    def text(value: Text, language: str | None = None) -> Markup:
        language = language or lang
        return inline_html(value[language], writing(campaign, language))

    def plain(value: Text, language: str | None = None) -> str:
        return plain_text(value[language or lang])

    def title_html(value: Text, language: str | None = None) -> Markup:
        language = language or lang
        return inline_title(value[language], writing(campaign, language))

    context: dict[str, Any] = {
        "brochure": brochure,
        "brochure_id": brochure_id,
        "campaign": campaign,
        "edition": edition,
        "variant": variant,
        "lang": lang,
        "dir": direction,
        "title": title,
        "languages": languages,
        "source_language": source_language(campaign),
        "latin_language": by_script(campaign).get("Latn", source_language(campaign)),
        "t": text,
        "title_text": title_html,
        "page_numbers": lambda code: Markup(page_numbers_css(styled[code])),
        "plain": plain,
        "pages": pages,
        "sections": {panel: [s for s in brochure.sections if s.panel == panel] for panel in get_args(Panel)},
        "trim": layout.trim_mm,
        "bleed": bleed,
        "slug": slug,
        "slug_top": slug_top,
        "slug_bottom": slug_top + SLUG_LINE_MM,
        "fold_wrap": spec.fold_wrap_mm,
        "blank_pages": blank_pages,
        "safety": spec.safety_mm,
        "draft": draft_edition(campaign, brochure, edition),
        "under_review": [(code, styled[code]) for code in dict.fromkeys((*review, source_language(campaign))) if review],
        "notice_languages": [(code, styled[code]) for code in dict.fromkeys((*dict(languages), source_language(campaign)))],
        "date": brochure.revised.isoformat(),
        "root_css": Markup(palette_css(project, variant)),
        "pictogram": pictograms(project, variant),
        "language_css": Markup(f"{language_css(styled)}\n{latin_runs_css(styled, project.fonts_dir)}"),
        "icc_profile": spec.output_intent.profile if is_print else None,
        "standard": STANDARD_NAMES[spec.standard] if is_print else "",
        "measure": measure,
        "qr": lambda code: qr_code(page_url(campaign, brochure_id, code), variant),
        "qr_marker": lambda code: qr_marker(code, lang),
    }
    html = render_template(project, layout_name, layout.template, context)
    return Composed(html, layout, lang, direction, title, pages, bleed, mark_offset)


def render_template(project: Project, layout_name: str, template: str, context: dict[str, Any]) -> str:
    """Render one template of a layout; a broken template is a located layout error."""
    try:
        return template_environment(project.root / "layouts", layout_name).get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError(
            [
                Diagnostic(
                    "error",
                    "layout",
                    exc.message or str(exc),
                    Location(Path(exc.filename or layout_name), exc.lineno),
                    hint="fix the layout template",
                    kind="layout",
                )
            ]
        ) from None
    except jinja2.TemplateError as exc:
        raise BuildError(
            [
                Diagnostic(
                    "error",
                    "layout",
                    str(exc),
                    Location(project.layout_dir(layout_name) / template),
                    hint="fix the layout template",
                    kind="layout",
                )
            ]
        ) from None
