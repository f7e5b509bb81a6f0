"""Balanced title lines: a title or subtitle set on several lines gets lines of about one length, not a full line
and a short one (WeasyPrint 70 has no `text-wrap: balance`).

The layouts mark titles and subtitles `data-balance`. Once laid out, each one's words are measured with the font
that draws them (Pango, as WeasyPrint sets them), and the breaks between words, on as many lines as WeasyPrint set,
are chosen that make the longest line shortest and, among those, the lines most even. The other spaces of the
title are bound with no-break spaces: laid out again, its lines break there and only there (the words of two of
its lines never fit one line, or WeasyPrint would have set fewer lines). Breaks fall between words only, so a
particle stays bound to the word after it and a dash to the word before it (`inline_title`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import combinations
from typing import TYPE_CHECKING, Any

from brochure_press.render.engine import page_box
from brochure_press.render.fit import HYPHEN, _descendants

if TYPE_CHECKING:
    from weasyprint import Document

#: The attribute layouts put on the elements whose lines are balanced.
BALANCE = "data-balance"
#: The attribute set on an element once balanced: it is not measured again.
BALANCED = "data-balanced"
#: Longest lines within this fraction of each other are as short as each other: the evener lines win.
EVEN = 0.02
#: Titles of more words are left as they are (the breaks tried grow fast with the words).
MAX_WORDS = 24
NBSP = "\u00a0"
#: Collapsible white space: where a line may break.
SPACE = re.compile(r"[ \t\n\r]+")


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


def _words(lines: list[Any]) -> tuple[list[float], list[float], tuple[int, ...] | None]:
    """The widths of a paragraph's words and of the spaces after them (a word hyphenated at a line's end is one),
    and the index of each line's first word (None when a line starts inside a hyphenated word)."""
    words: list[float] = [0.0]
    spaces: list[float] = []
    starts: list[int] | None = []

    def next_word(style: Any) -> None:
        if words[-1]:
            spaces.append(_width(" ", style))
            words.append(0.0)

    hyphenated = True
    for line in lines:
        texts = _texts(line)
        if texts and not hyphenated:
            next_word(texts[0].style)
        elif starts and hyphenated:
            starts = None
        if starts is not None:
            starts.append(len(words) - 1)
        hyphenated = bool(texts) and texts[-1].text.endswith(HYPHEN)
        for box in texts:
            for i, piece in enumerate(box.text.removesuffix(HYPHEN).split(" ")):
                if i:
                    next_word(box.style)
                words[-1] += _width(piece, box.style) if piece else 0.0
    return words, spaces, tuple(starts) if starts is not None else None


def _line_widths(words: list[float], spaces: list[float], starts: tuple[int, ...]) -> list[float]:
    ends = [*starts[1:], len(words)]
    return [sum(words[a:b]) + sum(spaces[a : b - 1]) for a, b in zip(starts, ends, strict=True)]


def _score(widths: list[float], unit: float) -> tuple[int, float]:
    """How uneven lines of these widths are: their longest (in steps of `unit`), then longest less shortest."""
    return round(max(widths) / unit), max(widths) - min(widths)


def balanced_starts(words: list[float], spaces: list[float], lines: int) -> tuple[int, ...]:
    """The index of each line's first word that makes the longest of `lines` lines shortest and, among such
    breaks, the lines most even."""
    unit = EVEN * max(sum(words), 1.0)
    candidates = [(0, *breaks) for breaks in combinations(range(1, len(words)), lines - 1)]
    return min(candidates, key=lambda starts: _score(_line_widths(words, spaces, starts), unit))


def _text_slots(element: Any) -> Iterator[tuple[Any, str]]:
    """(node, "text" or "tail") of every text inside an element, in reading order."""
    yield element, "text"
    for child in element:
        yield from _text_slots(child)
        yield child, "tail"


def _bind_all_but(element: Any, breaks: set[int], count: int) -> bool:
    """Bind with a no-break space every space between the element's words but those numbered in `breaks` (the
    space before its (n+1)-th word is n); whether it has the `count` spaces measured (else nothing is changed)."""
    slots = [(node, attribute, getattr(node, attribute) or "") for node, attribute in _text_slots(element)]
    flat = "".join(value for _, _, value in slots)
    runs = [match for match in SPACE.finditer(flat) if match.start() > 0 and match.end() < len(flat)]
    if len(runs) != count:
        return False
    replaced: dict[int, str] = {}
    for number, match in enumerate(runs):
        if number not in breaks:
            replaced |= dict.fromkeys(range(match.start() + 1, match.end()), "") | {match.start(): NBSP}
    offset = 0
    for node, attribute, value in slots:
        if value:
            setattr(node, attribute, "".join(replaced.get(offset + i, c) for i, c in enumerate(value)))
        offset += len(value)
    return True


def _balance(box: Any) -> bool:
    """Bind a laid-out title's spaces so that it breaks where its lines balance; whether they did not already."""
    lines = list(box.children)
    if len(lines) < 2 or box.element.get(BALANCED) is not None:
        return False
    words, spaces, starts = _words(lines)
    if len(words) > MAX_WORDS or len(words) < len(lines):
        return False
    best = balanced_starts(words, spaces, len(lines))
    if best == starts:
        return False
    unit = EVEN * max(sum(words), 1.0)
    if starts is not None and _score(_line_widths(words, spaces, best), unit) >= _score(
        _line_widths(words, spaces, starts), unit
    ):
        return False
    if not _bind_all_but(box.element, {start - 1 for start in best[1:]}, len(words) - 1):
        return False
    # Hyphenation would break a bound line inside a word where it balances; titles are not hyphenated.
    box.element.set("style", f"{box.element.get('style') or ''}; hyphens: manual".lstrip("; "))
    box.element.set(BALANCED, "")
    return True


def balance_titles(document: Document) -> bool:
    """Bind the spaces of every title and subtitle marked `data-balance` whose lines are uneven so that they break
    where they balance, on the elements of the HTML (lay the document out again to see it); whether there was
    one."""
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
