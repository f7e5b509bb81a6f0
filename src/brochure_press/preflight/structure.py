"""Preflight of a print file's structure: no scripts, actions, attachments, forms or annotations; upright pages in order."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf

from brochure_press.core.diagnostics import PageProblem
from brochure_press.core.model import DRAFT_LABEL
from brochure_press.core.policy import PANEL_MARKER_TOLERANCE_MM
from brochure_press.pdf.coordinates import MM, Box
from brochure_press.preflight.paint import outside

#: Actions that run code, open other files or programs, or send data; each is named in the finding.
ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/Rendition", "/Movie", "/Sound"}
    | {"/RichMediaExecute", "/ResetForm", "/Hide", "/SetOCGState", "/Trans", "/GoTo3DView", "/URI"}
)
#: Annotations a print file may have: those made for the press, outside the printed area.
PRESS_ANNOTATIONS = frozenset({"/PrinterMark", "/TrapNet"})
#: Deeper nesting of direct objects than this is not followed.
MAX_DEPTH = 64


def _walk(obj: Any, seen: set[tuple[int, int]], depth: int = 0) -> Iterator[pikepdf.Dictionary]:
    """Every dictionary reachable from `obj` (stream dictionaries included), each indirect object once."""
    if depth > MAX_DEPTH:
        return
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        yield obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
        for key in list(obj.keys()):
            if key not in ("/Parent", "/P"):
                yield from _walk(obj.get(key), seen, depth + 1)
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            yield from _walk(item, seen, depth + 1)


def active_content(pdf: pikepdf.Pdf) -> Counter[str]:
    """What in the file could act rather than print: scripts, actions, attachments, forms; counted by kind."""
    found: Counter[str] = Counter()
    root = pdf.Root
    if "/OpenAction" in root:
        found["an action on opening (OpenAction)"] += 1
    if "/AcroForm" in root:
        found["a form (AcroForm)"] += 1
    for dictionary in _walk(root, set()):
        if "/JS" in dictionary or str(dictionary.get("/S", "")) == "/JavaScript":
            found["JavaScript"] += 1
        elif str(dictionary.get("/S", "")) in ACTIVE_ACTIONS and str(dictionary.get("/Type", "/Action")) == "/Action":
            found[f"a {str(dictionary.S).lstrip('/')} action"] += 1
        if "/AA" in dictionary:
            found["actions on events (AA)"] += 1
        if "/EF" in dictionary:
            found["an embedded file"] += 1
    return found


def _inherited(page: pikepdf.Dictionary, key: str) -> Any:
    node: Any = page
    for _ in range(MAX_DEPTH):
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def structure_problems(pdf: pikepdf.Pdf, boxes: list[tuple[Box, Box]]) -> list[PageProblem]:
    """Scripts, actions, attachments, forms, annotations, rotated or scaled pages."""
    problems = []
    for what, count in sorted(active_content(pdf).items()):
        times = f" ({count} times)" if count > 1 else ""
        message = f"the file has {what}{times}; print files may not act, only print"
        problems.append(PageProblem(None, "error", "active-content", message, "make the file again from its sources"))
    for number, (page, (_, bleed)) in enumerate(zip(pdf.pages, boxes, strict=True), start=1):
        kinds: Counter[str] = Counter()
        for annotation in page.obj.get("/Annots", []):
            subtype = str(annotation.get("/Subtype", "/Unknown"))
            rect = [float(v) for v in annotation.Rect] if "/Rect" in annotation else None
            box = (min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])) if rect else None
            if subtype not in PRESS_ANNOTATIONS or not outside(box, bleed):
                kinds[subtype.lstrip("/")] += 1
        for kind, count in sorted(kinds.items()):
            message = f"{count} {kind} annotation{'s' if count > 1 else ''}; print files carry none (PDF/X)"
            problems.append(PageProblem(number, "error", "annotation", message, "make the file again from its sources"))
        rotate = _inherited(page.obj, "/Rotate")
        if rotate is not None and int(rotate) % 360:
            message = f"the page is rotated by {int(rotate) % 360}° (/Rotate); print pages are upright as laid out"
            problems.append(PageProblem(number, "error", "rotated", message, "remove the rotation; lay the page out upright"))
        unit = page.obj.get("/UserUnit")
        if unit is not None and abs(float(unit) - 1) > 1e-6:
            message = f"the page is scaled by UserUnit {float(unit):g}; its boxes do not measure in points"
            problems.append(PageProblem(number, "error", "rotated", message))
    return problems


def upright(pdf: pikepdf.Pdf, data: bytes) -> bytes:
    """The file's bytes with every page's /Rotate removed, for the checks that render or read the pages as laid out;
    `data` itself when no page is rotated. The rotation is reported by `structure_problems`."""
    if all(_inherited(page.obj, "/Rotate") in (None, 0) for page in pdf.pages):
        return data
    with pikepdf.open(io.BytesIO(data)) as copy:
        for page in copy.pages:
            node: Any = page.obj
            for _ in range(MAX_DEPTH):
                if not isinstance(node, pikepdf.Dictionary):
                    break
                if "/Rotate" in node:
                    del node["/Rotate"]
                node = node.get("/Parent")
        out = io.BytesIO()
        copy.save(out)
        return out.getvalue()


def named_destinations(pdf: pikepdf.Pdf) -> dict[str, tuple[int, float | None]]:
    """Named destinations: name → (page number, x of the destination in points, when given)."""
    pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
    found: dict[str, tuple[int, float | None]] = {}

    def add(name: str, dest: Any) -> None:
        if isinstance(dest, pikepdf.Dictionary):
            dest = dest.get("/D")
        if isinstance(dest, pikepdf.Array) and len(dest) and isinstance(dest[0], pikepdf.Dictionary):
            page = pages.get(dest[0].objgen)
            try:
                x = float(dest[2]) if len(dest) > 2 and str(dest[1]) == "/XYZ" else None
            except (TypeError, ValueError):
                x = None
            if page:
                found[name] = (page, x)

    def tree(node: Any, depth: int) -> None:
        if not isinstance(node, pikepdf.Dictionary) or depth > MAX_DEPTH:
            return
        entries = list(node.get("/Names", []))
        for key, value in zip(entries[::2], entries[1::2], strict=False):
            add(bytes(key).decode("latin-1") if isinstance(key, pikepdf.String) else str(key), value)
        for kid in node.get("/Kids", []):
            tree(kid, depth + 1)

    names = pdf.Root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        tree(names.get("/Dests"), 0)
    old = pdf.Root.get("/Dests")
    if isinstance(old, pikepdf.Dictionary):
        for key, value in old.items():
            add(key.lstrip("/"), value)
    return found


def page_order_problems(
    pdf: pikepdf.Pdf, markers: tuple[tuple[str, int, float | None], ...], trims: list[Box]
) -> list[PageProblem]:
    """Each marker the layout sets (a named destination: the cover, each panel) on its page and, for panels,
    at its place: pages in the wrong order, or an edition laid out in the other direction, are caught."""
    destinations = named_destinations(pdf)
    problems = []
    missing = [name for name, _, _ in markers if name not in destinations]
    if missing:
        message = f"page order not checked: the layout's markers ({', '.join(missing)}) are not in the file"
        problems.append(PageProblem(None, "warning", "page-order", message, "make the file again with brochure-press build"))
    for name, page, x_mm in markers:
        if name not in destinations:
            continue
        found_page, x = destinations[name]
        if found_page != page:
            message = f"`{name}` is on page {found_page}; the layout puts it on page {page}: the pages are out of order"
            problems.append(PageProblem(None, "error", "page-order", message, "the outside (with the cover) comes first"))
        elif x_mm is not None and x is not None and found_page <= len(trims):
            at = (x - trims[found_page - 1][0]) / MM
            if abs(at - x_mm) > PANEL_MARKER_TOLERANCE_MM:
                message = f"`{name}` starts {at:.1f} mm from the left trim edge; the layout puts it at {x_mm:g} mm"
                problems.append(PageProblem(found_page, "error", "page-order", message, "is the edition mirrored?"))
    return problems


def xmp_text(pdf: pikepdf.Pdf) -> str:
    """The XMP metadata packet as text ("" when there is none or it cannot be read)."""
    stream = pdf.Root.get("/Metadata")
    try:
        return stream.read_bytes().decode("utf-8", "replace") if isinstance(stream, pikepdf.Stream) else ""
    except pikepdf.PdfError:
        return ""


def draft_problems(pdf: pikepdf.Pdf, path: Path) -> list[PageProblem]:
    """A warning for the print file of a draft: DRAFT in its file name, or the draft label in its metadata."""
    reasons = []
    if re.search(r"(?<![A-Za-z])DRAFT(?![a-z])", path.name):
        reasons.append("its file name says DRAFT")
    if DRAFT_LABEL in str(pdf.docinfo.get("/Keywords", "")) or DRAFT_LABEL in xmp_text(pdf):
        reasons.append(f"its metadata says {DRAFT_LABEL}")
    if not reasons:
        return []
    message = f"the file is a draft ({' and '.join(reasons)}); it is not for press"
    return [PageProblem(None, "warning", "draft", message, "approve the brochure (status: approved) and build it again")]
