"""The text each run of glyphs stands for, written beside it: `/ActualText` on the marked content of every text box
of a tagged PDF.

Glyphs and their ToUnicode map cannot say what was written when shaping reorders or merges characters: Indic
pre-base vowels drawn before their consonant, conjuncts and Sinhala two-part vowels, Nastaliq's contextual
forms, Arabic ligatures read backwards by engines that reorder right-to-left runs. WeasyPrint 70 opens one
`/Span <</MCID n>> BDC` sequence for every text box (a run of text on one line in one style); this module adds
that box's text to the sequence's properties. poppler reads `/ActualText` on `Span` sequences,
PDFium on any marked content whose font can show one of its characters, and screen readers read it instead of
the glyphs. A line-end hyphen that hyphenation added becomes a soft hyphen (U+00AD): a hyphenation point, not a
character of the word (PDFium then joins the word's halves, marking the point U+FFFE).

Both engines take the characters of a text object on a right-to-left line for visual order and reorder them:
poppler reverses the whole run, PDFium each right-to-left word in place. Right-to-left text is therefore written
in visual order (the Unicode bidi algorithm, python-bidi), so that poppler gives it back in logical order and
PDFium gives every word right but the words of a run in visual order (and digits, and words with harakat that
its simpler bidi splits, reversed); spaces around it keep runs from running into each other. A reader that took
/ActualText as logical text, as the PDF reference describes it, would get right-to-left runs reversed; the
extraction engines readers use do not (README, "Accessible proofs"). Only tagged PDFs (proofs) open marked
content; print masters are untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bidi import get_display

#: Set on the wrapper, so that installing twice wraps once.
MARKER = "_brochure_press_actual_text"
SOFT_HYPHEN = "\u00ad"


def _reads_on(element: Any) -> bool:
    """Whether the layout marks the element a text box was made for as one a `<wbr>` break follows (`data-wbr-after`):
    the text after the break is the same word (an address broken after a slash)."""
    return element is not None and element.get("data-wbr-after") is not None


def actual_text(box: Any) -> str:
    """What a text box says, as engines expect it: its text; the hyphen hyphenation added at its end, or a `<wbr>`
    after it, as a soft hyphen; right-to-left text in visual order between spaces (see the module's docstring)."""
    text: str = box.text
    hyphen = box.style["hyphenate_character"]
    if hyphen and text.endswith(hyphen) and len(text) > len(hyphen):
        text = text[: -len(hyphen)] + SOFT_HYPHEN
    elif _reads_on(box.element):
        text += SOFT_HYPHEN
    if box.style["direction"] == "rtl":
        visual: str = get_display(text, base_dir="R")
        return f" {visual} "
    return text


def install() -> None:
    """Wrap WeasyPrint's marked-content sequences once per process."""
    import pydyf  # type: ignore[import-untyped]
    from weasyprint.formatting_structure.boxes import TextBox
    from weasyprint.pdf.stream import Stream

    if getattr(Stream.marked, MARKER, False):
        return
    original = Stream.marked

    @contextmanager
    def marked(self: Any, box: Any, tag: str) -> Iterator[None]:
        if self._tags is None or tag != "Span" or not isinstance(box, TextBox) or not box.text.strip():
            with original(self, box, tag):
                yield
            return
        mcid = len(self._tags)
        self._tags[box] = {"tag": tag, "mcid": mcid}
        text = actual_text(box)
        pydyf.Stream.begin_marked_content(self, tag, pydyf.Dictionary({"MCID": mcid, "ActualText": pydyf.String(text)}))
        try:
            yield
        finally:
            pydyf.Stream.end_marked_content(self)

    setattr(marked, MARKER, True)
    Stream.marked = marked
