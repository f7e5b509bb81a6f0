"""The bundled fonts: an isolated fontconfig, each language's stacks, and glyph coverage."""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from brochure_press.core.files import Stamp, folder_stamp, write_atomic
from brochure_press.core.fontfiles import is_font, named_as_fonts
from brochure_press.core.model import Language

#: Characters that shape text without being drawn; no font needs a glyph for them.
FORMAT_CHARACTERS = frozenset("\n\t\u200c\u200d\u200e\u200f\u00ad")


def font_files(fonts_dir: Path) -> list[Path]:
    """The bundled font files, sorted; a file named as a font that is not one is left out (`load_project` names it)."""
    return [p for p in named_as_fonts(fonts_dir) if is_font(p)]


def isolate_fontconfig(fonts_dir: Path) -> Path:
    """Point fontconfig at the bundled fonts only; call before WeasyPrint is imported."""
    key = hashlib.sha256(str(fonts_dir.resolve()).encode()).hexdigest()[:16]
    home = Path(tempfile.gettempdir()) / f"brochure-press-fontconfig-{key}"
    home.mkdir(parents=True, exist_ok=True)
    conf = home / "fonts.conf"
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{fonts_dir.resolve()}</dir>\n  <cachedir>{home / 'cache'}</cachedir>\n</fontconfig>\n"
    )
    if not conf.exists() or conf.read_text() != text:
        write_atomic(conf, text.encode())  # other processes may be reading it
    os.environ["FONTCONFIG_FILE"] = str(conf)
    return conf


def family_coverage(fonts_dir: Path) -> dict[str, frozenset[int]]:
    """Code points covered by each bundled family (all its styles together); read again when a font changes."""
    return _family_coverage(fonts_dir, folder_stamp(fonts_dir))


@cache
def _family_coverage(fonts_dir: Path, _stamp: tuple[Stamp, ...]) -> dict[str, frozenset[int]]:
    coverage: dict[str, set[int]] = {}
    for path in font_files(fonts_dir):
        font = TTFont(path, lazy=True)
        # Glyphs numbered, not named: the character map is read without decoding the `post` table's names (3× faster).
        font.setGlyphOrder([f"glyph{i}" for i in range(font["maxp"].numGlyphs)])
        family = font["name"].getBestFamilyName()
        coverage.setdefault(family, set()).update(font.getBestCmap())
        font.close()
    return {family: frozenset(points) for family, points in coverage.items()}


def stack(language: Language, display: bool = False) -> tuple[str, ...]:
    """A language's font stack for running text, or for titles and headings when `display`."""
    return tuple(language.fonts.display if display and language.fonts.display else language.fonts.body)


def uncovered(text: str, stack: tuple[str, ...], coverage: dict[str, frozenset[int]]) -> list[str]:
    """Characters of `text` that no font of `stack` has a glyph for (`coverage`: `family_coverage`'s), in order of
    appearance."""
    faces = [coverage.get(family, frozenset()) for family in stack]
    return [
        char
        for char in dict.fromkeys(text)
        if not (char.isspace() or char in FORMAT_CHARACTERS) and not any(ord(char) in face for face in faces)
    ]
