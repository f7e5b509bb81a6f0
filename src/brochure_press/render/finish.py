"""Finishing a WeasyPrint PDF for its use: output intent, exact boxes, printer's marks, reading direction, fixed ids,
reproducible font programs; for print masters also black overprint, PDF/X metadata and no unused colour spaces; for
tagged proofs a structure tree reshaped for reading, artifacts, and Unicode for every glyph."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from brochure_press.core.campaignmodel import OutputIntent
from brochure_press.core.model import DRAFT_LABEL, Standard
from brochure_press.pdf.coordinates import MM
from brochure_press.render.artifacts import mark_artifacts
from brochure_press.render.glyphtext import fill_unmapped_glyphs, visual_order_mappings
from brochure_press.render.masters import drop_unused_colour_spaces, set_master_metadata
from brochure_press.render.overprint import overprint_black
from brochure_press.render.reproduciblefonts import normalise_font_programs
from brochure_press.render.reshape import reshape

MARK_WIDTH_PT = 0.3
#: Annotations a print file (one with an output intent) keeps: the ones made for the press.
PRINT_ANNOTATIONS = (pikepdf.Name.PrinterMark, pikepdf.Name.TrapNet)
#: A namespace for document ids derived from content, so equal inputs give equal ids.
ID_NAMESPACE = uuid.UUID("5b1e3c64-95a0-4c1e-9d0e-4c1f6f0b7a10")


@dataclass(frozen=True)
class Finish:
    """What to do to one PDF after WeasyPrint wrote it."""

    fingerprint: str
    direction: str
    #: When the sources were last revised: the date of embedded font programs.
    revised: dt.datetime
    output_intent: OutputIntent | None = None
    standard: Standard = "x-4"
    bleed_mm: float = 0.0
    marks: bool = False
    #: Where crop and fold marks start, from the trim edge.
    mark_offset_mm: float = 5.0
    mark_length_mm: float = 5.0
    folds_mm: tuple[tuple[float, ...], ...] = ()
    #: A draft's file says so in its metadata (Keywords), for preflight and for anyone who opens it.
    draft: bool = False
    #: Tagged files: HTML ids of the parts of the page in the order they are read (panels of folded sheets).
    reading_order: tuple[str, ...] = ()
    #: Tagged files: the bundled fonts, whose substitutions give text to glyphs no character map names.
    fonts_dir: Path | None = None


def _registration(pdf: pikepdf.Pdf) -> pikepdf.Array:
    """The `All` separation: marks that print on every plate."""
    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    return pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK, pdf.make_indirect(tint)])


def _lines(segments: list[tuple[float, float, float, float]]) -> bytes:
    return b"".join(f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l S\n".encode() for x0, y0, x1, y1 in segments)


def mark_segments(trim: list[float], offset: float, length: float) -> list[tuple[float, float, float, float]]:
    """Crop marks at the four corners of a trim box, starting `offset` outside it (points)."""
    x0, y0, x1, y1 = trim
    near, far = offset, offset + length
    return [
        (x0 - far, y0, x0 - near, y0),
        (x0, y0 - far, x0, y0 - near),
        (x1 + near, y0, x1 + far, y0),
        (x1, y0 - far, x1, y0 - near),
        (x0 - far, y1, x0 - near, y1),
        (x0, y1 + near, x0, y1 + far),
        (x1 + near, y1, x1 + far, y1),
        (x1, y1 + near, x1, y1 + far),
    ]


def fold_segments(
    trim: list[float], folds: tuple[float, ...], offset: float, length: float
) -> list[tuple[float, float, float, float]]:
    """Fold marks above and below the trim box at each fold (points from the trim's left edge)."""
    x0, y0, _, y1 = trim
    return [
        seg
        for f in folds
        for seg in ((x0 + f, y1 + offset, x0 + f, y1 + offset + length), (x0 + f, y0 - offset - length, x0 + f, y0 - offset))
    ]


def _add_marks(pdf: pikepdf.Pdf, page: pikepdf.Page, finish: Finish, folds: tuple[float, ...]) -> None:
    trim = [float(v) for v in page.obj.TrimBox]
    offset, length = finish.mark_offset_mm * MM, finish.mark_length_mm * MM
    resources = page.obj.Resources
    if pikepdf.Name.ColorSpace not in resources:
        resources.ColorSpace = pikepdf.Dictionary()
    resources.ColorSpace.BPRegistration = _registration(pdf)
    crop = _lines(mark_segments(trim, offset, length))
    fold = _lines(fold_segments(trim, tuple(f * MM for f in folds), offset, length))
    marks = b"q\n/BPRegistration CS 1 SCN %.2f w\n" % MARK_WIDTH_PT + crop + b"[2 1] 0 d\n" + fold + b"Q\n"
    page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"Q\n" + marks))


