"""Web fonts: the bundled faces a page's languages use, each subset to the characters of that page, as WOFF2."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import uharfbuzz as hb
from fontTools.ttLib import TTFont

from brochure_press.compose.fonts import FORMAT_CHARACTERS, font_files
from brochure_press.compose.inline import NBSP
from brochure_press.core.files import Stamp, folder_stamp, stamp

#: Folder of the site that holds the subsets.
FONTS_FOLDER = "fonts"
#: The name records a subset keeps: copyright, family and style (the others only name the full font).
NAME_IDS = [0, 1, 2]


@dataclass(frozen=True)
class Face:
    """One bundled font file: its family, weight and style as CSS names them."""

    family: str
    weight: int
    style: str
    path: Path


@dataclass(frozen=True)
class WebFont:
    """A face subset for one page: where the site serves it, and its bytes."""

    face: Face
    name: str
    data: bytes


def faces(fonts_dir: Path) -> dict[str, tuple[Face, ...]]:
    """Bundled faces by family, regular before bold, upright before italic; read again when a font changes."""
    return _faces(fonts_dir, folder_stamp(fonts_dir))


@cache
def _faces(fonts_dir: Path, _stamp: tuple[Stamp, ...]) -> dict[str, tuple[Face, ...]]:
    found: dict[str, list[Face]] = {}
    for path in font_files(fonts_dir):
        font = TTFont(path, lazy=True)
        family = font["name"].getBestFamilyName()
        style = "italic" if font["OS/2"].fsSelection & 1 else "normal"
        found.setdefault(family, []).append(Face(family, font["OS/2"].usWeightClass, style, path))
        font.close()
    return {family: tuple(sorted(group, key=lambda f: (f.style, f.weight))) for family, group in found.items()}


@cache
def _subset(path: Path, _stamp: Stamp, characters: frozenset[int]) -> bytes | None:
    face = hb.Face(hb.Blob.from_file_path(path))
    used = characters & set(face.unicodes)
    if not used:
        return None
    # HarfBuzz's subsetter (the one font services use) keeps the layout features browsers apply by default:
    # joining forms, ligatures, marks, kerning, Indic shaping; and the glyphs they reach from `used`.
    wanted = hb.SubsetInput()
    for code in sorted(used):
        wanted.unicode_set.add(code)
    names = wanted.sets(hb.SubsetInputSets.NAME_ID)
    names.clear()
    for name_id in NAME_IDS:
        names.add(name_id)
    # Phone screens draw outlines unhinted: hinting would weigh a fifth of a subset.
    wanted.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    font = TTFont(io.BytesIO(hb.subset(face, wanted).blob.data), recalcTimestamp=False)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def subset_face(face: Face, characters: frozenset[int]) -> WebFont | None:
    """`face` cut down to `characters` (and the glyphs shaping reaches from them), or None when it has none of
    them. The original's dates are kept, so the bytes depend on the font and the characters alone."""
    data = _subset(face.path, stamp(face.path), characters)
    if data is None:
        return None
    digest = hashlib.sha256(data).hexdigest()[:12]
    return WebFont(face, f"{FONTS_FOLDER}/{face.path.stem}.{digest}.woff2", data)


def drawn(text: str) -> frozenset[int]:
    """The characters a browser draws for `text`: white space as spaces (U+0020, as HTML collapses it), no-break
    spaces as themselves, format characters (joiners, soft hyphens) not at all."""
    chars = {" " if c.isspace() and c != NBSP else c for c in text}
    return frozenset(ord(c) for c in chars if c not in FORMAT_CHARACTERS)


def page_fonts(fonts_dir: Path, families: dict[str, str], italic: bool, regular: dict[str, str]) -> list[WebFont]:
    """The subsets a page needs: each face of a family that draws one of the characters of its text
    (`families`: family → the text set in it; `regular`: text only the regular face draws), italics only when
    the page has emphasis."""
    bundled = faces(fonts_dir)
    out = []
    for family in sorted(families.keys() | regular.keys()):
        for face in bundled.get(family, ()):
            if face.style == "italic" and not italic:
                continue
            text = families.get(family, "") + (regular.get(family, "") if (face.style, face.weight) == ("normal", 400) else "")
            font = subset_face(face, drawn(text))
            if font is not None:
                out.append(font)
    return out


def font_face_css(fonts: list[WebFont], root: str) -> str:
    """@font-face rules for a page `root` (a relative path ending in `/`, or empty) below the site's root."""
    rules = []
    for font in fonts:
        face = font.face
        rules.append(
            f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; font-style: {face.style}; '
            f'font-display: swap; src: url("{root}{font.name}") format("woff2"); }}'
        )
    return "\n".join(rules)
