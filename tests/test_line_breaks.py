"""Lines as a typesetter breaks them, read back from the PDF: balanced titles, no lone first word in a bullet, no
bound group split inside a word."""

from __future__ import annotations

from pathlib import Path

import pytest

from brochure_press.compose.inline import Writing, inline_html, inline_title
from brochure_press.compose.typography import language_css
from brochure_press.core.diagnostics import Location
from brochure_press.core.project import Project, load_project
from brochure_press.render.typeset import render

from .conftest import MM, REPO, glyph_lines, line_widths, visual_lines

#: What the layouts set on all text (base.css): a word wider than its column is broken rather than run over.
BREAK_WORDS = "p { overflow-wrap: break-word }"


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(REPO)


def set_in_pdf(project: Project, tmp_path: Path, lang: str, body: str, css: str = "") -> Path:
    """A page of `body` in `lang`, set with the campaign's faces and sizes, written as a PDF."""
    direction = project.campaign.model.languages[lang].direction
    html = (
        f'<html lang="{lang}" dir="{direction}"><head><style>{language_css(project.campaign.model.languages)} '
        f"@page {{ size: 150mm 200mm; }} {css}</style></head><body>{body}</body></html>"
    )
    path = tmp_path / f"{lang}.pdf"
    path.write_bytes(render(html, REPO, Location(path)).write_pdf())
    return path


def writing_of(project: Project, lang: str, keep: tuple[str, ...] = ()) -> Writing:
    language = project.campaign.model.languages[lang]
    return Writing(lang, language.direction, particles=tuple(language.particles), keep=keep)


@pytest.mark.parametrize(
    ("lang", "title", "width_mm"),
    [
        ("ar", "واجبات أصحاب العمل تجاه العمالة الوافدة", 101),  # greedy: 245 pt over 134 pt
        ("ar", "احمِ نفسك من الاتجار بالأشخاص واعرف حقوقك في الكويت", 93),  # greedy: a third line of 88 pt
        ("hi", "तस्करी के शिकार लोगों की पहचान और मदद कैसे करें", 80),  # greedy: a third line of 71 pt
    ],
)
def test_title_lines_are_balanced(project: Project, tmp_path: Path, lang: str, title: str, width_mm: int) -> None:
    html = f'<h1 data-balance style="width: {width_mm}mm; font-size: 23pt">{inline_title(title, writing_of(project, lang))}</h1>'
    path = set_in_pdf(project, tmp_path, lang, html)
    widths = [w for w in line_widths(path, 0) if w > 20]  # a vowel mark above a line is a line of its own
    assert len(widths) >= 2, visual_lines(path, 0)
    assert max(widths) <= width_mm * MM
    assert min(widths) >= 0.75 * max(widths), (widths, visual_lines(path, 0))