def _set_boxes(page: pikepdf.Page, bleed_mm: float) -> None:
    x0, y0, x1, y1 = (float(v) for v in page.obj.TrimBox)
    b = bleed_mm * MM
    page.obj.BleedBox = pikepdf.Array([round(v, 4) for v in (x0 - b, y0 - b, x1 + b, y1 + b)])


def _set_output_intent(pdf: pikepdf.Pdf, intent: OutputIntent) -> None:
    for entry in pdf.Root.get(pikepdf.Name.OutputIntents, []):
        entry.OutputConditionIdentifier = pikepdf.String(intent.condition)
        entry.OutputCondition = pikepdf.String(intent.info)
        entry.Info = pikepdf.String(intent.info)
        entry.RegistryName = pikepdf.String(intent.registry)


def _remove_annotations(page: pikepdf.Page) -> None:
    """Drop links and other annotations: paper cannot be clicked, and PDF/X allows none on the printed area."""
    kept = [a for a in page.obj.get(pikepdf.Name.Annots, []) if a.get(pikepdf.Name.Subtype) in PRINT_ANNOTATIONS]
    if kept:
        page.obj.Annots = pikepdf.Array(kept)
    elif pikepdf.Name.Annots in page.obj:
        del page.obj.Annots


def finish_pdf(data: bytes, finish: Finish) -> bytes:
    """Apply `finish` to PDF bytes; the result depends only on the input bytes and `finish`."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        normalise_font_programs(pdf, finish.revised)
        if pikepdf.Name.StructTreeRoot in pdf.Root:
            reshape(pdf, finish.reading_order)
            mark_artifacts(pdf)
            fill_unmapped_glyphs(pdf, finish.fonts_dir)
        visual_order_mappings(pdf)
        if finish.output_intent is not None:
            _set_output_intent(pdf, finish.output_intent)
            overprint_black(pdf)
            for page in pdf.pages:
                _remove_annotations(page)
        for number, page in enumerate(pdf.pages):
            if finish.bleed_mm:
                _set_boxes(page, finish.bleed_mm)
            if finish.marks:
                folds = finish.folds_mm[number] if number < len(finish.folds_mm) else ()
                _add_marks(pdf, page, finish, folds)
        prefs = pdf.Root.get(pikepdf.Name.ViewerPreferences) or pikepdf.Dictionary()
        prefs.DisplayDocTitle = True
        prefs.Direction = pikepdf.Name.R2L if finish.direction == "rtl" else pikepdf.Name.L2R
        pdf.Root.ViewerPreferences = prefs
        if finish.draft:
            pdf.docinfo.Keywords = pikepdf.String(DRAFT_LABEL)
        if pikepdf.Name.Metadata in pdf.Root:
            document_id = f"uuid:{uuid.uuid5(ID_NAMESPACE, finish.fingerprint)}"
            with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
                meta["xmpMM:DocumentID"] = document_id
                meta["xmpMM:InstanceID"] = document_id
                if finish.output_intent is not None:
                    set_master_metadata(meta, finish.standard)
                if finish.draft:
                    meta["pdf:Keywords"] = DRAFT_LABEL
        drop_unused_colour_spaces(pdf)
        permanent = hashlib.md5(finish.fingerprint.encode(), usedforsecurity=False).digest()
        pdf.trailer.ID = pikepdf.Array([pikepdf.String(permanent), pikepdf.String(permanent)])
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
            compress_streams=True,
            fix_metadata_version=False,
        )
        return out.getvalue()
