"""CSS for each of the campaign's languages: font stacks, type scale, hyphenation, script rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from brochure_press.compose.fonts import family_coverage, stack
from brochure_press.core.languages import COUNTER_STYLES
from brochure_press.core.model import Language, TypeScale

#: The sizes of a type scale as CSS lengths, by custom property (`--size-body`: `10.5pt`).
Sizes = Callable[[TypeScale], dict[str, str]]


def css_string(text: str) -> str:
    """A value from campaign.yaml as one quoted CSS string: quotes, backslashes, line breaks and `<` escaped, so it
    can neither end the string or rule nor close the `<style>` element it stands in."""
    escaped = re.sub(r'[\\"<>\x00-\x1f\x7f]', lambda match: f"\\{ord(match.group()):X} ", text)
    return f'"{escaped}"'


def _families(families: tuple[str, ...]) -> str:
    return ", ".join(css_string(family) for family in families)


def print_sizes(scale: TypeScale) -> dict[str, str]:
    """The sizes of a language's type scale in points, as campaign.yaml gives them."""
    sizes = {"body": scale.body, "heading": scale.heading, "subheading": scale.subheading, "title": scale.title}
    return {name: f"{size}pt" for name, size in {**sizes, "small": scale.small}.items()}


def _rules(code: str, language: Language, sizes: Sizes) -> str:
    """Custom properties and inherited settings on every element that names the language; the layouts use the
    properties (`p { font-size: var(--size-body) }`), so their own classes keep the last word."""
    scale = language.scale
    body, display = _families(stack(language)), _families(stack(language, display=True))
    declarations = [
        f"--font-body: {body}; --font-display: {display}",
        "; ".join(f"--size-{name}: {length}" for name, length in sizes(scale).items()),
        f"--heading-leading: {scale.heading_line_height}",
        f"font-family: var(--font-body); line-height: {scale.line_height}",
        f"hyphens: {'auto; hyphenate-limit-chars: 8 3 3' if language.hyphenate else 'manual'}",
    ]
    if language.script == "Arab":
        declarations.append("letter-spacing: normal; word-spacing: normal; text-align: start")
    return f'[lang|="{code}"] {{ {"; ".join(declarations)}; }}'


def language_css(languages: Mapping[str, Language], sizes: Sizes = print_sizes) -> str:
    """One rule per language, selected by the `lang` attribute, so a language added in campaign.yaml is set
    in its own fonts and sizes (in points for print, or as `sizes` gives them) without touching the layouts."""
    return "\n".join(_rules(code, language, sizes) for code, language in languages.items())


def page_numbers_css(language: Language) -> str:
    """Declarations for a page-margin box that writes "page n of N" in a language's words, digits and font."""
    counters = {"{page}": "page", "{pages}": "pages"}
    style = COUNTER_STYLES[language.digits]
    parts = []
    for piece in re.split(r"(\{pages?\})", language.page_of):
        if piece in counters:
            parts.append(f"counter({counters[piece]}, {style})")
        elif piece:
            parts.append(css_string(piece))
    return f"content: {' '.join(parts)}; font-family: {_families(stack(language))};"


#: What a face must draw to set the Latin runs of a line itself: letters, digits and the signs of addresses.
LATIN_RUN_CHARACTERS = frozenset(map(ord, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@.+#/: "))


#: The Latin runs inside another script as the layouts mark them: phone numbers, addresses and Latin hashtags.
LATIN_RUNS = (".phone", "bdi.address", "bdi.hashtag[lang]")


def is_latin_run(tag: str, classes: set[str], has_lang: bool) -> bool:
    """Whether an element is one of LATIN_RUNS (for what reads a page's HTML without a browser)."""
    return "phone" in classes or (tag == "bdi" and ("address" in classes or ("hashtag" in classes and has_lang)))


def _first_latin(languages: Mapping[str, Language]) -> str | None:
    return next((code for code, language in languages.items() if language.script == "Latn"), None)


def latin_run_languages(languages: Mapping[str, Language], fonts_dir: Path) -> dict[str, str]:
    """For each language not written in Latin, the language whose face sets the Latin runs and the Latin names inside
    it: itself when its first face draws them (IBM Plex Sans Arabic), else the first Latin-script language (inside
    Urdu's Nastaliq, Sinhala, Devanagari…), never a mix of three; none when no language is written in Latin."""
    latin = _first_latin(languages)
    if latin is None:
        return {}
    coverage = family_coverage(fonts_dir)
    return {
        code: code if coverage.get(stack(language)[0], frozenset()) >= LATIN_RUN_CHARACTERS else latin
        for code, language in languages.items()
        if language.script != "Latn"
    }


def latin_runs_css(languages: Mapping[str, Language], fonts_dir: Path) -> str:
    """Rules that give the Latin runs and Latin names inside another script one Latin face, spaces included, as
    `latin_run_languages` chooses it."""
    latin = _first_latin(languages)
    rules = []
    for code, face in latin_run_languages(languages, fonts_dir).items():
        if face == code:
            rules.append(f'[lang|="{code}"] [lang|="{latin}"] {{ font-family: inherit; }}')
            continue
        runs = ", ".join(f'[lang|="{code}"] {run}' for run in LATIN_RUNS)
        rules.append(f"{runs} {{ font-family: {_families(stack(languages[face]))}; }}")
    return "\n".join(rules)
