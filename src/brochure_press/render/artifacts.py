"""Artifacts of tagged PDFs: marked content that no structure element owns (page numbers and running heads in the
page margins, parts hidden with `aria-hidden` such as the DRAFT mark) is marked as an artifact instead, so that
everything on a page is either read or known to be decoration."""

from __future__ import annotations

from typing import Any

import pikepdf

from brochure_press.pdf.markedcontent import ARTIFACT, content_streams, mcid
from brochure_press.pdf.structtree import owned_content, struct_root


def _rewritten(instructions: list[Any], owned: set[int]) -> list[Any] | None:
    """The instructions with every sequence of unowned marked content opened as an artifact; None if unchanged."""
    out, changed = [], False
    for instruction in instructions:
        found = mcid(instruction)
        if found is not None and found not in owned:
            text = instruction.operands[1].get("/ActualText")  # what it says stays for copying and searching
            operands, operator = ([ARTIFACT, pikepdf.Dictionary(ActualText=text)], "BDC") if text else ([ARTIFACT], "BMC")
            out.append(pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(operator)))
            changed = True
        else:
            out.append(instruction)
    return out if changed else None


def mark_artifacts(pdf: pikepdf.Pdf) -> None:
    """Turn the marked content no element owns into artifacts, on every page and in the forms pages draw."""
    if struct_root(pdf) is None:
        return
    owned = owned_content(pdf)
    for page in pdf.pages:
        for container, instructions in list(content_streams(page)):
            rewritten = _rewritten(instructions, owned.get(page.obj.objgen, set()))
            if rewritten is None:
                continue
            data = pikepdf.unparse_content_stream(rewritten)
            if isinstance(container, pikepdf.Page):
                container.obj.Contents = pdf.make_stream(data)
            else:
                container.write(data)
