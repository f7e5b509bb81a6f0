"""The text each run of glyphs stands for, written beside it: `/ActualText` on the marked content of every text box
of a tagged PDF, in the form each reader needs.

Glyphs and their ToUnicode map cannot say what was written when shaping reorders or merges characters: Indic
pre-base vowels drawn before their consonant, conjuncts and Sinhala two-part vowels, Nastaliq's contextual
forms, Arabic ligatures. WeasyPrint 70 opens one `/Span <</MCID n>> BDC` sequence for every text box (a run of
text on one line in one style); this module adds that box's text to the sequence's properties. A line-end hyphen
that hyphenation added becomes a soft hyphen (U+00AD): a hyphenation point, not a character of the word (PDFium
then joins the word's halves, marking the point U+FFFE). A hyphen written inside a word (`buwan-buwan`) that a line
ends at stays, and a soft hyphen after it makes the break a hyphenation point too: readers get the word whole, with
its hyphen (PDFium takes the character before such a break for the hyphen it drops).

The tagged sequence carries the text in logical order, as the PDF reference defines /ActualText: what a reader
that follows it (and the structure tree) gets. The two extraction engines readers use take /ActualText for
visual-order text and reorder it, each its own way (render.bidiforms), so where their forms differ from the
logical text the run carries nested sequences for them, innermost last: a `/Span` with poppler's form (poppler
reads /ActualText on `Span` sequences only, the innermost one) and a `/PDFiumText` with PDFium's (PDFium takes the
innermost sequence with properties, whatever its tag). A reader following the reference takes the outermost.
PDFium's form depends on the direction PDFium gives the line: right-to-left for every line of a document that
declares `/Direction /R2L`, else the line's own; the drawing of each line records it. PDFium takes a run's text at
the first of its text objects it meets, and again wherever an object of another run comes between two of its own in
PDFium's order (Nastaliq's glyphs raised one by one, a run in two fonts): so only the run's first text object carries
it, the others each in a sequence whose /ActualText PDFium skips. Only tagged PDFs (proofs) open marked content;
print masters are untouched.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from fontTools.ttLib import TTFont

from brochure_press.render.bidiforms import is_right_to_left, pdfium_form, poppler_form, stretches_reversed
from brochure_press.render.engine import wrap_once

#: Where the line being drawn is kept on WeasyPrint's stream.
LINE = "_brochure_press_line"
#: PDFium's /ActualText for a run whose text another run of its line carries: PDFium skips a sequence whose
#: /ActualText has no printable character.
SKIPPED = "\ufffd"
#: The tag of the sequence that carries PDFium's form.
PDFIUM_TAG = "PDFiumText"
#: The glyph ids in the operand of a TJ operator WeasyPrint writes, four hex digits each (`<0226>`; `<>` holds none).
GLYPHS = re.compile(r"<([0-9a-fA-F]+)>")
SOFT_HYPHEN = "\u00ad"
#: The text of a `<wbr>`: a break opportunity, not a character of the address it breaks.
WORD_BREAK = "\u200b"
#: Hyphens written in a text (hyphen-minus, hyphen), which a line may end at inside a word.
HYPHENS = ("-", "\u2010")
HOOK = "weasyprint.draw.draw_inline_level"
CONSEQUENCE = "proofs would give PDFium readers right-to-left lines in the wrong order"
#: The hook that writes marked-content sequences, by its full name, and what proofs lose without it.
MARKED_HOOK = "weasyprint.pdf.stream.Stream.marked"
MARKED_CONSEQUENCE = "proofs would give readers shaped glyphs instead of the text they were typeset from"

#: The glyphs without outline of each font drawn with in this process, by WeasyPrint's hash of the font.
_INKLESS: dict[str, frozenset[int]] = {}
#: The reading direction the document being written declares ("rtl": PDFium reads every line right to left).
_document_direction: ContextVar[str] = ContextVar("document_direction", default="ltr")


@contextmanager
def document_direction(direction: str) -> Iterator[None]:
    """Write the PDFs made inside this block for a document that declares `direction`."""
    token = _document_direction.set(direction)
    try:
        yield
    finally:
        _document_direction.reset(token)


def _reads_on(element: Any) -> bool:
    """Whether the layout marks the element a text box was made for as one a `<wbr>` break follows (`data-wbr-after`):
    the text after the break is the same word (an address broken after a slash)."""
    return element is not None and element.get("data-wbr-after") is not None


def _breaks_word(box: Any) -> bool:
    """Whether a text box that ends a line ends at a hyphen written inside a word: it ends with a hyphen after a
    letter, and its element's text has the box's text followed by a letter (`buwan-buwan`, not `pre- and`)."""
    text: str = box.text
    if not text.endswith(HYPHENS) or len(text) < 2 or not text[-2].isalpha() or box.element is None:
        return False
    written = " ".join("".join(box.element.itertext()).split())
    return re.search(re.escape(" ".join(text.split())) + r"[^\W\d_]", written) is not None


def actual_text(box: Any, ends_line: bool = False) -> str:
    """What a text box says, in logical order: its text; the hyphen hyphenation added at its end, or a `<wbr>` after
    it, as a soft hyphen; a soft hyphen after a hyphen written inside a word that the box ends its line at."""
    text: str = box.text
    hyphen = box.style["hyphenate_character"]
    if hyphen and text.endswith(hyphen) and len(text) > len(hyphen):
        return text[: -len(hyphen)] + SOFT_HYPHEN
    if _reads_on(box.element) or (ends_line and _breaks_word(box)):
        return text + SOFT_HYPHEN
    return text


def reader_forms(text: str, poppler: str, pdfium: str) -> list[tuple[str, str]]:
    """(tag, /ActualText) of the sequences a run opens, outermost first: the logical text on the tagged `Span`, then
    poppler's and PDFium's forms where they differ from what the sequence around them gives."""
    forms = [("Span", text)]
    for tag, form in (("Span", poppler), (PDFIUM_TAG, pdfium)):
        if form != forms[-1][1]:
            forms.append((tag, form))
    return forms


@dataclass(frozen=True)
class Line:
    """A line being drawn: the direction PDFium reads it in, PDFium's text for the runs of its left-to-right
    stretches (by `id` of their text box), and the `id` of its last text box (None: it has none)."""

    direction: str
    carried: dict[int, str]
    last: int | None = None


def _line(box: Any) -> Line:
    """The line a line box draws. PDFium reads a right-to-left line's runs in reverse order, so a left-to-right
    stretch of it (an address in Arabic text; a whole line of a left-to-right paragraph in a document that declares
    right-to-left reading, which PDFium reads right to left) is carried whole by its first run, the others skipped."""
    from weasyprint.formatting_structure.boxes import InlineBox, TextBox

    found: list[Any] = []

    def visit(parent: Any) -> None:
        for child in getattr(parent, "children", ()):
            if isinstance(child, TextBox) and child.text.strip():
                found.append(child)
            elif isinstance(child, InlineBox):
                visit(child)

    visit(box)
    paragraph = box.style["direction"]
    direction = "rtl" if _document_direction.get() == "rtl" else paragraph
    carried: dict[int, str] = {}
    if direction == "rtl":
        stretches = groupby(found, key=lambda b: paragraph == "ltr" or b.style["direction"] == "ltr")
        for left_to_right, runs in stretches:
            if left_to_right:
                first, *others = list(runs)
                text = "".join(actual_text(b, b is found[-1]) for b in (first, *others)).replace(WORD_BREAK, "")
                carried[id(first)] = stretches_reversed(text)
                carried.update(dict.fromkeys(map(id, others), SKIPPED))
    return Line(direction, carried, id(found[-1]) if found else None)


def pdfium_text(box: Any, text: str, line: Line | None) -> str:
    """PDFium's form of a run's text, in the line being drawn."""
    if line is None:
        return pdfium_form(text, _document_direction.get())
    return line.carried.get(id(box)) or pdfium_form(text, line.direction)


def _install_lines() -> None:
    """Record on the stream the line each line box draws while it is drawn."""
    from weasyprint import draw

    wrap_once(draw, "draw_inline_level", HOOK, CONSEQUENCE, _recording_lines)


def _recording_lines(original: Any) -> Any:
    """The line drawer that records on the stream the line it draws."""
    from weasyprint.formatting_structure.boxes import LineBox

    def draw_inline_level(stream: Any, page: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(box, LineBox):
            return original(stream, page, box, *args, **kwargs)
        outer = getattr(stream, LINE, None)
        setattr(stream, LINE, _line(box))
        try:
            return original(stream, page, box, *args, **kwargs)
        finally:
            setattr(stream, LINE, outer)

    return draw_inline_level


def install() -> None:
    """Wrap WeasyPrint's marked-content sequences and line drawing once per process."""
    from weasyprint.pdf.stream import Stream

    _install_lines()
    wrap_once(Stream, "marked", MARKED_HOOK, MARKED_CONSEQUENCE, _carrying_text)


