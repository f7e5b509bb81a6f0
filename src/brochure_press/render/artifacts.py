"""Artifacts of tagged PDFs: marked content that no structure element owns (page numbers and running heads in the
page margins, parts hidden with `aria-hidden` such as the DRAFT mark) is marked as an artifact instead, so that
everything on a page is either read or known to be decoration. A form that paints nothing but artifacts (the
translucent DRAFT and review marks, which WeasyPrint draws as transparency groups) is drawn as an artifact too:
PDF/UA-1 asks that the painting of the form itself be marked, not only what it holds."""

from __future__ import annotations

from typing import Any

import pikepdf

from brochure_press.pdf.markedcontent import ARTIFACT, MAX_FORM_DEPTH, PAINT, content_streams, mcid
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


def _form(resources: Any, name: Any) -> pikepdf.Stream | None:
    """The form XObject a `Do` draws by `name`, if it is one."""
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    found = xobjects.get(str(name)) if isinstance(xobjects, pikepdf.Dictionary) else None
    return found if isinstance(found, pikepdf.Stream) and found.get("/Subtype") == "/Form" else None


def _artifacts_only(form: pikepdf.Stream, depth: int = 0) -> bool:
    """Whether all a form paints (forms it draws included) is inside artifact sequences of its own."""
    stack: list[bool] = []
    for instruction in pikepdf.parse_content_stream(form):
        op = str(instruction.operator)
        if op in ("BDC", "BMC"):
            stack.append(bool(instruction.operands) and instruction.operands[0] == ARTIFACT)
        elif op == "EMC" and stack:
            stack.pop()
        elif any(stack):
            continue
        elif op in PAINT or isinstance(instruction, pikepdf.ContentStreamInlineImage):
            return False
        elif op == "Do":
            inner = _form(form.get("/Resources"), instruction.operands[0]) if instruction.operands else None
            if inner is None or depth >= MAX_FORM_DEPTH or not _artifacts_only(inner, depth + 1):
                return False
    return True


def _artifact_forms(instructions: list[Any], resources: Any) -> list[Any] | None:
    """The instructions with each form that paints only artifacts, drawn outside marked content, drawn inside an
    artifact sequence; None if unchanged."""
    out, depth, changed = [], 0, False
    for instruction in instructions:
        op = str(instruction.operator)
        depth += (op in ("BDC", "BMC")) - (op == "EMC")
        form = _form(resources, instruction.operands[0]) if op == "Do" and depth == 0 and instruction.operands else None
        if form is not None and _artifacts_only(form):
            out += [
                pikepdf.ContentStreamInstruction([ARTIFACT], pikepdf.Operator("BMC")),
                instruction,
                pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")),
            ]
            changed = True
        else:
            out.append(instruction)
    return out if changed else None


def _write(pdf: pikepdf.Pdf, container: Any, instructions: list[Any]) -> None:
    data = pikepdf.unparse_content_stream(instructions)
    if isinstance(container, pikepdf.Page):
        container.obj.Contents = pdf.make_stream(data)
    else:
        container.write(data)


def mark_artifacts(pdf: pikepdf.Pdf) -> None:
    """Turn the marked content no element owns into artifacts, on every page and in the forms pages draw."""
    if struct_root(pdf) is None:
        return
    owned = owned_content(pdf)
    for page in pdf.pages:
        for container, instructions in list(content_streams(page)):
            rewritten = _rewritten(instructions, owned.get(page.obj.objgen, set()))
            if rewritten is not None:
                _write(pdf, container, rewritten)
        for container, instructions in list(content_streams(page)):
            resources = (container.obj if isinstance(container, pikepdf.Page) else container).get("/Resources")
            wrapped = _artifact_forms(instructions, resources)
            if wrapped is not None:
                _write(pdf, container, wrapped)
