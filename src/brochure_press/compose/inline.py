"""Inline text to safe HTML: Markdown subset, direction isolation, unbreakable numbers, digit shaping."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from brochure_press.core.campaignmodel import Campaign
from brochure_press.core.languages import DIGITS, by_script

ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
LINK_SCHEMES = ("https://", "http://", "mailto:")

#: Bidi embeddings, overrides and isolates typed into a source can reorder what a reader sees.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: C0/C1 control characters other than tab and newline, and the byte-order mark.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")
#: Invisible characters that change the layout unseen: line and paragraph separators force a break, a typed
#: soft hyphen, zero-width space or word joiner decide where lines may break.
LAYOUT_INVISIBLES = re.compile("[\u2028\u2029\u00ad\u200b\u2060]")

#: A tag of the rendered HTML; what lies between tags is text.
TAG = re.compile(r"(<[^>]*>)")
_DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\u0d66-\u0d6f"
_NUMBER = rf"[{_DIGITS}][{_DIGITS}.,%٪–-]*"
#: Words that name a number in a citation ("Law No. 6", "القانون رقم 91"), in the campaign's languages: the word
#: before them stays with them too.
NUMBER_WORDS = ("No.", "Blg.", "رقم", "نمبر", "नं.", "संख्या", "নং", "നമ്പർ", "අංක", "ቁጥር")
_CITED = "|".join(re.escape(word) for word in NUMBER_WORDS)
#: A number with the word before and after it (and the word before a citation's number word), chained through
#: `word number` pairs (`Law No. 91 of 2013`).
NUMBER_WITH_WORDS = re.compile(rf"(?:[^\s<>]+ (?:(?:{_CITED}) )?)?{_NUMBER}(?: [^\s<>]+ {_NUMBER})*(?: [^\s<>]+)?")
#: Binds the words of an unbreakable run. A no-break space, not a `white-space: nowrap` span: WeasyPrint 70 breaks
#: a line at its first opportunity, not its last, when a nowrap span does not fit at its end ("Keep / your receipts
#: and copies of your papers in a / safe place."); a no-break space joins nothing that shapes (Arabic included).
NBSP = "\u00a0"
#: Characters after which a line may break even before a no-break space (Unicode line breaking classes BA and HY,
#: rule LB12a: hyphens, the en dash, dandas, the Ethiopic word space): a word joiner between them keeps the bond,
#: else `ഉണ്ട് – ആവശ്യ…` bound after its dash starts its next line with a visible space.
BREAK_AFTER = "-|\u00ad\u058a\u0964\u0965\u1361\u2010\u2012\u2013"
_SPACE_AFTER_BREAK = re.compile(f"(?<=[{re.escape(BREAK_AFTER)}]) ")
#: Texts of fewer words are titles, headings and labels, not paragraphs.
MIN_PARAGRAPH_WORDS = 5
#: The last two words of a text: no paragraph ends on a single word, whatever its length.
LAST_WORDS = re.compile(r"[^\s<>]+ [^\s<>]+$")


def _mark_ranges() -> str:
    """A character class body of the combining marks (vowel signs, viramas, nuktas) of the Basic Multilingual
    Plane: `\\w` matches letters but not the marks Indic and Ethiopic words are written with."""
    marks = [c for c in range(0x300, 0x10000) if unicodedata.category(chr(c)).startswith("M")]
    ranges: list[list[int]] = []
    for c in marks:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in ranges)


#: A hashtag runs over letters, digits, underscores, joiners and combining marks, in any script.
_HASHTAG = rf"\#[\w\u200c\u200d{_mark_ranges()}]+"

_RUNS = re.compile(
    rf"""
    (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
  | (?P<url>(?:https?://|www\.)[^\s<>"]*[^\s<>".,;:!?)\]،؛؟])
  | (?P<phone>\+\d[\d ]*\d|\b\d{{2,4}}(?:[ ]\d{{2,4}}){{2,}}\b)
  | (?P<hashtag>{_HASHTAG})
  | (?P<latin>[A-Za-z][A-Za-z0-9'’&./-]*(?:[ ]+[A-Za-z0-9][A-Za-z0-9'’&./-]*)*)
  | (?P<arabic>[{ARABIC}](?:[{ARABIC}\s]*[{ARABIC}])?)
    """,
    re.VERBOSE,
)


def clean(text: str) -> str:
    """Remove characters that may spoof the reading order or are invisible controls."""
    return LAYOUT_INVISIBLES.sub("", CONTROL_CHARS.sub("", BIDI_CONTROLS.sub("", text)))


def suspicious_characters(text: str) -> list[str]:
    """The bidi controls and control characters `clean` removes, as U+XXXX names."""
    found = BIDI_CONTROLS.findall(text) + CONTROL_CHARS.findall(text) + LAYOUT_INVISIBLES.findall(text)
    return sorted({f"U+{ord(c):04X}" for c in found})


def isolated_runs(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every run `plain_to_html` recognises: phone, email, url, hashtag, latin, arabic."""
    return [(match.lastgroup or "", match.start(), match.end()) for match in _RUNS.finditer(text)]


@dataclass(frozen=True)
class Writing:
    """How one language's texts are written: direction, digits, and the languages that label runs of
    another direction inside them (Latin runs in right-to-left text, Arabic-script runs in left-to-right)."""

    lang: str
    direction: str = "ltr"
    digits: str = "latn"
    latin: str = ""
    arabic: str = ""
    #: Names the campaign never breaks across lines in this language.
    keep: tuple[str, ...] = ()
    #: The language's script (ISO 15924): Latin runs in another script are labelled with `latin`.
    script: str = "Latn"
    #: Words a title line never ends on: bound to the word after them in titles (`inline_title`).
    particles: tuple[str, ...] = ()


def writing(campaign: Campaign, code: str) -> Writing:
    """The writing settings of one of the campaign's languages."""
    language = campaign.languages[code]
    scripts = by_script(campaign)
    latin, arabic = scripts.get("Latn", ""), scripts.get("Arab", "")
    return Writing(
        code,
        language.direction,
        language.digits,
        latin,
        arabic,
        tuple(language.keep_together),
        language.script,
        tuple(language.particles),
    )


def _isolate(kind: str, value: str, writing: Writing) -> str:
    """HTML for one recognised run in a text written as `writing` says."""
    safe = escape(value, quote=False)
    if kind == "phone":
        return f'<bdi dir="ltr" class="phone">{safe}</bdi>'
    # Latin runs, addresses and Latin hashtags in another script are read in the campaign's Latin language.
    latin = f' lang="{writing.latin}"' if writing.latin and writing.script != "Latn" else ""
    if kind in ("email", "url"):
        return f'<bdi dir="ltr" class="address"{latin}>{safe}</bdi>'
    if kind == "hashtag":
        direction = "rtl" if re.search(f"[{ARABIC}]", value) else "ltr"
        named = latin if re.fullmatch(r"#[A-Za-z0-9_]+", value) else ""
        return f'<bdi dir="{direction}" class="hashtag"{named}>{safe}</bdi>'
    if kind == "latin" and writing.direction == "rtl":
        return f'<bdi dir="ltr" lang="{writing.latin}">{safe}</bdi>'
    if kind == "latin" and latin:
        return f"<span{latin}>{safe}</span>"
    if kind == "arabic" and writing.direction == "ltr" and writing.lang != writing.arabic:
        return f'<bdi dir="rtl" lang="{writing.arabic}">{safe}</bdi>'
    return safe


def plain_to_html(text: str, writing: Writing) -> str:
    """Escape plain text and wrap phone numbers, addresses, hashtags and other-direction runs in isolates."""
    out: list[str] = []
    pos = 0
    for match in _RUNS.finditer(text):
        out.append(_shape_digits(escape(text[pos : match.start()], quote=False), writing.digits))
        out.append(_isolate(match.lastgroup or "", match.group(), writing))
        pos = match.end()
    out.append(_shape_digits(escape(text[pos:], quote=False), writing.digits))
    return "".join(out)


def _shape_digits(html: str, digits: str) -> str:
    return html.translate(str.maketrans(DIGITS["latn"], DIGITS[digits])) if digits != "latn" else html


def _is_web_link(url: str) -> bool:
    """Links may point to the web or to an e-mail address; anything else stays text."""
    return url.lower().startswith(LINK_SCHEMES)


@cache
def _markdown(writing: Writing) -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False}).enable(["emphasis", "link", "escape"])
    md.validateLink = _is_web_link  # type: ignore[method-assign]

    def render_text(_renderer: object, tokens: Sequence[Token], idx: int, *_: object) -> str:
        return plain_to_html(tokens[idx].content, writing)

    md.add_render_rule("text", render_text)
    return md


