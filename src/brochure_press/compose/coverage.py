"""Glyph coverage: every character of every text has a glyph in its language's bundled font stack."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from brochure_press.compose.fonts import stack, uncovered
from brochure_press.compose.inline import plain_text
from brochure_press.core.diagnostics import Diagnostic
from brochure_press.core.model import Campaign
from brochure_press.core.project import Source
from brochure_press.core.walk import texts

DISPLAY_FIELDS = frozenset({"title", "heading", "name"})


def glyph_problems(source: Source[Any], campaign: Campaign, fonts_dir: Path) -> list[Diagnostic]:
    """A located error for each character no bundled font of its language's stack can draw."""
    problems = []
    for key, text in texts(source.model):
        for lang, value in text.root.items():
            if lang not in campaign.languages:
                continue
            fonts = stack(campaign.languages[lang], display=key[-1] in DISPLAY_FIELDS)
            for char in uncovered(plain_text(value), fonts, fonts_dir):
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
