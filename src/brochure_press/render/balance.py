"""Balanced title lines: a title or subtitle set on several lines gets lines of about one length, not a full line
and a short one (WeasyPrint 70 has no `text-wrap: balance`).

The layouts mark titles and subtitles `data-balance`. Once laid out, each one's words are measured with the font
that draws them (Pango, as WeasyPrint sets them), and the breaks between words, on as many lines as WeasyPrint set,
are chosen that make the longest line shortest and, among those, the lines most even. The other spaces of the
title are bound with no-break spaces: laid out again, its lines break there and only there (the words of two of
its lines never fit one line, or WeasyPrint would have set fewer lines). Breaks fall between words only, so a
particle stays bound to the word after it and a dash to the word before it (`inline_title`).

A process remembers the breaks it chose for a title, with the width and type it was set in: the print file and the
proof of an edition, and an edition laid out again with blank pages, set the same title at the same width. Those
breaks are bound before the first layout (`bind_chosen`) and kept when the title is found set at that width in that
type; otherwise the title is given back its spaces and balanced anew. The pages are the same either way.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any, get_args

from brochure_press.compose.inline import no_break_space
from brochure_press.core.model import Variant
from brochure_press.render.engine import page_box
from brochure_press.render.fit import HYPHEN, _descendants

if TYPE_CHECKING:
    from weasyprint import Document

#: The attribute layouts put on the elements whose lines are balanced.
BALANCE = "data-balance"
#: The attribute set on an element once balanced: it is not measured again.
BALANCED = "data-balanced"
#: Its value while the breaks bound before layout (`bind_chosen`) are not yet confirmed.
CHOSEN = "chosen"
#: Longest lines within this fraction of each other are as short as each other: the evener lines win.
EVEN = 0.02
#: Titles of more words are left as they are (the breaks tried grow fast with the words).
MAX_WORDS = 24
#: Collapsible white space: where a line may break.
SPACE = re.compile(r"[ \t\n\r]+")


@dataclass(frozen=True)
class Choice:
    """Breaks chosen for a title (the spaces numbered in `breaks` of its `count`), for the width (CSS pixels) and the
    type (`setting`) it was set in."""

    breaks: frozenset[int]
    count: int
    width: float
    setting: tuple[Any, ...]


#: The computed properties that decide how wide a title's words are set.
SETTING = ("font_family", "font_size", "font_weight", "font_style", "font_stretch", "letter_spacing", "word_spacing")
#: The breaks chosen in this process, by the page the title is on (`page_kind`) and the title's texts and attributes.
_chosen: dict[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], Choice] = {}
#: Titles bound before layout: the choice bound, and the texts and attributes to give back when it does not hold.
_bound: weakref.WeakKeyDictionary[Any, tuple[Choice, list[tuple[Any, str, Any]]]] = weakref.WeakKeyDictionary()


def page_kind(root: Any) -> str:
    """What sets a document's pages alike, print file or proof: its language, direction and the classes of its
    body but the variant's (the layout's edition class)."""
    body = next((e for e in root.iter() if str(e.tag).rsplit("}", 1)[-1] == "body"), None)
    classes = [c for c in (body.get("class", "") if body is not None else "").split() if c not in get_args(Variant)]
    return f"{root.get('lang')} {root.get('dir')} {' '.join(classes)}"


def _title_key(element: Any, kind: str) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    texts = tuple(getattr(node, attribute) or "" for node, attribute in _text_slots(element))
    return kind, texts, tuple(sorted((str(k), str(v)) for k, v in element.attrib.items()))


def _setting(style: Any) -> tuple[Any, ...]:
    """What decides how wide a title's words are set."""
    return tuple(str(style[key]) for key in SETTING)


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
            replaced |= dict.fromkeys(range(match.start() + 1, match.end()), "")
            replaced[match.start()] = no_break_space(flat[match.start() - 1])
    offset = 0
    for node, attribute, value in slots:
        if value:
            setattr(node, attribute, "".join(replaced.get(offset + i, c) for i, c in enumerate(value)))
        offset += len(value)
    return True


def _bind(element: Any, choice: Choice) -> bool:
    if not _bind_all_but(element, set(choice.breaks), choice.count):
        return False
    # Hyphenation would break a bound line inside a word where it balances; titles are not hyphenated.
    element.set("style", f"{element.get('style') or ''}; hyphens: manual".lstrip("; "))
    return True


def bind_chosen(root: Any) -> None:
    """Bind, before layout, the breaks this process chose for titles like those in the HTML tree under `root`, on
    pages of the same kind."""
    kind = page_kind(root)
    for element in root.iter():
        choice = _chosen.get(_title_key(element, kind)) if element.get(BALANCE) is not None else None
        if choice is None:
            continue
        original: list[tuple[Any, str, Any]] = [(node, slot, getattr(node, slot)) for node, slot in _text_slots(element)]
        original.append((element, "attrib", dict(element.attrib)))
        if _bind(element, choice):
            _bound[element] = (choice, original)
            element.set(BALANCED, CHOSEN)


def _confirm(box: Any) -> bool:
    """Keep breaks bound before layout if the title is set at the width and in the type they were chosen for;
    else give it back its spaces (whether it must be laid out again)."""
    choice, original = _bound.pop(box.element, (None, []))
    if choice is None or (abs(choice.width - box.width) < 0.01 and choice.setting == _setting(box.style)):
        box.element.set(BALANCED, "")
        return False
    for node, attribute, value in original:
        if attribute == "attrib":
            node.attrib.clear()
            node.attrib.update(value)
        else:
            setattr(node, attribute, value)
    return True


def _balance(box: Any, kind: str) -> bool:
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
    key = _title_key(box.element, kind)
    choice = Choice(frozenset(start - 1 for start in best[1:]), len(words) - 1, box.width, _setting(box.style))
    if not _bind(box.element, choice):
        return False
    box.element.set(BALANCED, "")
    _chosen[key] = choice
    return True


def balance_titles(document: Document, root: Any) -> bool:
    """Bind the spaces of every title and subtitle marked `data-balance` whose lines are uneven so that they break
    where they balance, on the elements of the HTML (lay the document out again to see it); whether there was
    one. `root` is the document's HTML tree."""
    from weasyprint.formatting_structure import boxes

    kind = page_kind(root)
    changed = False
    for page in document.pages:
        for box in _descendants(page_box(page)):
            element = getattr(box, "element", None)
            if element is None or element.get(BALANCE) is None or not isinstance(box, boxes.BlockBox):
                continue
            if element.get(BALANCED) == CHOSEN:
                changed = _confirm(box) or changed
            elif all(isinstance(child, boxes.LineBox) for child in box.children):
                changed = _balance(box, kind) or changed
    return changed
