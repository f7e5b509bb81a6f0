"""Line breaks WeasyPrint 70 gets wrong: a text that fits but for its trailing space, and bound words split mid-word.

WeasyPrint splits a text box with Pango and compares the first line's width with the space left, counting the
collapsible space at its end. A text followed by an inline element (`في <span class="name">…</span>`) ends with
that space; when the text fits the line but its space does not, WeasyPrint takes the line for one that cannot be
split and breaks after its first word ("• وعند" and the rest of the bullet on the next line). The hook sets such a
text without its space, as a line that fits, so that the break falls before the element.

Words bound with no-break spaces (a name, a citation, the last two words of a paragraph) that together are wider
than their column are split by `overflow-wrap: break-word` inside a word, without a hyphen ("accommodates
respons / ibilities."). `unbind_split_groups` gives such a group back its spaces, so that it breaks between its
words, and the document is laid out again.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from brochure_press.render.engine import page_box, wrap_once
from brochure_press.render.fit import HYPHEN, _descendants, _paragraphs

if TYPE_CHECKING:
    from weasyprint import Document

#: The hook wrapped, by its full name.
HOOK = "weasyprint.layout.inline.split_first_line"
#: What layouts get without the hook.
CONSEQUENCE = "a line that fits but for its trailing space would hold one word"
NBSP = "\u00a0"
#: Words bound with no-break spaces: runs of characters that are neither spaces nor line breaks.
BOUND_GROUP = re.compile(f"[^ \t\n\r{NBSP}]+(?:{NBSP}[^ \t\n\r{NBSP}]+)+")


def install() -> None:
    """Wrap WeasyPrint's first-line splitter once per process; an error when WeasyPrint has no such splitter."""
    from weasyprint.layout import inline

    wrap_once(inline, "split_first_line", HOOK, CONSEQUENCE, _keeping_fitting_lines)


def _keeping_fitting_lines(original: Any) -> Any:
    """The splitter that gives a line which fits but for its trailing space all its words."""

    def split_first_line(text: str, style: Any, context: Any, max_width: Any, *rest: Any, **options: Any) -> Any:
        result = original(text, style, context, max_width, *rest, **options)
        stripped = text.rstrip(" ")
        if result[2] is None or stripped == text or not stripped or style["white_space"] not in ("normal", "pre-line"):
            return result
        whole = original(stripped, style, context, max_width, *rest, **options)
        return whole if whole[2] is None else result

    return split_first_line


def _in_word(character: str) -> bool:
    """Whether a character belongs to a word: a letter, a combining mark (Indic vowel signs, harakat), a digit."""
    return unicodedata.category(character)[0] in "LMN"


def _texts(line: Any) -> list[str]:
    return [box.text for box in _descendants(line) if hasattr(box, "text") and box.text]


def _split_words(paragraph: Any) -> list[str]:
    """The word pieces on either side of every line break of a paragraph that falls inside a word without a
    hyphen, each pair joined: what the break cut in two."""
    lines = [_texts(line) for line in paragraph.children]
    cut = []
    for before, after in pairwise(lines):
        if not before or not after or before[-1].endswith(HYPHEN):
            continue
        end, start = before[-1], after[0]
        if _in_word(end[-1]) and _in_word(start[0]):
            cut.append(re.split(f"[ {NBSP}]", end)[-1] + re.split(f"[ {NBSP}]", start)[0])
    return cut


def _unbind(element: Any, word: str) -> bool:
    """Give the bound group of the element's text that holds `word` its spaces back; whether one did."""
    for node in element.iter():
        for attribute in ("text", "tail") if node is not element else ("text",):
            value = getattr(node, attribute) or ""
            for group in BOUND_GROUP.findall(value):
                if word in group.replace(NBSP, ""):
                    setattr(node, attribute, value.replace(group, group.replace(NBSP, " ")))
                    return True
    return False


def unbind_split_groups(document: Document) -> bool:
    """Give back their spaces to the bound groups that a line break splits inside a word, on the elements of the
    HTML (lay the document out again to see it); whether there was one."""
    changed = False
    for page in document.pages:
        for paragraph in _paragraphs(page_box(page)):
            if paragraph.element is None:
                continue
            for word in _split_words(paragraph):
                changed = _unbind(paragraph.element, word) or changed
    return changed