@cache
def _names(keep: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern for the names never broken, longest first, as they read in escaped HTML text."""
    names = sorted({escape(name, quote=False) for name in keep}, key=len, reverse=True)
    return re.compile("|".join(re.escape(name) for name in names)) if names else None


def no_break_space(before: str) -> str:
    """The space that binds a word to the one after it, when the first ends in `before`."""
    return f"\u2060{NBSP}" if before in BREAK_AFTER else NBSP


def bind_words(text: str) -> str:
    """A text whose spaces never break a line."""
    return _SPACE_AFTER_BREAK.sub(no_break_space("-"), text).replace(" ", NBSP)


def _bind(match: re.Match[str]) -> str:
    return bind_words(match.group())


def _bind_name(match: re.Match[str]) -> str:
    """A listed name, bound and never hyphenated (`.name` in base.css)."""
    return f'<span class="name">{_bind(match)}</span>'


def _bind_number(match: re.Match[str]) -> str:
    """A number with its words, bound and never hyphenated (`.bound` in base.css): a line that cannot hold `December
    2014` takes it to the next line whole, never as `Decem- / ber 2014`."""
    return f'<span class="bound">{_bind(match)}</span>'


def _keep_together(html: str, keep: tuple[str, ...], bind_last: bool) -> str:
    """Bind with no-break spaces, in the text between tags only: the names in `keep`, each number with the words
    on either side of it (`Law No. 91 of 2013`, `القانون رقم 91 لسنة 2013`, `18 سنة`, `25%`, `8–10 June`), and,
    when `bind_last`, the last two words of the text, so that no paragraph ends on a lone word (titles and
    headings, under MIN_PARAGRAPH_WORDS words, break as they are)."""
    names = _names(keep)
    if names:
        html = "".join(part if i % 2 else names.sub(_bind_name, part) for i, part in enumerate(TAG.split(html)))
    parts = TAG.split(html)
    for i in range(0, len(parts), 2):
        parts[i] = NUMBER_WITH_WORDS.sub(_bind_number, parts[i])
    last = max(range(0, len(parts), 2), key=lambda i: i if parts[i].strip() else -1)
    running_text = len(TAG.sub(" ", html).split()) >= MIN_PARAGRAPH_WORDS
    if bind_last and running_text and parts[last].strip():
        parts[last] = LAST_WORDS.sub(_bind, parts[last])
    return "".join(parts)


def inline_html(text: str, writing: Writing, bind_last: bool = True) -> Markup:
    """Render one source text (Markdown subset: bold, italic, links) to safe inline HTML, numbers kept with
    their words and, when `bind_last`, no lone word on the last line."""
    return Markup(_keep_together(_markdown(writing).renderInline(clean(text)).strip(), writing.keep, bind_last))


#: A dash between words: bound to the word before it, so that no line starts with it.
DASH = re.compile(" ([\u2013\u2014]) ")


@cache
def _particles(particles: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern for a particle standing as a word before another word, as it reads in escaped HTML text: the word
    may follow in the same text or after a tag (a listed name, `في <span class="name">دولة الكويت</span>`)."""
    words = sorted({escape(word, quote=False) for word in particles}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(rf"(?<![^\s>])({'|'.join(re.escape(word) for word in words)}) (?=[^\s<]|$)")


def inline_title(text: str, writing: Writing, bind_last: bool = True) -> Markup:
    """A title or subtitle as `inline_html` renders it, broken by sense: no line ends on one of the language's
    particles (each bound to the word after it) and no line starts with a dash (bound to the word before it)."""
    html = str(inline_html(text, writing, bind_last))
    particles = _particles(writing.particles)
    parts = TAG.split(html)
    for i in range(0, len(parts), 2):
        parts[i] = DASH.sub(f"{NBSP}\\1 ", parts[i])
        if particles:
            parts[i] = particles.sub(f"\\1{NBSP}", parts[i])
    return Markup("".join(parts))


def phone_html(number: str) -> Markup:
    """A phone number as an unbreakable left-to-right isolate, digits always Western."""
    return Markup(_isolate("phone", number, Writing("")))


def phone_text(number: str) -> str:
    """A phone number in an attribute (a link's description), which holds no markup: between the Unicode
    left-to-right isolate and its closing mark, so that it reads the right way round beside Arabic."""
    return f"\u2066{number}\u2069"


def tel_url(number: str) -> str:
    """A `tel:` link that dials a phone number as written in campaign.yaml."""
    return "tel:" + number.replace(" ", "")


def inline_tokens(text: str) -> list[Token]:
    """The inline tokens of one source text (text, emphasis, links) as `inline_html` reads them."""
    return [t for tok in _markdown(Writing("")).parseInline(clean(text)) for t in (tok.children or [])]


def plain_text(text: str) -> str:
    """The characters a reader sees in one source text, without Markdown markup."""
    return "".join(t.content for t in inline_tokens(text) if t.type == "text")
