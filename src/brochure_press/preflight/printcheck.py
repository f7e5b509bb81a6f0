"""Preflight: checks on finished print PDFs, so that no file a printer would bounce leaves the building."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from PIL import ImageCms

from brochure_press.core.diagnostics import BuildError, Diagnostic, Location, PageProblem, Severity
from brochure_press.core.model import STANDARD_NAMES
from brochure_press.core.policy import MAX_DELTA_E, ROUNDING_MM
from brochure_press.core.project import Project
from brochure_press.pdf.colours import cmyk_text
from brochure_press.pdf.content import page_content
from brochure_press.pdf.coordinates import MM, Box
from brochure_press.preflight.expectations import Expectations, expect, expectations_for_file, floats, size_mm
from brochure_press.preflight.foldcolour import fold_colour_breaks
from brochure_press.preflight.fontprograms import font_program_problems, subset_tag_problems
from brochure_press.preflight.fontuse import font_problems
from brochure_press.preflight.geometry import placement_problems
from brochure_press.preflight.inkcoverage import ink_coverage_problems, render_separations
from brochure_press.preflight.limits import raw_stream_problems, stream_problems
from brochure_press.preflight.optional import hidden_content_problems
from brochure_press.preflight.outputprofile import largest_difference
from brochure_press.preflight.overprint import overprint_problems
from brochure_press.preflight.paint import image_problems, paint_problems, transparency_problems
from brochure_press.preflight.plates import black_overprint_problems, plate_rule_problems
from brochure_press.preflight.qrcode import qr_problems
from brochure_press.preflight.structure import (
    draft_problems,
    page_order_problems,
    structure_problems,
    upright,
    xmp_text,
)
from brochure_press.preflight.textclearance import text_too_close

PDFX_NAMESPACE = "http://www.npes.org/pdfx/ns/id/"
#: What preflight checks, in the order a report lists them.
CHECKS = (
    "PDF/X identification and version",
    "output intent with an embedded CMYK profile, for the campaign's output condition, that is that condition's profile",
    "page boxes: trim = finished size, bleed, media, same on every page; page count",
    "structure: no encryption, scripts, actions, attachments, forms or annotations; pages upright and in order",
    "optional content: no art in a layer that is off by default",
    "size: no stream decoded past the limit",
    "fonts embedded, subset and bundled: every glyph shown drawn as the bundled font draws it; subset tags unique",
    "colour: no RGB or Lab, no spot colours, total ink, small black text in 100 % K, no white overprint",
    "plates: small reversed or multi-plate text, 100 % K text overprints, no colour break on a fold",
    "overprint of colours other than 100 % K that changes the rendered separations",
    "page count the binding can take",
    "images: CMYK or grey (JPEG 2000 by its codestream), resolution at placed size",
    "transparency: blending colour space (X-4), none at all (X-1a)",
    "text clear of trim edges and folds",
    "art that touches the trim runs into the bleed; other objects clear of trim edges and folds; tiling patterns where they fill",
    "total ink on the rendered separations, overprint included",
    "hairlines: no stroke thinner than print.min_line_pt",
    "drafts",
    "QR code: reads as the brochure's web page; modules large enough; quiet zone paper white",
)


@dataclass(frozen=True)
class Finding:
    """A diagnostic and the page it is on (None for the whole file)."""

    page: int | None
    diagnostic: Diagnostic


@dataclass(frozen=True)
class Report:
    """The preflight of one file: findings, and facts a job ticket repeats."""

    path: Path
    expected: Expectations
    findings: tuple[Finding, ...]
    standard: str = ""
    output_condition: str = ""
    pages: int = 0
    trim_mm: tuple[float, float] | None = None
    bleed_mm: float | None = None
    inks: tuple[str, ...] = ()
    fonts: tuple[str, ...] = ()

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [f.diagnostic for f in self.findings]

    @property
    def errors(self) -> int:
        return sum(f.diagnostic.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.diagnostic.severity == "warning" for f in self.findings)


@dataclass
class _Collector:
    path: Path
    findings: list[Finding] = field(default_factory=list)

    def add(self, page: int | None, severity: Severity, code: str, message: str, hint: str = "") -> None:
        text = f"page {page}: {message}" if page else message
        diagnostic = Diagnostic(severity, f"preflight-{code}", text, Location(self.path), hint=hint, kind="preflight")
        self.findings.append(Finding(page, diagnostic))

    def extend(self, problems: list[PageProblem]) -> None:
        for problem in problems:
            self.add(*problem)


def xmp_pdfx_version(pdf: pikepdf.Pdf) -> str:
    """`pdfxid:GTS_PDFXVersion` from the XMP packet, read as text so a damaged packet is simply absent."""
    xmp = xmp_text(pdf)
    for prefix in re.findall(rf"xmlns:([\w.-]+)\s*=\s*[\"']{re.escape(PDFX_NAMESPACE)}[\"']", xmp):
        found = re.search(rf"{prefix}:GTS_PDFXVersion\s*(?:=\s*[\"']([^\"']*)|>([^<]*)<)", xmp)
        if found:
            return (found[1] or found[2] or "").strip()
    return ""


def _identification(pdf: pikepdf.Pdf, data: bytes, expect: Expectations, out: _Collector) -> str:
    """Check the PDF/X version keys; return the standard the file claims."""
    xmp = xmp_pdfx_version(pdf)
    info = str(pdf.docinfo.get("/GTS_PDFXVersion", ""))
    claimed = xmp or info
    wanted = STANDARD_NAMES[expect.standard]
    if expect.standard == "x-4" and not xmp.startswith("PDF/X-4"):
        found = f"it says {claimed}" if claimed else "it has no pdfxid:GTS_PDFXVersion in its XMP metadata"
        out.add(None, "error", "pdfx-version", f"not identified as {wanted}: {found}", "build it with --standard x-4")
    if expect.standard == "x-1a":
        if not info.startswith("PDF/X-1a"):
            found = f"it says {claimed}" if claimed else "it has no GTS_PDFXVersion in its document info"
            out.add(None, "error", "pdfx-version", f"not identified as {wanted}: {found}", "build it with --standard x-1a")
        if pdf.pdf_version > "1.4":
            out.add(None, "error", "pdf-version", f"PDF {pdf.pdf_version}; PDF/X-1a allows PDF 1.3 or 1.4 only")
        if re.search(rb"/Type\s*/(ObjStm|XRef)\b", data):
            out.add(None, "error", "pdf-version", "object or cross-reference streams (PDF 1.5) are not allowed in PDF/X-1a")
        if "/OCProperties" in pdf.Root:
            out.add(None, "error", "pdf-version", "optional content (layers) is not allowed in PDF/X-1a")
    if str(pdf.docinfo.get("/Trapped", "")) not in ("/True", "/False"):
        out.add(None, "error", "trapped", "the Trapped key is missing or Unknown; PDF/X needs True or False")
    return claimed


def _output_intent(pdf: pikepdf.Pdf, expect: Expectations, out: _Collector) -> str:
    """Check for one PDF/X output intent with an embedded CMYK printer profile, for the campaign's output
    condition; return its condition."""
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if str(i.get("/S", "")) == "/GTS_PDFX"]
    hint = "set print.output_intent in campaign.yaml to the printer's profile"
    if len(intents) != 1:
        out.add(None, "error", "output-intent", f"{len(intents)} PDF/X output intents; exactly one is needed", hint)
        return ""
    intent = intents[0]
    condition = str(intent.get("/OutputConditionIdentifier", ""))
    if not condition:
        out.add(None, "error", "output-intent", "the output intent has no OutputConditionIdentifier", hint)
    elif expect.output_condition and condition != expect.output_condition:
        message = f"made for the output condition {condition}; the campaign prints for {expect.output_condition}"
        out.add(None, "error", "output-condition", message, "build it again, or set print.output_intent in campaign.yaml")
    profile = intent.get("/DestOutputProfile")
    if not isinstance(profile, pikepdf.Stream):
        out.add(None, "error", "output-intent", "the output intent has no embedded profile (DestOutputProfile)", hint)
        return condition
    header = profile.read_bytes()[:20]
    if int(profile.get("/N", 0)) != 4 or header[16:20] != b"CMYK" or header[12:16] != b"prtr":
        kind = f"{header[12:16].decode('latin-1')}/{header[16:20].decode('latin-1')}"
        out.add(None, "error", "output-intent", f"the output profile is not a CMYK printer profile ({kind})", hint)
    elif dict(expect.profiles).get(condition, Path()).is_file():
        _profile_identity(profile.read_bytes(), condition, dict(expect.profiles)[condition], out)
    return condition


def _profile_identity(embedded: bytes, condition: str, reference: Path, out: _Collector) -> None:
    """Check that the embedded profile characterises the condition it is filed under, as its bundled profile does."""
    try:
        difference, patch = largest_difference(embedded, reference)
    except (OSError, ImageCms.PyCMSError) as exc:
        out.add(None, "error", "output-profile", f"the output profile cannot be read as an ICC profile ({exc})")
        return
    if difference > MAX_DELTA_E:
        message = (
            f"the output profile is not {condition}: it prints {cmyk_text(tuple(v / 100 for v in patch))} "
            f"ΔE {difference:.1f} away from the bundled {reference.name} (more than {MAX_DELTA_E:g})"
        )
        hint = "embed the profile of the condition the file names, or name the condition of the profile embedded"
        out.add(None, "error", "output-profile", message, hint)


def _page_multiple(pages: int, expect: Expectations, out: _Collector) -> None:
    """Check that a flowing document of a known layout has a page count its binding can take."""
    if expect.trim_mm is None or expect.pages is not None or pages % expect.page_multiple == 0:
        return
    need = "an even count for sheets printed on both sides"
    if expect.page_multiple != 2:
        need = f"a multiple of {expect.page_multiple} for a saddle-stitched booklet"
    out.add(None, "error", "page-multiple", f"{pages} pages; the job needs {need}", "build the file again: blank pages are added")


def _boxes(pdf: pikepdf.Pdf, expect: Expectations, out: _Collector) -> list[tuple[Box, Box]]:
    """Check trim, bleed and media boxes and the page count; return (trim, bleed) of every page."""
    boxes, first = [], None
    if expect.pages is not None and len(pdf.pages) != expect.pages:
        out.add(None, "error", "page-count", f"{len(pdf.pages)} pages; the layout `{expect.layout}` has {expect.pages}")
    for number, page in enumerate(pdf.pages, start=1):
        media = floats(page.mediabox)
        trim = floats(page.obj.TrimBox) if "/TrimBox" in page.obj else None
        bleed = floats(page.obj.BleedBox) if "/BleedBox" in page.obj else media
        if trim is None:
            out.add(number, "error", "trim", "no TrimBox; PDF/X needs the finished size marked")
            trim = media
        if expect.trim_mm:
            size, wanted = size_mm(trim), expect.trim_mm
            if any(abs(a - b) > ROUNDING_MM for a, b in zip(size, wanted, strict=True)):
                out.add(
                    number,
                    "error",
                    "trim",
                    f"TrimBox is {size[0]:g} × {size[1]:g} mm; the finished size of `{expect.layout}` is "
                    f"{wanted[0]:g} × {wanted[1]:g} mm",
                )
        sides = {"left": trim[0] - bleed[0], "bottom": trim[1] - bleed[1], "right": bleed[2] - trim[2], "top": bleed[3] - trim[3]}
        short = {side: amount / MM for side, amount in sides.items() if amount / MM < expect.bleed_mm - ROUNDING_MM}
        if short:
            where = ", ".join(f"{mm:.1f} mm {side}" for side, mm in short.items())
            out.add(
                number,
                "error",
                "bleed",
                f"bleed too small ({where}); printers need at least {expect.bleed_mm:g} mm beyond the trim on every side",
                "set print.bleed_mm in campaign.yaml to 3 or more; backgrounds must run into the bleed",
            )
        if not (_contains(media, bleed) and _contains(media, trim)):
            out.add(number, "error", "media", "the MediaBox does not contain the TrimBox and BleedBox")
        if first is None:
            first = (media, trim, bleed)
        elif any(not _same(a, b) for a, b in zip(first, (media, trim, bleed), strict=True)):
            out.add(number, "error", "boxes-differ", "page boxes differ from page 1; every page must have the same size")
        boxes.append((trim, bleed))
    return boxes


def _contains(outer: Box, inner: Box, slack: float = 0.01) -> bool:
    return all(o <= i + slack for o, i in zip(outer[:2], inner[:2], strict=True)) and all(
        o >= i - slack for o, i in zip(outer[2:], inner[2:], strict=True)
    )


def _same(a: Box, b: Box) -> bool:
    return all(abs(x - y) <= ROUNDING_MM * MM for x, y in zip(a, b, strict=True))


def preflight(data: bytes, path: Path, expect: Expectations) -> Report:
    """Check one finished print PDF against what it should be; every problem a finding with its page."""
    out = _Collector(path)
    bombs = raw_stream_problems(data, expect.limits)
    if bombs:
        out.extend(bombs)
        return Report(path, expect, tuple(out.findings))
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        message = "the file is encrypted with a password and could not be checked; PDF/X forbids encryption"
        out.add(None, "error", "encrypted", message, "save it again without a password")
        return Report(path, expect, tuple(out.findings))
    except (pikepdf.PdfError, ValueError) as exc:
        out.add(None, "error", "unreadable", f"not a readable PDF: {exc}")
        return Report(path, expect, tuple(out.findings))
    with pdf:
        try:
            return _check(pdf, data, path, expect, out)
        except Exception as exc:  # a damaged file gives a finding, never a traceback
            message = f"the file is damaged and could not be checked in full ({type(exc).__name__}: {exc})"
            out.add(None, "error", "unreadable", message, "make the file again from its sources")
            return Report(path, expect, tuple(out.findings))


def _check(pdf: pikepdf.Pdf, data: bytes, path: Path, expect: Expectations, out: _Collector) -> Report:
    """Every check on an open PDF, in the order a report lists them."""
    if pdf.is_encrypted:
        out.add(None, "error", "encrypted", "the file is encrypted; PDF/X forbids encryption")
    claimed = _identification(pdf, data, expect, out)
    condition = _output_intent(pdf, expect, out)
    boxes = _boxes(pdf, expect, out)
    _page_multiple(len(pdf.pages), expect, out)
    out.extend(structure_problems(pdf, boxes) + draft_problems(pdf, path) + hidden_content_problems(pdf))
    facts = {"standard": claimed, "output_condition": condition, "pages": len(pdf.pages)}
    too_large = stream_problems(pdf, expect.limits)
    if too_large:
        out.extend(too_large)
        out.add(None, "error", "not-checked", "fonts, colours, images, positions and ink were not checked: the file is too large")
        return Report(path, expect, tuple(out.findings), **facts)  # type: ignore[arg-type]
    out.extend(page_order_problems(pdf, expect.markers, [trim for trim, _ in boxes]) + subset_tag_problems(pdf))
    contents = [page_content(page) for page in pdf.pages]
    font_findings, fonts = font_problems(contents, expect.families)
    out.extend(font_findings)
    out.extend(font_program_problems(contents, expect.fonts_dir))
    inks = []
    for number, (content, (trim, bleed)) in enumerate(zip(contents, boxes, strict=True), start=1):
        for problem in content.unreadable:
            out.add(number, "error", "unreadable", problem.removeprefix("page: ").removeprefix("page, "))
        painted, paint_plates = paint_problems(
            number, content, trim, bleed, expect.standard, expect.ink_limit, expect.min_line_pt, expect.small_black_text_pt
        )
        ppi = (expect.min_image_ppi, expect.sharp_image_ppi)
        placed, image_plates = image_problems(number, content, bleed, expect.standard, expect.ink_limit, ppi)
        out.extend(painted + placed + transparency_problems(number, content, expect.standard))
        folds = expect.folds_mm[number - 1] if number - 1 < len(expect.folds_mm) else ()
        out.extend(placement_problems(number, content, trim, bleed, folds, expect.bleed_mm, expect.safety_mm))
        out.extend(plate_rule_problems(number, content, bleed, expect.min_text_pt, expect.min_bold_text_pt))
        out.extend(black_overprint_problems(number, content, bleed))
        plates = paint_plates | image_plates
        inks.append("".join(ch for i, ch in enumerate("CMYK") if i in plates) or "none")
    laid_out = upright(pdf, data)  # a rotated page is reported once; these checks see it as laid out
    out.extend(text_too_close(laid_out, boxes, expect.folds_mm, expect.safety_mm))
    rendered = render_separations(laid_out, len(pdf.pages), expect.limits)
    out.extend(ink_coverage_problems(rendered, expect.ink_limit))
    out.extend(overprint_problems(laid_out, contents, [bleed for _, bleed in boxes], rendered, expect.limits))
    out.extend(fold_colour_breaks(laid_out, boxes, expect.folds_mm))
    if expect.qr_urls:
        out.extend(qr_problems(pdf, laid_out, expect.qr_urls))
    if expect.trim_mm is None:
        message = "no layout has this file's size; finished size, page count and folds were not checked"
        out.add(None, "warning", "layout-unknown", message)
    bleeds = [min(t[0] - b[0], t[1] - b[1], b[2] - t[2], b[3] - t[3]) / MM for t, b in boxes]
    return Report(
        path,
        expect,
        tuple(out.findings),
        **facts,  # type: ignore[arg-type]
        trim_mm=size_mm(boxes[0][0]) if boxes else None,
        bleed_mm=round(min(bleeds), 2) if bleeds else None,
        inks=tuple(inks),
        fonts=fonts,
    )


def preflight_files(project: Project, paths: list[Path]) -> list[Report]:
    """Preflight PDFs named on the command line, each against the layout its name or size points to.
    A path that is not a file is bad input: all of them are raised together before anything is checked."""
    missing = [path for path in paths if not path.is_file()]
    if missing:
        hint = "give the path of a PDF, e.g. output/<brochure>/<brochure>.en.print.pdf"
        raise BuildError([Diagnostic("error", "missing-file", "no such file", Location(path), hint=hint) for path in missing])
    reports = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            out = _Collector(path)
            out.add(None, "error", "unreadable", f"cannot read the file: {exc.strerror}")
            reports.append(Report(path, expect(project, None, "ltr", None), tuple(out.findings)))
            continue
        reports.append(preflight(data, path, expectations_for_file(project, path, data)))
    return reports
