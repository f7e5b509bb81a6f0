"""Lint rules on sources and layouts: links, e-mail and phone formats, contacts, TODO markers, bidi controls, Arabic CSS."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import tinycss2

from brochure_press.compose.inline import inline_tokens, isolated_runs, suspicious_characters
from brochure_press.core.diagnostics import Diagnostic, Location, Severity
from brochure_press.core.languages import source_language
from brochure_press.core.model import EMAIL_PATTERN, Campaign, Text
from brochure_press.core.project import Source
from brochure_press.core.sources import Key, dotted
from brochure_press.core.walk import texts
from brochure_press.editor.translations import TODO

WESTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
#: Anything that may be a phone number: digits with separators, at least seven digits in all (checked below).
PHONE_LIKE = re.compile(rf"\+?[{_DIGIT}][{_DIGIT} \u00a0\-./()]{{4,}}[{_DIGIT}]")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EMAIL_LIKE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*")
EMAIL = re.compile(EMAIL_PATTERN)
BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]،؛؟]")
#: Selectors that can only match English: rules under them may justify and letter-space freely.
ENGLISH_ONLY = (":lang(en)", "[lang=en]", "[dir=ltr]", ":dir(ltr)", ".edition-en")
HARMLESS_SPACING = frozenset({"normal", "0", "0px", "0em", "0mm", "0pt", "inherit", "initial", "unset"})
TEMPLATE_CSS = re.compile(r"(text-align(?:-last)?\s*:\s*justify|letter-spacing\s*:\s*(?!normal|0\b|0[a-z]+\b)[^;\"'}]+)", re.I)
UNFILTERED_PHONE = re.compile(r"\{\{\s*([\w.]*phone)\s*\}\}")


def _digits(number: str) -> str:
    return "".join(c for c in number.translate(WESTERN_DIGITS) if c.isdigit())


def phone_candidates(text: str) -> Iterator[re.Match[str]]:
    """Runs of a text that look like phone numbers: seven digits or more, not a date."""
    for match in PHONE_LIKE.finditer(text):
        if len(_digits(match.group())) >= 7 and not ISO_DATE.match(match.group()):
            yield match


def _isolated(text: str, start: int, end: int) -> bool:
    """Whether the layout keeps text[start:end] together, left to right (a plain digit string needs nothing)."""
    if re.fullmatch(r"\+?[0-9]+", text[start:end]):
        return True
    return any(kind == "phone" and s <= start and end <= e for kind, s, e in isolated_runs(text))


class _Pair:
    """What one text says in each language: its text runs, link targets, numbers and addresses."""

    def __init__(self, value: str) -> None:
        self.runs: list[str] = []
        self.links: list[str] = []
        for token in inline_tokens(value):
            if token.type == "text":
                self.runs.append(token.content)
            elif token.type == "link_open":
                self.links.append(str(token.attrs.get("href", "")))
        self.phones = [m.group() for run in self.runs for m in phone_candidates(run)]
        self.emails = [m.group() for run in self.runs for m in EMAIL_LIKE.finditer(run)]
        self.emails += [link[7:] for link in self.links if link.startswith("mailto:")]
        self.urls = [m.group() for run in self.runs for m in BARE_URL.finditer(run)]
        self.urls += [link for link in self.links if not link.startswith("mailto:")]

    def contacts(self) -> set[str]:
        """Numbers, addresses and links, normalised for comparing the two languages."""
        urls = {re.sub(r"^(https?://)?(www\.)?", "", u.lower()).rstrip("/") for u in self.urls}
        return {_digits(p) for p in self.phones} | {e.lower() for e in self.emails} | urls


def _link_problem(href: str) -> str:
    """Why a link target is not usable, or '' when it is. Only web and mailto targets become links at
    all (`text.LINK_SCHEMES`); anything else prints as written and is reported as a broken link."""
    parsed = urlparse(href)
    if parsed.scheme == "mailto":
        return "" if EMAIL.match(href[7:]) else f"link target `{href}` is not a valid e-mail address"
    return (
        ""
        if "." in parsed.netloc and " " not in href and "%20" not in parsed.netloc
        else f"link target `{href}` has no valid host"
    )


def _campaign_contacts(campaign: Campaign) -> tuple[list[str], list[str]]:
    phones = [campaign.hotline.phone, campaign.emergency.phone]
    emails = [c.email.lower() for c in (campaign.hotline, campaign.emergency) if c.email]
    return phones, emails


def _pair_problems(key: Key, pair: Text, source: Source[Any], campaign: Campaign) -> Iterator[Diagnostic]:
    phones, emails = _campaign_contacts(campaign)
    known_digits = [_digits(p) for p in phones]
    sides = {lang: _Pair(value) for lang, value in pair.root.items() if lang in campaign.languages}

    def at(lang: str, severity: Severity, code: str, message: str, hint: str) -> Diagnostic:
        return source.diagnostic((*key, lang), severity, code, message, hint)

    for lang, side in sides.items():
        for href in side.links:
            if why := _link_problem(href):
                yield at(lang, "error", "link", why, "write links as [text](https://…) or [address](mailto:name@example.org)")
        for run in side.runs:
            if "](" in run:
                yield at(
                    lang,
                    "error",
                    "link",
                    "broken link: it prints as written",
                    "links must start with https://, http:// or mailto:",
                )
            for match in phone_candidates(run):
                number, digits = match.group(), _digits(match.group())
                if number != number.translate(WESTERN_DIGITS):
                    yield at(
                        lang,
                        "warning",
                        "phone-digits",
                        f"phone number `{number}` uses Arabic-Indic digits",
                        "write phone numbers with 0–9",
                    )
                elif not _isolated(run, match.start(), match.end()):
                    yield at(
                        lang,
                        "warning",
                        "phone-isolation",
                        f"phone number `{number}` is not written the way the layout keeps numbers together and left to right",
                        "write it as digit groups separated by single spaces, like +965 2530 8169",
                    )
                if not any(k == digits or k.endswith(digits) for k in known_digits):
                    yield at(
                        lang,
                        "warning",
                        "unknown-phone",
                        f"phone number `{number}` is not one of the campaign's numbers ({', '.join(phones)})",
                        "check the digits; help lines belong in campaign.yaml",
                    )
        for email in side.emails:
            if not EMAIL.match(email):
                yield at(
                    lang, "warning", "email", f"`{email}` is not a complete e-mail address", "write it like name@example.org"
                )
            elif email.lower() not in emails:
                yield at(
                    lang,
                    "warning",
                    "unknown-email",
                    f"e-mail address `{email}` is not one of the campaign's ({', '.join(emails) or 'none'})",
                    "check the address; help lines belong in campaign.yaml",
                )
    source_lang = source_language(campaign)
    if source_lang not in sides:
        return
    names = {code: language.name for code, language in campaign.languages.items()}
    original = sides[source_lang].contacts()
    for lang, side in sides.items():
        only_source, only_here = original - side.contacts(), side.contacts() - original
        if lang == source_lang or not (only_source or only_here):
            continue
        differences = [
            f"only in {names[code]}: {', '.join(sorted(only))}"
            for code, only in ((source_lang, only_source), (lang, only_here))
            if only
        ]
        yield Diagnostic(
            "warning",
            "contacts-differ",
            f"{names[source_lang]} and {names[lang]} give different numbers, addresses or links ({'; '.join(differences)})",
            source.location(*key, lang),
            dotted(key),
            "give the same contacts in every language",
        )


def text_problems(source: Source[Any], campaign: Campaign, skip: Collection[Key] = ()) -> list[Diagnostic]:
    """Problems in the texts of one source: TODO markers, links, e-mail and phone formats, contacts."""
    problems: list[Diagnostic] = []
    for key, pair in texts(source.model):
        if key in skip:
            continue
        todo = [lang for lang, value in pair.root.items() if lang in campaign.languages and TODO.search(value)]
        for lang in todo:
            problems.append(
                source.diagnostic(
                    (*key, lang),
                    "warning",
                    "todo",
                    f"{campaign.languages[lang].name} text still to be written",
                    "replace the TODO text with the real one",
                )
            )
        if not todo:
            problems.extend(_pair_problems(key, pair, source, campaign))
    return problems


def control_character_problems(path: Path) -> list[Diagnostic]:
    """A warning for each line of a source file holding bidi controls or invisible control characters."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []  # reported when the file is read as YAML
    problems = []
    for number, line in enumerate(lines, start=1):
        if names := suspicious_characters(line):
            column = next(i for i, c in enumerate(line, start=1) if f"U+{ord(c):04X}" in names)
            problems.append(
                Diagnostic(
                    "warning",
                    "control-character",
                    f"invisible control character {', '.join(names)}: it can make the text read differently here than in print",
                    Location(path, number, column),
                    hint="delete it: printing removes it anyway, and numbers and names are isolated automatically",
                )
            )
    return problems


