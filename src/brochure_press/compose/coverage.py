"""Glyph coverage: every character of every text has a glyph in its language's bundled font stack."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from brochure_press.compose.fonts import STACKS, uncovered
from brochure_press.compose.inline import plain_text
from brochure_press.core.diagnostics import Diagnostic
from brochure_press.core.project import Source
from brochure_press.core.walk import texts

DISPLAY_FIELDS = frozenset({"title", "heading", "name"})


def _stack(key: tuple[str | int, ...], lang: str) -> tuple[str, ...]:
    display = lang == "ar" and any(k in DISPLAY_FIELDS for k in key[-1:])
    return STACKS["ar-display" if display else lang]


def glyph_problems(source: Source, fonts_dir: Path, languages: tuple[str, ...] = ("en", "ar")) -> list[Diagnostic]:
    """A located error for each character no bundled font of its stack can draw."""
    problems = []
    for key, pair in texts(source.model):
        for lang in languages:
            stack = _stack(key, lang)
            for char in uncovered(plain_text(getattr(pair, lang)), stack, fonts_dir):
                name = unicodedata.name(char, "unnamed character")
                problems.append(
                    source.diagnostic(
                        (*key, lang),
                        "error",
                        "missing-glyph",
                        f"{source.path.stem}: character {char!r} (U+{ord(char):04X} {name}) has no glyph in {', '.join(stack)}",
                        "replace the character or bundle a font that has it in fonts/",
                    )
                )
    return problems
