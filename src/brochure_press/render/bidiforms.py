"""The forms of a run's text that each extraction engine turns back into the text: both take /ActualText for text
in visual order and reorder it, each its own way (read in their sources, checked on proofs; README, "Accessible
proofs").

poppler (`TextOutputDev`: `reorderText`) makes a marked-content sequence's /ActualText one word and reverses each
of its right-to-left stretches (from a right-to-left letter to the next left-to-right letter or digit), so it gets
a right-to-left run back from its text in visual order (the Unicode bidi algorithm). PDFium (`CPDF_TextPage`,
`CFX_BidiChar`) sorts a line's text objects left to right, takes the text of an object whose glyphs are mostly
right-to-left reversed, and gives a right-to-left line with its stretches of one direction class in reverse order:
letters left-to-right, right-to-left, "weak" (digits, combining marks such as harakat, separators) or neutral.
So it gets a right-to-left object's text back when each stretch is written reversed in place, and a left-to-right
object's (an address, a phone number) when the stretches are written in reverse order.
"""

from __future__ import annotations

import unicodedata
from itertools import groupby

from bidi import get_display

#: PDFium's direction classes of the Unicode bidi classes (`CFX_BidiChar::AppendChar`); others are neutral.
PDFIUM_CLASSES = {"L": "left", "R": "right", "AL": "right"} | dict.fromkeys(("AN", "EN", "NSM", "CS", "ES", "ET", "BN"), "weak")
#: Characters PDFium mirrors in right-to-left text, and their mirror images.
MIRRORED = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))


def _pdfium_class(char: str) -> str:
    return PDFIUM_CLASSES.get(unicodedata.bidirectional(char), "neutral")


def _stretches(text: str) -> list[str]:
    """The text cut where PDFium's direction class changes."""
    return ["".join(chars) for _, chars in groupby(text, key=_pdfium_class)]


def is_right_to_left(text: str) -> bool:
    """Whether PDFium takes a text object showing `text` for right-to-left: it has right-to-left stretches, at least
    as many as left-to-right ones (`CFX_BidiString`)."""
    classes = [_pdfium_class(stretch[0]) for stretch in _stretches(text)]
    right = classes.count("right")
    return right > 0 and right >= classes.count("left")


def stretches_reversed(text: str) -> str:
    """The text with its stretches of one direction class in reverse order: what PDFium reads back as `text` from a
    left-to-right object (or line) that it reads right to left."""
    return "".join(reversed(_stretches(text)))


def pdfium_form(text: str, line_direction: str) -> str:
    """The /ActualText from which PDFium extracts `text` drawn in a line it reads in `line_direction`."""
    if line_direction != "rtl":
        return text
    if is_right_to_left(text):
        return "".join("".join(MIRRORED.get(c, c) for c in reversed(s)) for s in _stretches(text))
    return stretches_reversed(text)


def poppler_form(text: str, box_direction: str) -> str:
    """The /ActualText from which poppler extracts `text` drawn in a run of `box_direction`: a right-to-left run in
    visual order, between spaces so that runs do not join."""
    if box_direction != "rtl":
        return text
    return f" {get_display(text, base_dir='R')} "
