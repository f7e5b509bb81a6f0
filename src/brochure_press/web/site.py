"""Writing the web edition: every page and font subset under output/web/, the same bytes on every run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brochure_press.compose.coverage import glyph_problems
from brochure_press.compose.qr import base_url_problems
from brochure_press.core.diagnostics import Diagnostic, Location, raise_if_errors
from brochure_press.core.files import write_atomic
from brochure_press.core.languages import brochure_languages
from brochure_press.core.policy import MAX_WEB_PAGE_BYTES
from brochure_press.core.project import Project, Source, ensure_inside
from brochure_press.web.cards import share_cards
from brochure_press.web.pages import WebPage, brochure_page, index_page

#: Folder of the output that holds the site.
WEB_FOLDER = "web"
#: What the last run wrote into the site: a later run removes only those of its files the site no longer holds.
WRITTEN_RECORD = Path(".cache") / "web-files.json"


@dataclass(frozen=True)
class Site:
    """The files of the web edition, by path relative to the site's root, and its pages."""

    folder: Path
    files: dict[str, bytes]
    pages: tuple[WebPage, ...]
    base_url: str
    #: Warnings about the site: its placeholder address, pages over the weight limit.
    warnings: tuple[Diagnostic, ...] = ()

    def summary(self, here: Path) -> str:
        """What was written, for a person: pages, cards, the heaviest page, where to publish it."""
        folder = self.folder.relative_to(here) if self.folder.is_relative_to(here) else self.folder
        cards = sum(name.startswith("cards/") for name in self.files)
        heaviest = max(self.pages, key=lambda page: page.weight)
        return (
            f"Web edition: {folder}/ ({len(self.pages)} pages, {cards} share cards, {len(self.files)} files; heaviest page "
            f"{heaviest.path}, {heaviest.weight / 1024:.0f} KB with its fonts). Publish the folder as it is at {self.base_url}"
        )


def site_pages(project: Project, brochures: list[str] | None = None) -> list[WebPage]:
    """The index, then each brochure (sorted) in each of its languages."""
    campaign = project.campaign.model
    ids = sorted(brochures if brochures is not None else project.brochures)
    pages = [index_page(project)]
    for bid in ids:
        pages += [brochure_page(project, bid, code) for code in brochure_languages(campaign, project.brochures[bid].model)]
    return pages


def site_files(pages: list[WebPage], extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Every file of the site by path: pages, the font subsets they name, and `extra` files, sorted by path."""
    files = dict(extra or {})
    for page in pages:
        files[page.path] = page.html.encode()
        files.update((font.name, font.data) for font in page.fonts)
    return dict(sorted(files.items()))


def _written_before(record: Path) -> set[str]:
    """The files an earlier run wrote into the site, as it recorded them (none when the record is missing or damaged)."""
    try:
        data = json.loads(record.read_text())
    except (OSError, ValueError, RecursionError):
        return set()
    names = data.get("files") if isinstance(data, dict) else None
    return {name for name in names if isinstance(name, str)} if isinstance(names, list) else set()


def write_site(folder: Path, files: dict[str, bytes], record: Path) -> None:
    """Write the site's files in path order, then remove those an earlier run wrote that the site no longer holds
    (stale subsets, old pages); a file the tool did not write is never removed. `record` keeps what was written."""
    for relative, data in files.items():
        target = folder / relative
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
    inside = folder.resolve()
    for relative in sorted(_written_before(record) - set(files), reverse=True):
        path = folder / relative
        if ".." not in path.parts and path.resolve().is_relative_to(inside) and path.is_file() and not path.is_symlink():
            path.unlink()
            for parent in path.parents:
                if parent == folder or any(parent.iterdir()):
                    break
                parent.rmdir()
    write_atomic(record, json.dumps({"files": sorted(files)}, indent=1).encode())


def weight_problems(project: Project, pages: list[WebPage]) -> list[Diagnostic]:
    """A warning for every page that weighs more than MAX_WEB_PAGE_BYTES with its fonts (a language set in a large
    face, such as Nastaliq, may not fit; the other pages are still written)."""
    where = Location(project.layout_dir("web") / "web.css")
    return [
        Diagnostic(
            "warning",
            "web-weight",
            f"{page.path} weighs {page.weight:,} bytes with its fonts, "
            f"more than {MAX_WEB_PAGE_BYTES:,} ({MAX_WEB_PAGE_BYTES >> 10} KB)",
            where,
            hint="shorten the page, or set its language in a lighter face (fonts in campaign.yaml)",
            kind="layout",
        )
        for page in pages
        if page.weight > MAX_WEB_PAGE_BYTES
    ]


def build_site(project: Project) -> Site:
    """Write the web edition (pages, font subsets, share cards) under output/web/ and say what it holds; nothing
    is written when a text has a character no bundled font draws."""
    campaign = project.campaign.model
    folder, record = project.output_dir / WEB_FOLDER, project.output_dir / WRITTEN_RECORD
    ensure_inside(project.root, project.output_dir, record.parent, folder, folder / "cards")
    sources: list[Source[Any]] = [project.campaign, *(project.brochures[b] for b in sorted(project.brochures))]
    raise_if_errors([p for source in sources for p in glyph_problems(source, campaign, project.fonts_dir)])
    pages = site_pages(project)
    files = site_files(pages, share_cards(project))
    ensure_inside(project.root, *{(folder / name).parent for name in files})
    write_site(folder, files, record)
    warnings = base_url_problems(project.campaign) + weight_problems(project, pages)
    return Site(folder, files, tuple(pages), campaign.web.base_url, tuple(warnings))
