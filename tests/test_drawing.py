"""Glyphs are drawn where every reader draws them: PDFium (Chrome's and Android's viewers) against poppler."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageOps

from brochure_press.core.diagnostics import Location
from brochure_press.render.typeset import render, variant_options, write_pdf

from .conftest import REPO

#: Nastaliq raises most of a word's dots and anchors one glyph at a time: `ہفتے` after `اور`, twice.
URDU = "دن میں 8 گھنٹے اور ہفتے میں 48 گھنٹے سے زیادہ کام نہ کرنا۔ ہر ہفتے آرام کا ایک دن، تنخواہ کے ساتھ۔"
DPI = 100
#: Pixels two renderers' edges of one line may differ by (anti-aliasing); a misplaced word moves it by 15.
TOLERANCE = 2


def lines(picture: Image.Image) -> list[tuple[int, int]]:
    """The left and right edges of the ink of each line of a page picture, top to bottom."""
    ink = ImageOps.invert(picture.convert("L")).point(lambda value: 255 if value > 128 else 0)
    found, band = [], None
    for y in range(ink.height):
        row = ink.crop((0, y, ink.width, y + 1)).getbbox()
        if row is not None:
            band = (min(band[0], row[0]), max(band[1], row[2])) if band else (row[0], row[2])
        elif band is not None:
            found.append(band)
            band = None
    return found


@pytest.mark.parametrize("variant", ["print", "proof"])
def test_raised_nastaliq_glyphs_are_drawn_where_poppler_draws_them(tmp_path: Path, variant: str) -> None:
    """PDFium ignored the arrays WeasyPrint puts the pen back with after a raised glyph (an empty string and a number):
    every word after one was drawn that far out of place, `ہفتے` over `اور` with a gap after it."""
    html = (
        '<html lang="ur" dir="rtl"><head><style>@page { size: 110mm 60mm; margin: 5mm; } '
        'body { font-family: "Noto Nastaliq Urdu"; font-size: 14pt; line-height: 2.4; }</style></head>'
        f"<body><p>{URDU}</p></body></html>"
    )
    path = tmp_path / "urdu.pdf"
    path.write_bytes(write_pdf(render(html, REPO, Location(REPO)), variant_options(variant, "x-4"), "rtl"))
    drawn = pdfium.PdfDocument(path)[0].render(scale=DPI / 72).to_pil()
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-singlefile", str(path), str(tmp_path / "poppler")], check=True)
    reference = Image.open(tmp_path / "poppler.pgm")
    pdfium_lines, poppler_lines = lines(drawn), lines(reference)
    assert len(pdfium_lines) == len(poppler_lines) >= 2, (pdfium_lines, poppler_lines)
    for (left, right), (left_ref, right_ref) in zip(pdfium_lines, poppler_lines, strict=True):
        assert abs(left - left_ref) <= TOLERANCE and abs(right - right_ref) <= TOLERANCE, (pdfium_lines, poppler_lines)