def _glyph_ids(operand: str) -> list[int]:
    """The glyphs of a TJ operand WeasyPrint writes (`<03cc012b>`: two glyphs)."""
    return [int(run[i : i + 4], 16) for run in GLYPHS.findall(operand) for i in range(0, len(run), 4)]


def _inkless(font: Any) -> frozenset[int]:
    """The glyphs of a font WeasyPrint draws with that have no outline (Nastaliq's anchors): PDFium leaves out a text
    object of such glyphs only, and the text it carries with it."""
    if font.hash not in _INKLESS:
        ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
        outlines = ttfont.get("glyf")
        names = enumerate(ttfont.getGlyphOrder() if outlines is not None else ())
        _INKLESS[font.hash] = frozenset(i for i, name in names if outlines[name].numberOfContours == 0)
    return _INKLESS[font.hash]


@dataclass(frozen=True)
class Shown:
    """A text object of a run: the text of its glyphs, and whether any of them has ink."""

    text: str
    inked: bool


def carrier(shown: list[Shown], right_to_left: bool) -> int | None:
    """Which of a run's text objects carries its text for PDFium: the first with ink whose glyphs PDFium takes for
    `right_to_left`, as the run's form is written for (a colon alone is not taken for right-to-left), else the first
    with ink. The first is where the run starts on the page, whose distance from the run before decides the space
    PDFium puts between their texts."""
    inked = [i for i, one in enumerate(shown) if one.inked]
    return next((i for i in inked if is_right_to_left(shown[i].text) == right_to_left), next(iter(inked), None))