def _english_only(selector: str) -> bool:
    parts = re.sub(r"[\s\"']", "", selector.lower()).split(",")
    return all(any(marker in part for marker in ENGLISH_ONLY) for part in parts)


def _css_declarations(rules: list[Any], selector: str = "") -> Iterator[tuple[str, tinycss2.ast.Declaration]]:
    """(selector, declaration) of every style rule, looking inside @media and @supports."""
    for rule in rules:
        if rule.type == "qualified-rule":
            prelude = tinycss2.serialize(rule.prelude).strip()
            for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if declaration.type == "declaration":
                    yield prelude, declaration
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            yield from _css_declarations(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))


def _arabic_spacing(path: Path, line: int, column: int, what: str, justified: bool) -> Diagnostic:
    why = (
        "WeasyPrint has no kashida, so word gaps balloon" if justified else "letter-spacing breaks the joining of Arabic letters"
    )
    return Diagnostic(
        "warning",
        "arabic-css",
        f"{what} can reach Arabic text: {why}",
        Location(path, line, column),
        hint="limit the rule to English, e.g. `p:lang(en)`; Arabic stays start-aligned, without letter-spacing",
    )


def layout_problems(layouts_dir: Path) -> list[Diagnostic]:
    """Justified or letter-spaced Arabic in the layouts' CSS and templates, and phone numbers printed un-isolated."""
    problems = []
    for path in sorted(layouts_dir.rglob("*.css")):
        rules = tinycss2.parse_stylesheet(
            path.read_text(encoding="utf-8", errors="replace"), skip_comments=True, skip_whitespace=True
        )
        for selector, declaration in _css_declarations(rules):
            value = tinycss2.serialize(declaration.value).strip().lower().removesuffix("!important").strip()
            justified = declaration.lower_name in ("text-align", "text-align-last") and value == "justify"
            spaced = declaration.lower_name == "letter-spacing" and value not in HARMLESS_SPACING
            if (justified or spaced) and not _english_only(selector):
                what = f"`{selector} {{ {declaration.lower_name}: {value} }}`"
                problems.append(_arabic_spacing(path, declaration.source_line, declaration.source_column, what, justified))
    for path in sorted(layouts_dir.rglob("*.j2")):
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            for match in TEMPLATE_CSS.finditer(line):
                what, justified = f"`{match.group().strip()}` in a template", "justify" in match.group().lower()
                problems.append(_arabic_spacing(path, number, match.start() + 1, what, justified))
            for match in UNFILTERED_PHONE.finditer(line):
                problems.append(
                    Diagnostic(
                        "warning",
                        "phone-isolation",
                        f"`{match.group()}` prints a phone number without isolation: in Arabic it can read backwards",
                        Location(path, number, match.start() + 1),
                        hint=f"write `{{{{ {match.group(1)} | phone }}}}`",
                    )
                )
    return problems
