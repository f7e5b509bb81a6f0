"""Marked content on a page: which painting is tagged (inside a marked-content sequence with an id), which is an
artifact, and which is neither, in the page's content and the forms it draws."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pikepdf

#: Operators that put something on the page (text, paths, shadings, inline images); `Do` is followed into forms.
PAINT = frozenset({"Tj", "TJ", "'", '"', "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "EI", "INLINE IMAGE"})
MAX_FORM_DEPTH = 12
ARTIFACT = pikepdf.Name.Artifact


def mcid(instruction: Any) -> int | None:
    """The marked-content id a `BDC` opens, if any."""
    if str(instruction.operator) != "BDC" or len(instruction.operands) < 2:
        return None
    properties = instruction.operands[1]
    if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
        return int(properties.MCID)
    return None


def content_streams(page: pikepdf.Page) -> Iterator[tuple[pikepdf.Object, list[Any]]]:
    """The page and every form it draws (each once), with their parsed instructions."""
    for container, _, instructions in _content_streams(page):
        yield container, instructions


def _content_streams(page: pikepdf.Page) -> Iterator[tuple[pikepdf.Object, Any, list[Any]]]:
    """The page and every form it draws (each once), with their resources and parsed instructions."""
    seen: set[tuple[int, int]] = set()
    pending: list[tuple[Any, Any, int]] = [(page, page.obj.get("/Resources"), 0)]
    while pending:
        container, resources, depth = pending.pop()
        instructions = list(pikepdf.parse_content_stream(container))
        yield container, resources, instructions
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(xobjects, pikepdf.Dictionary) or depth >= MAX_FORM_DEPTH:
            continue
        for instruction in instructions:
            if str(instruction.operator) != "Do" or not instruction.operands:
                continue
            form = xobjects.get(str(instruction.operands[0]))
            if isinstance(form, pikepdf.Stream) and form.get("/Subtype") == "/Form" and form.objgen not in seen:
                seen.add(form.objgen)
                pending.append((form, form.get("/Resources", resources), depth + 1))


def unowned_paint(page: pikepdf.Page, owned: set[int]) -> Counter[str]:
    """Painting operators on a page that are neither inside marked content an element owns nor in an artifact,
    counted by what they paint."""
    found: Counter[str] = Counter()
    for _, instructions in content_streams(page):
        stack: list[bool] = []  # per open sequence: whether it makes its content tagged or an artifact
        for instruction in instructions:
            op = str(instruction.operator)
            if op in ("BDC", "BMC"):
                is_artifact = bool(instruction.operands) and instruction.operands[0] == ARTIFACT
                stack.append(is_artifact or mcid(instruction) in owned)
            elif op == "EMC" and stack:
                stack.pop()
            elif (op in PAINT or isinstance(instruction, pikepdf.ContentStreamInlineImage)) and not any(stack):
                found["text" if op in ("Tj", "TJ", "'", '"') else "graphics"] += 1
    return found


def _codes(operand: Any) -> Iterator[int]:
    """The two-byte character codes (glyph ids of Identity-H fonts) a text-showing operand shows."""
    for item in operand if isinstance(operand, pikepdf.Array) else [operand]:
        if isinstance(item, pikepdf.String):
            data = bytes(item)
            yield from (int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2))


def codes_without_actual_text(page: pikepdf.Page) -> dict[tuple[int, int], set[int]]:
    """Per font (by object id), the character codes a page and its forms show outside any marked content that gives
    its text as /ActualText: the glyphs whose own Unicode is all a reader gets."""
    found: dict[tuple[int, int], set[int]] = {}
    for _, resources, instructions in _content_streams(page):
        fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        stack: list[bool] = []
        font = None
        for instruction in instructions:
            op, operands = str(instruction.operator), instruction.operands
            if op in ("BDC", "BMC"):
                properties = operands[-1] if op == "BDC" and operands else None
                stack.append(isinstance(properties, pikepdf.Dictionary) and "/ActualText" in properties)
            elif op == "EMC" and stack:
                stack.pop()
            elif op == "Tf" and operands and isinstance(fonts, pikepdf.Dictionary):
                font = fonts.get(str(operands[0]))
            elif op in ("Tj", "TJ", "'", '"') and operands and isinstance(font, pikepdf.Dictionary) and not any(stack):
                found.setdefault(font.objgen, set()).update(_codes(operands[-1]))
    return found
