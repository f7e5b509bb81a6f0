"""Lint rules on source texts, one function per rule: links, e-mail and phone formats, contacts, TODO markers,
bidi controls."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from brochure_press.compose.inline import inline_tokens, isolated_runs, suspicious_characters
from brochure_press.core.campaignmodel import Campaign
from brochure_press.core.diagnostics import Diagnostic, Location, Severity
from brochure_press.core.files import read_bounded
from brochure_press.core.languages import source_language
from brochure_press.core.model import EMAIL_PATTERN
from brochure_press.core.project import Source
from brochure_press.core.sources import MAX_SOURCE_BYTES, Key, dotted
from brochure_press.core.translations import TODO, todo_problems
from brochure_press.core.walk import texts

WESTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
#: Anything that may be a phone number: digits with separators, at least seven digits in all (checked below).
PHONE_LIKE = re.compile(rf"\+?[{_DIGIT}][{_DIGIT} \u00a0\-./()]{{4,}}[{_DIGIT}]")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Starts only where a run of address characters starts, so a long text is scanned once, not once per letter.
EMAIL_LIKE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*")
EMAIL = re.compile(EMAIL_PATTERN)
BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]،؛؟]")


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


@dataclass(frozen=True)
class _Texts:
    """One text in every language it is written in, with what the rules need to report on it."""

    key: Key
    source: Source[Any]
    campaign: Campaign
    sides: dict[str, _Pair]

    def at(self, lang: str, severity: Severity, code: str, message: str, hint: str) -> Diagnostic:
        return self.source.diagnostic((*self.key, lang), severity, code, message, hint)

    def runs(self) -> Iterator[tuple[str, str]]:
        return ((lang, run) for lang, side in self.sides.items() for run in side.runs)

    def phones(self) -> Iterator[tuple[str, str, re.Match[str]]]:
        return ((lang, run, match) for lang, run in self.runs() for match in phone_candidates(run))


def link_targets(texts: _Texts) -> Iterator[Diagnostic]:
    """Links whose target is not a usable web address or e-mail address."""
    for lang, side in texts.sides.items():
        for href in side.links:
            if why := _link_problem(href):
                yield texts.at(
                    lang, "error", "link", why, "write links as [text](https://…) or [address](mailto:name@example.org)"
                )


def broken_links(texts: _Texts) -> Iterator[Diagnostic]:
    """Link syntax that did not become a link and would print as written."""
    for lang, run in texts.runs():
        if "](" in run:
            yield texts.at(
                lang, "error", "link", "broken link: it prints as written", "links must start with https://, http:// or mailto:"
            )


def phone_digits(texts: _Texts) -> Iterator[Diagnostic]:
    """Phone numbers in other digits than 0–9, which people cannot dial as printed."""
    for lang, _, match in texts.phones():
        if match.group() != match.group().translate(WESTERN_DIGITS):
            message = f"phone number `{match.group()}` uses Arabic-Indic digits"
            yield texts.at(lang, "warning", "phone-digits", message, "write phone numbers with 0–9")


def phone_isolation(texts: _Texts) -> Iterator[Diagnostic]:
    """Phone numbers written so that the layout cannot keep them together and left to right."""
    for lang, run, match in texts.phones():
        number = match.group()
        if number == number.translate(WESTERN_DIGITS) and not _isolated(run, match.start(), match.end()):
            yield texts.at(
                lang,
                "warning",
                "phone-isolation",
                f"phone number `{number}` is not written the way the layout keeps numbers together and left to right",
                "write it as digit groups separated by single spaces, like +965 2530 8169",
            )


def unknown_phones(texts: _Texts) -> Iterator[Diagnostic]:
    """Phone numbers that are not one of the campaign's help lines."""
    phones, _ = _campaign_contacts(texts.campaign)
    known = [_digits(p) for p in phones]
    for lang, _, match in texts.phones():
        digits = _digits(match.group())
        if not any(k == digits or k.endswith(digits) for k in known):
            yield texts.at(
                lang,
                "warning",
                "unknown-phone",
                f"phone number `{match.group()}` is not one of the campaign's numbers ({', '.join(phones)})",
                "check the digits; help lines belong in campaign.yaml",
            )


def email_addresses(texts: _Texts) -> Iterator[Diagnostic]:
    """E-mail addresses that are incomplete or not the campaign's."""
    _, emails = _campaign_contacts(texts.campaign)
    for lang, side in texts.sides.items():
        for email in side.emails:
            if not EMAIL.match(email):
                yield texts.at(
                    lang, "warning", "email", f"`{email}` is not a complete e-mail address", "write it like name@example.org"
                )
            elif email.lower() not in emails:
                yield texts.at(
                    lang,
                    "warning",
                    "unknown-email",
                    f"e-mail address `{email}` is not one of the campaign's ({', '.join(emails) or 'none'})",
                    "check the address; help lines belong in campaign.yaml",
                )


def contacts_agree(texts: _Texts) -> Iterator[Diagnostic]:
    """Every translation gives the same numbers, addresses and links as the source text."""
    campaign, sides = texts.campaign, texts.sides
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
            texts.source.location(*texts.key, lang),
            dotted(texts.key),
            "give the same contacts in every language",
        )


#: The rules every written text goes through, in the order their findings are listed.
TEXT_RULES: tuple[Callable[[_Texts], Iterator[Diagnostic]], ...] = (
    link_targets,
    broken_links,
    phone_digits,
    phone_isolation,
    unknown_phones,
    email_addresses,
    contacts_agree,
)


def text_problems(source: Source[Any], campaign: Campaign, skip: Collection[Key] = ()) -> list[Diagnostic]:
    """Problems in the texts of one source: TODO markers, links, e-mail and phone formats, contacts."""
    problems = todo_problems(source, campaign, skip)
    for key, pair in texts(source.model):
        if key in skip:
            continue
        if not any(TODO.search(value) for value in pair.root.values()):
            sides = {lang: _Pair(value) for lang, value in pair.root.items() if lang in campaign.languages}
            problems.extend(d for rule in TEXT_RULES for d in rule(_Texts(key, source, campaign, sides)))
    return problems


def _emphasis(text: str) -> tuple[int, int]:
    """How many bold (`**`) and italic (`*`) markers a text has."""
    return text.count("**"), text.replace("**", "").count("*")


def emphasis_problems(source: Source[Any], campaign: Campaign) -> list[Diagnostic]:
    """A warning for each translation that marks another number of bold or italic runs than its source text (a CAT
    tool may drop the markers); for imported translations, since a hand-written one may emphasise otherwise."""
    original = source_language(campaign)
    problems = []
    for key, text in texts(source.model):
        if original not in text.root or TODO.search(text.root[original]):
            continue
        bold, italic = _emphasis(text.root[original])
        for lang, value in text.root.items():
            if lang != original and lang in campaign.languages and _emphasis(value) != (bold, italic):
                counted = f"{bold // 2} bold, {italic // 2} italic"
                message = f"the markers of bold (**) or italic (*) differ from the source text's ({counted})"
                hint = "mark the same words bold or italic as the source text does"
                problems.append(source.diagnostic((*key, lang), "warning", "emphasis-differs", message, hint))
    return problems


def control_character_problems(path: Path) -> list[Diagnostic]:
    """A warning for each line of a source file holding bidi controls or invisible control characters."""
    try:
        lines = read_bounded(path, MAX_SOURCE_BYTES).decode("utf-8-sig").splitlines()
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
