"""CSS for each of the campaign's languages: font stacks, type scale, hyphenation, script rules."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping

from brochure_press.compose.fonts import stack
from brochure_press.core.languages import COUNTER_STYLES
from brochure_press.core.model import Language, TypeScale

#: The sizes of a type scale as CSS lengths, by custom property (`--size-body`: `10.5pt`).
Sizes = Callable[[TypeScale], dict[str, str]]


def _families(families: tuple[str, ...]) -> str:
    return ", ".join(f'"{family}"' for family in families)


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
            parts.append(json.dumps(piece, ensure_ascii=False))
    return f"content: {' '.join(parts)}; font-family: {_families(stack(language))};"