@contextmanager
def _carried_once(stream: Any, right_to_left: bool) -> Iterator[None]:
    """While a run is drawn, note its text objects; then leave the run's text to one (`carrier`), and put each other
    in a sequence whose /ActualText PDFium skips (with none, PDFium gives the text at the first)."""
    import pydyf  # type: ignore[import-untyped]

    shown: list[tuple[int, list[int], Any]] = []

    def show_text(text: str) -> None:
        font = next(font for font in stream._fonts.values() if font.hash == stream._current_font[0])
        shown.append((len(stream.stream), _glyph_ids(text), font))
        type(stream).show_text(stream, text)

    stream.show_text = show_text
    try:
        yield
    finally:
        del stream.show_text
    if len(shown) < 2:
        return
    chosen = carrier(
        [
            Shown("".join(font.to_unicode.get(glyph, "") for glyph in glyphs), bool(set(glyphs) - _inkless(font)))
            for _, glyphs, font in shown
        ],
        right_to_left,
    )
    skipped = pydyf.Dictionary({"ActualText": pydyf.String(SKIPPED)})
    for i, (index, *_) in reversed(list(enumerate(shown))):
        if i != chosen:
            stream.stream[index : index + 1] = [f"/{PDFIUM_TAG}", skipped, b"BDC", stream.stream[index], b"EMC"]


def _carrying_text(original: Any) -> Any:
    """The marked-content writer that gives each run of text its /ActualText, in every form readers need."""
    import pydyf
    from weasyprint.formatting_structure.boxes import TextBox

    @contextmanager
    def marked(self: Any, box: Any, tag: str) -> Iterator[None]:
        if self._tags is None or tag != "Span" or not isinstance(box, TextBox) or not box.text.strip():
            with original(self, box, tag):
                yield
            return
        mcid = len(self._tags)
        self._tags[box] = {"tag": tag, "mcid": mcid}
        line = getattr(self, LINE, None)
        text = actual_text(box, line is not None and line.last == id(box))
        pdfium = pdfium_text(box, text, line)
        forms = reader_forms(text, poppler_form(text, box.style["direction"]), pdfium)
        for depth, (name, form) in enumerate(forms):
            properties = pydyf.Dictionary({"MCID": mcid} if depth == 0 else {})
            properties["ActualText"] = pydyf.String(form)
            pydyf.Stream.begin_marked_content(self, name, properties)
        try:
            if pdfium == SKIPPED:
                yield
            else:
                with _carried_once(self, is_right_to_left(text)):
                    yield
        finally:
            for _ in forms:
                pydyf.Stream.end_marked_content(self)

    return marked
