"""Glyph coverage of the bundled fonts for the characters each edition's texts use.

Run: .venv/bin/python scripts/font_coverage.py [fonts/]  — prints the Markdown tables of fonts/README.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont


def chars(start: int, end: int) -> str:
    return "".join(chr(c) for c in range(start, end + 1))


#: Character groups measured (columns of the first table).
GROUPS: dict[str, str] = {
    "0-9": chars(0x30, 0x39),
    "Latin punctuation": "()[]%–—·#+@:.,-/'\"«»",
    "Arabic punctuation ، ؛ ؟ ٪": "،؛؟٪",
    "Urdu full stop ۔": "۔",
    "٠-٩": chars(0x660, 0x669),
    "۰-۹": chars(0x6F0, 0x6F9),
    "०-९": chars(0x966, 0x96F),
    "০-৯": chars(0x9E6, 0x9EF),
    "൦-൯": chars(0xD66, 0xD6F),
    "෦-෯": chars(0xDE6, 0xDEF),
    "। ॥": "।॥",
    "። ፣ ፤ ፧": "።፣፤፧",
    "“ ” ‘ ’ … •": "“”‘’…•",
    "₹ ৳ ₱ € £": "₹৳₱€£",
}

LATIN = chars(0x20, 0x7E).replace(" ", "")
COMMON = LATIN + "–—·«»“”‘’…•"
#: What each edition's texts may contain besides its own letters (which come from its first face).
NEEDS: dict[str, str] = {
    "en": COMMON + "€£",
    "fil": COMMON + "ÑñÁáÉéÍíÓóÚú₱",
    "ar": COMMON + "،؛؟٪" + GROUPS["٠-٩"],
    "ur": COMMON + "،؛؟٪۔" + GROUPS["۰-۹"],
    "hi": COMMON + "।॥₹" + GROUPS["०-९"],
    "ne": COMMON + "।॥" + GROUPS["०-९"],
    "bn": COMMON + "।॥৳" + GROUPS["০-৯"],
    "ml": COMMON + GROUPS["൦-൯"],
    "si": COMMON,
    "am": COMMON + "።፣፤፥፦፧፡",
}

#: Recommended stacks (exact family names as fontTools' getBestFamilyName and fontconfig report them).
STACKS: dict[str, tuple[str, ...]] = {
    "en": ("IBM Plex Sans", "Noto Sans"),
    "fil": ("IBM Plex Sans", "Noto Sans"),
    "ar": ("IBM Plex Sans Arabic", "IBM Plex Sans"),
    "ar-display": ("IBM Plex Sans Arabic", "IBM Plex Sans"),
    "ur": ("Noto Nastaliq Urdu", "Scheherazade New", "Noto Sans"),
    "ur-naskh": ("Scheherazade New", "Noto Sans"),
    "hi": ("Noto Sans Devanagari", "Noto Sans"),
    "ne": ("Noto Sans Devanagari", "Noto Sans"),
    "bn": ("Noto Sans Bengali", "Noto Sans"),
    "ml": ("Noto Sans Malayalam", "Noto Sans"),
    "si": ("Noto Sans Sinhala", "Noto Sans"),
    "am": ("Noto Sans Ethiopic", "Noto Sans"),
}


def faces(fonts_dir: Path) -> list[tuple[str, str, int, set[int], Path]]:
    out = []
    for path in sorted(p for p in fonts_dir.iterdir() if p.suffix.lower() in (".ttf", ".otf")):
        font = TTFont(path, lazy=True)
        name = font["name"]
        out.append(
            (name.getBestFamilyName(), name.getBestSubFamilyName(), font["OS/2"].usWeightClass, set(font.getBestCmap()), path)
        )
        font.close()
    return out


def code(c: str) -> str:
    """One character as Markdown code that survives a table cell."""
    return {"`": "U+0060", "|": "`\\|`"}.get(c, f"`{c}`")


def lacks(cmap: set[int], text: str) -> str:
    missing = "".join(c for c in text if ord(c) not in cmap)
    if not missing:
        return "all"
    if missing == text:
        return "none"
    return "lacks " + " ".join(code(c) for c in missing)


def main(fonts_dir: Path) -> None:
    found = faces(fonts_dir)
    rows: dict[tuple[str, tuple[str, ...]], list[tuple[str, int]]] = {}
    for family, style, weight, cmap, _ in found:
        cells = tuple(lacks(cmap, t) for t in GROUPS.values())
        rows.setdefault((family, cells), []).append((style, weight))
    print("| face | weight | " + " | ".join(GROUPS) + " |")
    print("|---|---|" + "---|" * len(GROUPS))
    for (family, cells), styles in rows.items():
        weights = "/".join(str(w) for w in sorted({w for _, w in styles}))
        print(f"| {family} {' / '.join(s for s, _ in styles)} | {weights} | " + " | ".join(cells) + " |")
    print()
    families: dict[str, set[int]] = {}
    for family, _, _, cmap, _ in found:
        families.setdefault(family, set()).update(cmap)
    print("| edition | stack | drawn by a later face of the stack | not covered |")
    print("|---|---|---|---|")
    for lang, stack in STACKS.items():
        need = NEEDS[lang.split("-")[0]]
        later, missing = [], []
        for c in dict.fromkeys(need):
            owner = next((f for f in stack if ord(c) in families.get(f, ())), None)
            if owner is None:
                missing.append(c)
            elif owner != stack[0]:
                later.append(c)
        latin = set(LATIN)
        shown = "".join(c for c in later if c not in latin or not c.isalnum())
        letters = "A–Z a–z " if any(c.isalpha() and c in latin for c in later) else ""
        digits = "0–9 " if any(c.isdigit() and c in latin for c in later) else ""
        print(
            f"| {lang} | {', '.join(stack)} | {letters}{digits}{' '.join(code(c) for c in shown) or '—'} | "
            f"{' '.join(code(c) for c in missing) or 'nothing'} |"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "fonts"))
