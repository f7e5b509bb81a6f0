"""Text-showing operators every reader draws alike.

WeasyPrint 70 draws a glyph it raises or lowers (Nastaliq's dots and anchors, some Indic marks) with an operator of
its own, and then puts the pen back with an array of an empty string and a number: `[<> 782] TJ`. The PDF reference
moves the pen by the number whatever the strings hold, as poppler and Ghostscript do; PDFium (Chrome's and Android's
viewers) ignores an array whose strings are all empty, numbers included, and draws the rest of the line that far
from where it belongs: a Nastaliq word then overlaps the word before it and leaves a gap after it. Empty strings are
left out of every array and the numbers around them summed, which every reader moves the pen by.
"""

from __future__ import annotations

import re
from typing import Any

from brochure_press.render.engine import wrap_once

#: The hook that writes a TJ operator, by its full name, and what a PDF loses without it.
HOOK = "pydyf.Stream.show_text"
CONSEQUENCE = "PDFium would draw raised glyphs' lines out of place (Nastaliq words overlapping)"
#: The items of a TJ operand as WeasyPrint writes them: strings of glyph ids in hex, and numbers between them.
ITEM = re.compile(r"<[0-9a-fA-F]*>|[-+]?(?:\d+\.?\d*|\.\d+)")
EMPTY = "<>"


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def without_empty_strings(operand: str) -> str:
    """A TJ operand without its empty strings, the numbers each one stood between summed; others kept as written."""
    if EMPTY not in operand:
        return operand
    items: list[str] = []
    numbers: list[str] = []
    for item in ITEM.findall(operand):
        if item == EMPTY:
            continue
        if not item.startswith("<"):
            numbers.append(item)
            continue
        items.extend(_summed(numbers))
        numbers = []
        items.append(item)
    return " ".join([*items, *_summed(numbers)])


def _summed(numbers: list[str]) -> list[str]:
    if len(numbers) < 2:
        return numbers
    total = sum(float(number) for number in numbers)
    return [_number(total)] if total else []


def install() -> None:
    """Write every TJ operand of WeasyPrint's streams without empty strings, once per process."""
    from weasyprint.pdf.stream import Stream

    wrap_once(Stream, "show_text", HOOK, CONSEQUENCE, _cleaning)


def _cleaning(original: Any) -> Any:
    def show_text(self: Any, text: str) -> None:
        original(self, without_empty_strings(text))

    return show_text
