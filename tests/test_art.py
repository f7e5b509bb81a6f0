"""The art check on its own: what a small page declares, where it is laid out, and what its PDF paints there."""

from __future__ import annotations

from brochure_press.preflight.art import unpainted_art
from brochure_press.render.art import placed_art

DRAWING = '<rect x="0" y="0" width="10" height="10" fill="#000"/>'
HTML = f"""<html><body style="margin: 0">
<p>Before the art.</p>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="40" height="40" data-art="shown">{DRAWING}</svg>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="40" height="40" data-art="hidden"
  style="display: none">{DRAWING}</svg>
<ns0:svg xmlns:ns0="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="40" height="40" data-art="prefixed">
  {DRAWING.replace("<rect", "<ns0:rect")}</ns0:svg>
<p style="page-break-before: always">A second page.</p>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="60" height="20" data-art="on page two">{DRAWING}</svg>
</body></html>"""


def test_declared_art_is_found_where_it_is_painted_and_missed_where_it_is_not() -> None:
    from weasyprint import HTML as Page

    document = Page(string=HTML).render()
    placed = placed_art(HTML, document)
    assert [(art.what, art.page) for art in placed] == [("shown", 1), ("prefixed", 1), ("on page two", 2), ("hidden", 0)]
    missing = unpainted_art(document.write_pdf(), placed)
    assert sorted(art.what for art in missing) == ["hidden", "prefixed"]
    shown = next(art for art in placed if art.what == "shown")
    assert shown.box and round(shown.box[2] - shown.box[0]) == 30  # 40 CSS px are 30 pt
    # The same drawing declared somewhere else on its page is not the one painted.
    moved = [art for art in placed if art.what == "on page two"]
    assert moved[0].box
    left, top, right, bottom = moved[0].box
    elsewhere = [type(moved[0])(moved[0].what, 2, "", (left + 200, top, right + 200, bottom))]
    assert unpainted_art(document.write_pdf(), elsewhere) == elsewhere
