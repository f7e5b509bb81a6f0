"""Glyph coverage: every character of every text has a glyph in its language's bundled font stack."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from brochure_press.compose.fonts import FORMAT_CHARACTERS, family_coverage, stack, uncovered
from brochure_press.compose.inline import isolated_runs, plain_text
from brochure_press.core.campaignmodel import Campaign
from brochure_press.core.diagnostics import Diagnostic
from brochure_press.core.languages import language_styles
from brochure_press.core.project import Source
from brochure_press.core.walk import texts

DISPLAY_FIELDS = frozenset({"title", "heading", "name"})


def glyph_problems(source: Source[Any], campaign: Campaign, fonts_dir: Path) -> list[Diagnostic]:
    """A located error for each character no bundled font of its language's stack can draw."""
    problems, coverage = [], family_coverage(fonts_dir)
    for key, text in texts(source.model):
        for lang, value in text.root.items():
            if lang not in campaign.languages:
                continue
            stacks = dict.fromkeys(stack(each, key[-1] in DISPLAY_FIELDS) for each in language_styles(campaign, lang))
            for fonts, char in ((f, c) for f in stacks for c in uncovered(plain_text(value), f, coverage)):
                name = unicodedata.name(char, "unnamed character")
                problems.append(
                    source.diagnostic(
                        (*key, lang),
                        "error",
                        "missing-glyph",
                        f"{source.path.stem}: character {char!r} (U+{ord(char):04X} {name}) has no glyph in {', '.join(fonts)}",
                        "replace the character or bundle a font that has it in fonts/",
                    )
                )
    return problems


def _letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _foreign_runs(text: str) -> set[int]:
    """Positions of the runs set in another script than the text's own: Latin words, addresses, links, hashtags."""
    return {
        i for kind, start, end in isolated_runs(text) if kind in ("latin", "email", "url", "hashtag") for i in range(start, end)
    }


def fallback_problems(source: Source[Any], campaign: Campaign, fonts_dir: Path) -> list[Diagnostic]:
    """A warning for each character of a text in a non-Latin script that the first face of its stack lacks while
    a later face draws it: inside the line it would stand in another design, weight and height."""
    coverage = family_coverage(fonts_dir)
    problems = []
    for key, text in texts(source.model):
        for lang, value in text.root.items():
            language = campaign.languages.get(lang)
            if language is None or language.script == "Latn":
                continue
            fonts = stack(language, display=key[-1] in DISPLAY_FIELDS)
            # A face made without digits (Noto Sans Ethiopic) leaves digits and punctuation to the next by design.
            own_digits = any(ord(d) in coverage.get(fonts[0], ()) for d in "0123456789")
            plain = plain_text(value)
            foreign, seen = _foreign_runs(plain), set()
            for i, char in enumerate(plain):
                if i in foreign or char in seen or char.isspace() or char in FORMAT_CHARACTERS:
                    continue
                seen.add(char)
                if ord(char) in coverage.get(fonts[0], ()) or not (own_digits or _letter(char)):
                    continue
                face = next((f for f in fonts[1:] if ord(char) in coverage.get(f, ())), None)
                if face is not None:
                    problems.append(
                        source.diagnostic(
                            (*key, lang),
                            "warning",
                            "font-fallback",
                            f"{char!r} (U+{ord(char):04X}) is drawn by {face}, not {fonts[0]}: inside a {language.name} line "
                            "it stands in another design",
                            f"choose a {language.name} face that has it (the first of the stack in campaign.yaml)",
                        )
                    )
    return problems
