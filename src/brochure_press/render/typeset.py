"""WeasyPrint: lay out composed HTML with bundled fonts only and sandboxed loading, then write PDF bytes."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse
from urllib.request import url2pathname

from brochure_press.compose.fonts import isolate_fontconfig
from brochure_press.core.diagnostics import BuildError, Diagnostic, Location
from brochure_press.core.files import Stamp, folder_stamp
from brochure_press.core.model import Variant
from brochure_press.render.actualtext import document_direction
from brochure_press.render.actualtext import install as install_actual_text
from brochure_press.render.balance import balance_titles, bind_chosen
from brochure_press.render.fit import calm_hyphen_runs
from brochure_press.render.linebreak import install as install_line_breaks
from brochure_press.render.linebreak import unbind_split_groups
from brochure_press.render.tagging import install as install_tagging
from brochure_press.render.tagging import tagged_write
from brochure_press.render.textops import install as install_text_operators

if TYPE_CHECKING:
    from weasyprint import Document

#: Folders of a project that a document may load files from.
ASSET_FOLDERS = ("layouts", "fonts", "brochures")
#: Longest data: URL a document may embed, in characters.
MAX_DATA_URL = 256 * 1024
#: WeasyPrint warnings known to mean pages that are not what their layout says, which stop the build like its
#: errors do: a declaration or rule dropped for its value or syntax, a character no font has, a font that does not
#: load. Any other warning (one a newer WeasyPrint adds, a property it does not support) is reported as a warning.
LAYOUT_ERRORS = re.compile(
    r"Ignored `[^`]*` at \d+:\d+, (?!unknown property)|Error: .* at \d+:\d+\.|Parse error at |Invalid math function"
    r"|Invalid .* the whole .* was ignored|\.notdef glyph rendered|Font-face .* cannot be loaded"
)
LAYOUT_HINT = "check the layout's HTML and CSS"
#: Set-again passes at most: each settles what the one before it showed (a paragraph set without hyphenation
#: may split a bound group mid-word).
MAX_PASSES = 3


@dataclass(frozen=True)
class VariantOptions:
    """What WeasyPrint is asked for in one variant."""

    pdf_variant: str | None
    pdf_tags: bool


def variant_options(variant: Variant, standard: str) -> VariantOptions:
    """WeasyPrint options of a variant: PDF/X for print, tagged PDF for proofs."""
    if variant == "print":
        return VariantOptions(pdf_variant=f"pdf/{standard}", pdf_tags=False)
    return VariantOptions(pdf_variant=None, pdf_tags=True)


class _Collector(logging.Handler):
    """Keeps WeasyPrint's errors (missing resources) and warnings (bad CSS, unsupported CSS) so they become
    diagnostics, each once."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: dict[str, None] = {}
        self.warnings: dict[str, None] = {}

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        known = record.levelno >= logging.ERROR or LAYOUT_ERRORS.match(message)
        (self.errors if known else self.warnings)[message] = None


def sandboxed_fetcher(root: Path) -> Any:
    """A URL fetcher that serves files inside the project's asset folders and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetchingError

    allowed = [(root / folder).resolve() for folder in ASSET_FOLDERS]

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme == "data" and len(url) <= MAX_DATA_URL:
                return super().fetch(url, headers)
            if parsed.scheme == "file":
                target = Path(url2pathname(parsed.path)).resolve()
                if any(target.is_relative_to(folder) for folder in allowed) and target.is_file():
                    return super().fetch(url, headers)
            raise URLFetchingError(
                f"refused to load {url[:80]}: only files in {', '.join(ASSET_FOLDERS)}/ of the project "
                f"and data: URLs up to {MAX_DATA_URL // 1024} KiB are allowed"
            )

    return ProjectFetcher()


def font_configuration(fonts_dir: Path) -> Any:
    """One WeasyPrint font configuration per process and fonts folder, seeing the bundled fonts only; made
    again when a font is added, removed or replaced."""
    return _font_configuration(fonts_dir, folder_stamp(fonts_dir))


@cache
def _font_configuration(fonts_dir: Path, _stamp: tuple[Stamp, ...]) -> Any:
    isolate_fontconfig(fonts_dir)
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def settle(document: Document, root: Any) -> bool:
    """Correct on the HTML (whose tree is `root`) what a layout shows a typesetter would not pass; whether there was
    anything (then lay it out again): runs of hyphenated line ends, bound words split mid-word, uneven title lines."""
    return any([calm_hyphen_runs(document), unbind_split_groups(document), balance_titles(document, root)])


def render(
    html: str,
    root: Path,
    where: Location,
    warnings: list[Diagnostic] | None = None,
    revise: Callable[[Document], str | None] | None = None,
) -> Document:
    """Lay out HTML whose relative URLs resolve against the project root; then set again what `settle` corrects: a
    paragraph that would end more than two lines in a row with a hyphen without hyphenation, a bound group split
    mid-word with its spaces, titles balanced; and lay out instead the HTML `revise` gives for a layout it finds
    wanting (e.g. one whose page count does not suit the binding), in the same pass. WeasyPrint's errors and the
    warnings known to spoil the pages (`LAYOUT_ERRORS`) raise a BuildError; its other warnings go to `warnings` (or
    with the errors), when given, else count as errors."""
    font_config = font_configuration((root / "fonts").resolve())
    install_line_breaks()
    from weasyprint import HTML
    from weasyprint.urls import URLFetchingError

    def parse(text: str) -> Any:
        parsed = HTML(string=text, base_url=f"{root.resolve()}/", url_fetcher=sandboxed_fetcher(root))
        bind_chosen(parsed.etree_element)
        return parsed

    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        parsed = parse(html)
        document = parsed.render(font_config=font_config)
        for _ in range(MAX_PASSES):
            settled = settle(document, parsed.etree_element)
            revised = revise(document) if revise else None
            if revised is not None:
                parsed = parse(revised)
            elif not settled:
                break
            document = parsed.render(font_config=font_config)
    except URLFetchingError as exc:
        hint = "name only files of the project's layouts/, fonts/ and brochures/"
        raise BuildError([Diagnostic("error", "layout", str(exc), where, hint=hint, kind="layout")]) from None
    finally:
        logger.removeHandler(collector)
    errors = [*collector.errors, *(collector.warnings if warnings is None else ())]
    warned = [Diagnostic("warning", "layout", m, where, hint=LAYOUT_HINT, kind="layout") for m in collector.warnings]
    if errors:
        found = [Diagnostic("error", "layout", m, where, hint=LAYOUT_HINT, kind="layout") for m in errors]
        raise BuildError([*found, *(warned if warnings is not None else ())])
    if warnings is not None:
        warnings += warned
    return document


def write_pdf(document: Document, options: VariantOptions, direction: str = "ltr") -> bytes:
    """PDF bytes of a laid-out document, its text operators as every reader draws them (render.textops); tagged ones
    with languages, ids and hidden parts (render.tagging) and the text of every run of glyphs (render.actualtext), for
    a document that declares reading `direction`."""

    def write() -> bytes:
        data: bytes = document.write_pdf(pdf_variant=options.pdf_variant, pdf_tags=options.pdf_tags, uncompressed_pdf=False)
        return data

    install_text_operators()
    if not options.pdf_tags:
        return write()
    install_tagging()
    install_actual_text()
    with document_direction(direction):
        return tagged_write(write)