def test_breaks_chosen_for_a_title_are_reused_only_where_it_is_set_alike(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process binds the breaks it chose for a title before laying out the same title again (the proof after the
    print file): laid out once, the same bytes. Set in a narrower column, the title is balanced for that column, as a
    process that never saw it balances it."""
    from weasyprint import HTML

    from brochure_press.render import balance

    title = inline_title("احمِ نفسك من الاتجار بالأشخاص واعرف حقوقك في الكويت", writing_of(project, "ar"))

    def set_at(width_mm: int, name: str) -> tuple[bytes, list[float]]:
        body = f'<div style="width: {width_mm}mm"><h1 data-balance style="font-size: 23pt">{title}</h1></div>'
        path = set_in_pdf(project, tmp_path / name, "ar", body)
        return path.read_bytes(), line_widths(path, 0)

    layouts: list[int] = []
    render_html = HTML.render

    def counted(self: HTML, *args: object, **kwargs: object) -> object:
        layouts.append(1)
        return render_html(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "render", counted)
    monkeypatch.setattr(balance, "_chosen", {})
    for name in ("first", "again", "narrow", "fresh"):
        (tmp_path / name).mkdir()
    first, wide = set_at(130, "first")
    assert len(layouts) == 2  # laid out, balanced, laid out again
    again, _ = set_at(130, "again")
    assert again == first and len(layouts) == 3
    _, narrow = set_at(93, "narrow")
    monkeypatch.setattr(balance, "_chosen", {})
    _, fresh = set_at(93, "fresh")
    assert len(narrow) != len(wide) and narrow == pytest.approx(fresh)


@pytest.mark.parametrize(
    ("lang", "before", "name", "after"),
    [
        ("ar", "وعند الخلاف، يمكن أن تتوسط بينكما إدارة العمالة المنزلية في", "الهيئة العامة للقوى العاملة", "."),
        ("en", "In a dispute, the domestic labour department can mediate at the", "Public Authority for Manpower", "."),
    ],
)
def test_a_text_that_fits_but_for_its_space_keeps_its_line(
    project: Project, tmp_path: Path, lang: str, before: str, name: str, after: str
) -> None:
    """A bullet whose words before a name fit its first line but for the space after them keeps them on it, and
    the name goes to the next line ("• وعند" alone on the first line was what WeasyPrint set)."""
    (width,) = line_widths(set_in_pdf(project, tmp_path, lang, f"<p>{before}</p>", "p { white-space: nowrap }"), 0)
    text = inline_html(f"{before} {name}{after}", writing_of(project, lang, keep=(name,)))
    css = f"ul {{ margin: 0 10mm; padding: 0 }} li {{ width: {width + 0.5}pt }}"
    lines = visual_lines(set_in_pdf(project, tmp_path, lang, f"<ul><li>{text}</li></ul>", css), 0)[::-1]
    first = [word for word in lines[0].split() if word != "•"]
    assert len(first) == len(before.split()), lines
    assert len(lines) == 2, lines


@pytest.mark.parametrize("width_mm", [42, 45, 48])
def test_a_bound_group_wider_than_its_column_breaks_between_its_words(project: Project, tmp_path: Path, width_mm: int) -> None:
    """The last two words of a paragraph set without hyphenation, bound, do not fit 42–48 mm: they break between
    them, not inside the second ("accommodates respons / ibilities.")."""
    words = "Notwithstanding extraordinary telecommunications, internationalisation accommodates responsibilities."
    html = f'<p style="width: {width_mm}mm; hyphens: manual">{inline_html(words, writing_of(project, "en"))}</p>'
    lines = visual_lines(set_in_pdf(project, tmp_path, "en", html, BREAK_WORDS), 0)[::-1]
    assert [word for line in lines for word in line.split()] == words.split(), lines


def test_a_title_whose_bound_last_words_do_not_fit_breaks_between_them(project: Project, tmp_path: Path) -> None:
    """The Malayalam title at the size and width of the bilingual edition's column (19 pt, 84 mm): its last two words,
    bound so that it does not end on a lone word, are wider than the column and break between them, not inside
    `കടമകളും` without a hyphen (`അവകാശങ്ങളും കടമ / കളും`, as the edition was set)."""
    title = "വിദേശ തൊഴിലാളികൾ – അവകാശങ്ങളും കടമകളും"
    style = "width: 84mm; font-size: 19pt; overflow-wrap: break-word"
    html = f'<h1 data-balance style="{style}">{inline_title(title, writing_of(project, "ml"))}</h1>'
    lines = visual_lines(set_in_pdf(project, tmp_path, "ml", html), 0)
    assert len(lines) > 1 and sum(len(line.split()) for line in lines) == len(title.split()), lines


def test_a_bound_name_wider_than_its_column_breaks_between_its_words(project: Project, tmp_path: Path) -> None:
    name = "المنظمة الدولية للهجرة في الكويت"
    text = inline_html(f"راجع {name} في أي وقت تشاء.", writing_of(project, "ar", keep=(name,)))
    lines = visual_lines(set_in_pdf(project, tmp_path, "ar", f'<p style="width: 30mm">{text}</p>', BREAK_WORDS), 0)
    assert sum(len(line.split()) for line in lines) == len(f"راجع {name} في أي وقت تشاء.".split()), lines


def test_a_number_and_its_words_are_never_hyphenated(project: Project, tmp_path: Path) -> None:
    """A hyphenated paragraph whose line cannot hold `December 2014.` takes it to the next line whole: the layouts'
    own rule for bound numbers (base.css), at every width from 40 to 70 mm (`Decem- / ber 2014.` was set at 69)."""
    text = inline_html(
        "A shelter for workers who have left their employers has been open since December 2014.", writing_of(project, "en")
    )
    base = (REPO / "layouts" / "base" / "base.css").read_text()
    split = []
    for width in range(40, 72, 3):
        html = f'<p style="width: {width}mm; hyphens: auto; font-size: 10pt">{text}</p>'
        (tmp_path / str(width)).mkdir()
        lines = visual_lines(set_in_pdf(project, tmp_path / str(width), "en", html, base), 0)
        split += [line for line in lines if "Decem" in line and "December 2014." not in line]
    assert not split, split


def test_a_balanced_line_never_starts_with_the_space_bound_after_a_dash(project: Project, tmp_path: Path) -> None:
    """The Malayalam subtitle balanced at the trifold cover's size: the space after its dash, bound because the
    balance breaks elsewhere, holds (a line may break after a dash even before a no-break space, Unicode's LB12a),
    so no line starts a space's width right of the others (`␣ആവശ്യമുള്ളപ്പോൾ സഹായം` was set)."""
    subtitle = "നിങ്ങൾക്ക് അവകാശങ്ങളും കടമകളും ഉണ്ട് – ആവശ്യമുള്ളപ്പോൾ സഹായം ചോദിക്കാനുള്ള അവകാശവും."
    title = inline_title(subtitle, writing_of(project, "ml"))
    indented = []
    for width in range(60, 95, 5):
        html = f'<p data-balance style="width: {width}mm; font-size: 11pt">{title}</p>'
        (tmp_path / str(width)).mkdir()
        path = set_in_pdf(project, tmp_path / str(width), "ml", html)
        lefts = [line[0][1] for line in glyph_lines(path, 0) if line[0][4] > 3]  # a vowel sign's own "line" aside
        indented += [(width, visual_lines(path, 0)) for left in lefts if left - min(lefts) > 1.5]
    assert not indented
