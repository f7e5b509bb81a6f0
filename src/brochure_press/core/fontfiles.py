"""Which files in fonts/ are fonts: a file with a font's name that is not one (a Git LFS pointer, a web page saved
by mistake) is named as an error, and never handed to a font reader."""

from __future__ import annotations

from pathlib import Path

from brochure_press.core.diagnostics import Diagnostic, Location

FONT_SUFFIXES = (".ttf", ".otf")
#: How TrueType and OpenType files (and collections) begin.
_SIGNATURES = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf")
_LFS_POINTER = b"version https://git-lfs"


def _head(path: Path) -> bytes:
    try:
        if not path.is_file():
            return b""
        with path.open("rb") as handle:
            return handle.read(len(_LFS_POINTER))
    except OSError:
        return b""


def named_as_fonts(fonts_dir: Path) -> list[Path]:
    """Every file in the folder whose name ends like a font's, sorted."""
    return sorted(p for p in fonts_dir.iterdir() if p.suffix.lower() in FONT_SUFFIXES) if fonts_dir.is_dir() else []


def is_font(path: Path) -> bool:
    """Whether a file begins as a TrueType or OpenType font does."""
    return _head(path)[:4] in _SIGNATURES


def font_file_problems(fonts_dir: Path) -> list[Diagnostic]:
    """An error for each file named as a font that is not one."""
    problems = []
    for path in named_as_fonts(fonts_dir):
        if is_font(path):
            continue
        pointer = _head(path).startswith(_LFS_POINTER)
        why = "is a Git LFS pointer, not the font" if pointer else "is not a TrueType or OpenType font"
        hint = "run `git lfs pull` to fetch the fonts" if pointer else "replace it by the font file, or remove it"
        problems.append(Diagnostic("error", "not-a-font", f"fonts/{path.name} {why}", Location(path), hint=hint))
    return problems
