"""What makes a print master tidy: the PDF/X metadata keys its standard defines, and no unused colour spaces."""

from __future__ import annotations

from typing import Any

import pikepdf

#: XMP keys WeasyPrint writes that a standard does not define; the standard's own keys stay.
FOREIGN_XMP_KEYS = {
    # PDF/X-4 (ISO 15930-7) identifies itself by pdfxid:GTS_PDFXVersion; the pdfx: pair mirrors X-1a's document info.
    "x-4": ("pdfx:GTS_PDFXVersion", "pdfx:GTS_PDFXConformance"),
    # PDF/X-1a identifies itself in the document info; pdfxid: is PDF/X-4's namespace (and has no `part`).
    "x-1a": ("pdfxid:GTS_PDFXVersion", "pdfxid:part"),
}
COLOUR_OPERATORS = frozenset({"cs", "CS"})


def set_master_metadata(meta: Any, standard: str) -> None:
    """Metadata of a print master: the rendition is the master itself (`default`, not a proof), and only
    the identification keys its standard defines."""
    for key in FOREIGN_XMP_KEYS.get(standard, ()):
        if key in meta:
            del meta[key]
    if "xmpMM:RenditionClass" in meta:
        meta["xmpMM:RenditionClass"] = "default"


def _names_used(source: Any) -> set[str]:
    """Colour space names a content stream selects, by `cs`/`CS` or in an inline image."""
    used = set()
    for instruction in pikepdf.parse_content_stream(source):
        op = str(instruction.operator)
        if op in COLOUR_OPERATORS and instruction.operands:
            used.add(str(instruction.operands[0]))
        elif isinstance(instruction, pikepdf.ContentStreamInlineImage):
            image = instruction.iimage.obj
            space = image.get("/ColorSpace", image.get("/CS")) if isinstance(image, pikepdf.Dictionary) else None
            if isinstance(space, pikepdf.Name):
                used.add(str(space))
    return used


def _key(resources: pikepdf.Dictionary) -> tuple[int, int]:
    return resources.objgen if resources.is_indirect else (id(resources), -1)


def drop_unused_colour_spaces(pdf: pikepdf.Pdf) -> None:
    """Remove named colour spaces that no content of a page or its forms selects (WeasyPrint lists Lab and
    its CMYK profile on every page whether used or not). Resources shared by pages keep what any of them uses."""
    holders: dict[tuple[int, int], pikepdf.Dictionary] = {}
    used: dict[tuple[int, int], set[str]] = {}
    seen: set[tuple[int, int]] = set()
    pending: list[tuple[Any, Any]] = [(page, page.obj.get("/Resources")) for page in pdf.pages]
    while pending:
        source, resources = pending.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        key = _key(resources)
        holders[key] = resources
        names = used.setdefault(key, set())
        names |= _names_used(source)
        patterns = list((resources.get("/Pattern") or {}).values())
        shadings = list((resources.get("/Shading") or {}).values()) + [p.get("/Shading") for p in patterns]
        for shading in shadings:
            if isinstance(shading, pikepdf.Dictionary | pikepdf.Stream) and isinstance(shading.get("/ColorSpace"), pikepdf.Name):
                names.add(str(shading.ColorSpace))
        for item in [*(resources.get("/XObject") or {}).values(), *patterns]:
            if isinstance(item, pikepdf.Stream) and item.get("/Subtype") != "/Image" and item.objgen not in seen:
                seen.add(item.objgen)
                pending.append((item, item.get("/Resources", resources)))
    for key, resources in holders.items():
        spaces = resources.get("/ColorSpace")
        if isinstance(spaces, pikepdf.Dictionary):
            for name in [str(n) for n in spaces if str(n) not in used[key]]:
                del spaces[name]
