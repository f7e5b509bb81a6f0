"""What a print file should be: size, pages, folds and limits from its layout and the campaign's print spec."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pikepdf

from brochure_press.compose.fonts import family_coverage
from brochure_press.compose.layouts import PanelBox, fold_positions, page_multiple, place_panels
from brochure_press.compose.qr import page_url, qr_marker
from brochure_press.core.campaignmodel import CONDITIONS, PrintSpec
from brochure_press.core.languages import edition_language, edition_languages
from brochure_press.core.model import Edition, Layout, Standard
from brochure_press.core.policy import MIN_BLEED_MM, ROUNDING_MM
from brochure_press.core.project import Project
from brochure_press.pdf.coordinates import MM, Box
from brochure_press.preflight.limits import Limits, raw_stream_problems


def floats(box: Any) -> Box:
    values = [float(v) for v in box]
    return (min(values[0], values[2]), min(values[1], values[3]), max(values[0], values[2]), max(values[1], values[3]))


def size_mm(box: Box) -> tuple[float, float]:
    return round((box[2] - box[0]) / MM, 2), round((box[3] - box[1]) / MM, 2)


@dataclass(frozen=True)
class Expectations:
    """What a print file should be, from the campaign's print specification and its layout."""

    standard: Standard = "x-4"
    trim_mm: tuple[float, float] | None = None
    pages: int | None = None
    folds_mm: tuple[tuple[float, ...], ...] = ()
    layout: str = ""
    bleed_mm: float = MIN_BLEED_MM
    safety_mm: float = 4.0
    ink_limit: float = 300.0
    #: Strokes thinner than this (points, as printed) are hairlines that may not print.
    min_line_pt: float = 0.25
    #: Black text under this size (points) must be 100 % K; images under the resolutions (ppi) fail or warn.
    small_black_text_pt: float = PrintSpec().small_black_text_pt
    min_image_ppi: int = PrintSpec().min_image_ppi
    sharp_image_ppi: int = PrintSpec().sharp_image_ppi
    families: frozenset[str] = frozenset()
    #: The bundled fonts, whose glyph outlines the embedded font programs must have.
    fonts_dir: Path | None = None
    #: The campaign's output condition (`print.output_intent.condition`).
    output_condition: str = ""
    #: Reference profiles by output condition identifier: the bundled conditions' and the campaign's own.
    profiles: tuple[tuple[str, Path], ...] = ()
    #: Named destinations the layout sets: (name, page number, x in mm from the left trim edge or None).
    markers: tuple[tuple[str, int, float | None], ...] = ()
    limits: Limits = field(default_factory=Limits)
    #: Reversed or multi-plate text must be at least this large (points; bold text: the second).
    min_text_pt: float = 9.0
    min_bold_text_pt: float = 8.0
    #: A flowing document's page count must be a multiple of this (2 for sheets printed on both sides).
    page_multiple: int = 2
    #: The addresses the printed QR codes must read as, by their named destinations: the brochure's web page in
    #: each language of the edition.
    qr_urls: dict[str, str] = field(default_factory=dict)


def expectations(
    project: Project, edition: Edition, standard: Standard | None = None, brochure: str | None = None
) -> Expectations:
    """What the print file of an edition must be: the layout's size, pages and folds, the campaign's limits;
    and, for a known brochure, the addresses its QR codes hold (one per language)."""
    campaign = project.campaign.model
    layout = project.layouts[campaign.editions[edition].layout].model
    lang, direction = edition_language(campaign, edition)
    expected = expect(project, layout, direction, standard)
    if brochure in project.brochures:
        codes = edition_languages(campaign, edition)
        return replace(expected, qr_urls={qr_marker(code, lang): page_url(campaign, brochure, code) for code in codes})
    return expected


def expect(project: Project, layout: Layout | None, direction: str, standard: Standard | None) -> Expectations:
    spec = project.campaign.model.print
    placed = place_panels(layout, direction) if layout else ()
    return Expectations(
        standard=standard or spec.standard,
        trim_mm=(layout.trim_mm[0], layout.trim_mm[1]) if layout else None,
        pages=len(layout.pages) if layout and layout.pages else None,
        folds_mm=fold_positions(placed),
        layout=layout.description if layout else "",
        bleed_mm=max(MIN_BLEED_MM, spec.bleed_mm),
        safety_mm=spec.safety_mm,
        ink_limit=spec.ink_limit,
        min_line_pt=spec.min_line_pt,
        small_black_text_pt=spec.small_black_text_pt,
        min_image_ppi=spec.min_image_ppi,
        sharp_image_ppi=spec.sharp_image_ppi,
        families=frozenset(family_coverage(project.fonts_dir)),
        fonts_dir=project.fonts_dir,
        output_condition=spec.output_intent.condition,
        profiles=reference_profiles(project),
        markers=layout_markers(placed) if layout else (),
        min_text_pt=spec.plate_rules.min_text_pt,
        min_bold_text_pt=spec.plate_rules.min_bold_text_pt,
        page_multiple=page_multiple(project),
    )


def reference_profiles(project: Project) -> tuple[tuple[str, Path], ...]:
    """The profile that characterises each output condition preflight knows: the bundled ones and the campaign's."""
    intent = project.campaign.model.print.output_intent
    known = {c["condition"]: project.root / c["profile"] for c in CONDITIONS.values()}
    known[intent.condition] = project.root / intent.profile
    return tuple(known.items())


def layout_markers(placed: tuple[tuple[PanelBox, ...], ...]) -> tuple[tuple[str, int, float | None], ...]:
    """The named destinations a layout sets: `cover` on the page with the cover panel (page 1 without panels),
    and `panel-<name>` at each panel's left edge."""
    panels = [(f"panel-{p.name}", n, p.x) for n, page in enumerate(placed, start=1) for p in page]
    cover = next((n for name, n, _ in panels if name == "panel-cover"), 1)
    return (("cover", cover, None), *panels)


PRINT_NAME = re.compile(r"(?:DRAFT-)?(?P<brochure>[\w-]+)\.(?P<edition>[a-z0-9-]+)\.print\.pdf")


def expectations_for_file(project: Project, path: Path, data: bytes, standard: Standard | None = None) -> Expectations:
    """Expectations for a file given on the command line: by its name `<brochure>.<edition>.print.pdf`,
    else by the layout whose finished size it has (reading direction from its viewer preferences)."""
    named = PRINT_NAME.fullmatch(path.name)
    if named and named["edition"] in project.campaign.model.editions:
        return expectations(project, named["edition"], standard, named["brochure"])
    if raw_stream_problems(data, Limits()):
        return expect(project, None, "ltr", standard)  # not opened: preflight reports the bomb
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            trim = pdf.pages[0].obj.get("/TrimBox") if len(pdf.pages) else None
            prefs = pdf.Root.get("/ViewerPreferences")
            direction = "rtl" if prefs is not None and str(prefs.get("/Direction", "")) == "/R2L" else "ltr"
            size = size_mm(floats(trim)) if trim is not None else None
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError, IndexError, TypeError, AttributeError):
        size, direction = None, "ltr"  # preflight itself reports what is wrong with the file
    for source in project.layouts.values():
        if size and all(abs(a - b) <= ROUNDING_MM for a, b in zip(size, source.model.trim_mm, strict=True)):
            return expect(project, source.model, direction, standard)
    return expect(project, None, direction, standard)
