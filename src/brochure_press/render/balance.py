"""Balanced title lines: a title or subtitle set on several lines gets lines of about one length, not a full line
and a short one (WeasyPrint 70 has no `text-wrap: balance`).

The layouts mark titles and subtitles `data-balance`. Once laid out, each one's words are measured with the font
that draws them (Pango, as WeasyPrint sets them); the breaks between words, on as many lines as WeasyPrint set, that
make the longest line shortest are found, and the element is narrowed to that line's width: laid out again, the
lines break where they balance. Breaks fall between words only, so a particle stays bound to the word after it and
a dash to the word before it (`inline_title`).
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING, Any

from brochure_press.render.engine import page_box
from brochure_press.render.fit import HYPHEN, _descendants

if TYPE_CHECKING:
    from weasyprint import Document

#: The attribute layouts put on the elements whose lines are balanced.
BALANCE = "data-balance"
#: A title is narrowed only when its longest line gets shorter by more than this fraction.
MIN_GAIN = 0.05
#: Pixels added to the measured width, for the rounding of Pango's widths.
SLACK_PX = 1.0
#: Titles of more words are left as they are (the breaks tried grow fast with the words).
MAX_WORDS = 24


def _width(text: str, style: Any) -> float:
    """The width of a text set in one style, in CSS pixels, as WeasyPrint's Pango sets it."""
    from weasyprint.text.line_break import Layout, line_size

    layout = Layout(style)
    layout.set_text(text)
    line, _ = layout.get_first_line()
    width: float = line_size(line, style)[0]
    return width


def _texts(line: Any) -> list[Any]:
    return [box for box in _descendants(line) if hasattr(box, "text") and box.text]


def _set_width(line: Any) -> float:
    """How wide a laid-out line's text is."""
    texts = _texts(line)
    return max(box.position_x + box.width for box in texts) - min(box.position_x for box in texts) if texts else 0.0


def _words(lines: list[Any]) -> tuple[list[float], list[float]]:
    """The widths of a paragraph's words and of the spaces after them (a word hyphenated at a line's end is one)."""
    words: list[float] = [0.0]
    spaces: list[float] = []

    def next_word(style: Any) -> None:
        if words[-1]:
            spaces.append(_width(" ", style))
            words.append(0.0)

    hyphenated = True
    for line in lines:
        texts = _texts(line)
        if texts and not hyphenated:
            next_word(texts[0].style)
        hyphenated = bool(texts) and texts[-1].text.endswith(HYPHEN)
        for box in texts:
            for i, piece in enumerate(box.text.removesuffix(HYPHEN).split(" ")):
                if i:
                    next_word(box.style)
                words[-1] += _width(piece, box.style) if piece else 0.0
    return words, spaces


def _line_widths(words: list[float], spaces: list[float], starts: tuple[int, ...]) -> list[float]:
    ends = [*starts[1:], len(words)]
    return [sum(words[a:b]) + sum(spaces[a : b - 1]) for a, b in zip(starts, ends, strict=True)]


def balanced_width(words: list[float], spaces: list[float], lines: int) -> float:
    """The shortest longest line of the words set on `lines` lines, breaking between words only."""
    widths = (max(_line_widths(words, spaces, (0, *breaks))) for breaks in combinations(range(1, len(words)), lines - 1))
    return min(widths, default=max(words, default=0.0))


def _balance(box: Any) -> bool:
    """Narrow one laid-out title to its balanced width; whether it was worth it."""
    lines = list(box.children)
    if len(lines) < 2:
        return False
    words, spaces = _words(lines)
    if len(words) > MAX_WORDS:
        return False
    longest = max(_set_width(line) for line in lines)
    best = balanced_width(words, spaces, len(lines))
    if best >= longest * (1 - MIN_GAIN):
        return False
    style = box.element.get("style")
    box.element.set("style", f"{style}; max-width: {best + SLACK_PX:.2f}px" if style else f"max-width: {best + SLACK_PX:.2f}px")
    return True


def balance_titles(document: Document) -> bool:
    """Narrow every title and subtitle marked `data-balance` whose lines are uneven to the width at which they
    balance, on the elements of the HTML (lay the document out again to see it); whether there was one."""
    from weasyprint.formatting_structure import boxes

    changed = False
    for page in document.pages:
        for box in _descendants(page_box(page)):
            element = getattr(box, "element", None)
            if element is None or element.get(BALANCE) is None or not isinstance(box, boxes.BlockBox):
                continue
            if all(isinstance(child, boxes.LineBox) for child in box.children):
                changed = _balance(box) or changed
    return changed
