"""Writing the web edition: every page and font subset under output/web/, the same bytes on every run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from brochure_press.core.files import write_atomic
from brochure_press.core.languages import brochure_languages
from brochure_press.core.project import Project
from brochure_press.web.pages import WebPage, brochure_page, index_page

#: Folder of the output that holds the site.
WEB_FOLDER = "web"


@dataclass(frozen=True)
class Site:
    """The files of the web edition, by path relative to the site's root, and its pages."""

    folder: Path
    files: dict[str, bytes]
    pages: tuple[WebPage, ...]


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


def write_site(folder: Path, files: dict[str, bytes]) -> None:
    """Write the site's files in path order and remove whatever else the folder held (stale subsets, old pages)."""
    for relative, data in files.items():
        target = folder / relative
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and path.relative_to(folder).as_posix() not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def build_site(project: Project) -> Site:
    """Write the web edition under output/web/ and say what it holds."""
    pages = site_pages(project)
    folder = project.output_dir / WEB_FOLDER
    files = site_files(pages)
    write_site(folder, files)
    return Site(folder, files, tuple(pages))
