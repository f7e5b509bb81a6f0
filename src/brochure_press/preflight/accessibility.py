"""Accessibility of tagged proofs, the rules of PDF/UA-1 that a machine can check and that the campaign asks for:
languages marked, layout not tagged as data, headings in order, lists and figures well formed, everything on a
page either read or an artifact."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping

import pikepdf

from brochure_press.core.diagnostics import PageProblem
from brochure_press.core.policy import MIN_READ_BACK_SHARE
from brochure_press.pdf.markedcontent import codes_without_actual_text, unowned_paint
from brochure_press.pdf.markedtext import marked_text
from brochure_press.pdf.readback import read_back_problems
from brochure_press.pdf.structtree import Node, content_items, is_element, kids, nodes, owned_content, role, struct_root
from brochure_press.pdf.tounicode import page_fonts, unmapped_codes, unmapped_glyphs

#: What the accessibility check verifies, in the order a report lists it.
CHECKS = (
    "tagged: marked, a structure tree, the title shown, the edition's main language in the catalog",
    "every text in the language its element declares (/Lang wherever it differs from the document's)",
    "no layout tagged as a data table: every table has header cells",
    "headings: the first one H1, at most one H1 per language, no level skipped",
    "lists: L holds LI, LI sits in L; figures have alternative text",
    "everything painted is in the structure tree or an artifact; every glyph maps to Unicode (ToUnicode, or /ActualText)",
    "annotations: in structure order (/Tabs /S), links described (/Contents)",
    f"read back (pdftotext -raw): at least {MIN_READ_BACK_SHARE:.0%} of each language's source words extracted verbatim",
)
#: ISO 15924 script codes (as `campaign.yaml` names them) and the Unicode character names that start with each.
SCRIPT_NAMES = {
    "Latn": "LATIN",
    "Arab": "ARABIC",
    "Deva": "DEVANAGARI",
    "Beng": "BENGALI",
    "Mlym": "MALAYALAM",
    "Sinh": "SINHALA",
    "Ethi": "ETHIOPIC",
    "Taml": "TAMIL",
    "Cyrl": "CYRILLIC",
}
HEADINGS = {f"H{n}": n for n in range(1, 7)}
#: E-mail addresses and URLs are spelled out in any language; PDFium may give their characters in any order.
ADDRESS = re.compile(r"^\S*(@|://|www\.)\S*$")
SAMPLE_CHARS = 40


def _script(char: str) -> str:
    """The Unicode script name a letter's name starts with (`ARABIC`, `LATIN`…), or '' for a non-letter."""
    if not unicodedata.category(char).startswith("L"):
        return ""
    return unicodedata.name(char, "").split(" ")[0]


def _catalog(pdf: pikepdf.Pdf, lang: str) -> list[PageProblem]:
    problems = []
    hint = "build the proof again with brochure-press"
    mark_info = pdf.Root.get("/MarkInfo", pikepdf.Dictionary())
    preferences = pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
    if not mark_info.get("/Marked", False) or struct_root(pdf) is None:
        problems.append(PageProblem(None, "error", "untagged", "the file is not tagged (no structure tree)", hint))
    if not str(pdf.docinfo.get("/Title", "")) or not preferences.get("/DisplayDocTitle", False):
        problems.append(PageProblem(None, "error", "title", "no document title, or viewers are not told to show it", hint))
    found = str(pdf.Root.get("/Lang", ""))
    if found != lang:
        message = f"the document's language is `{found or 'not set'}`, not the edition's main language `{lang}`"
        problems.append(PageProblem(None, "error", "document-language", message, "set `lang` on the layout's <html>"))
    return problems


def _page_numbers(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: number for number, page in enumerate(pdf.pages)}


def _languages(pdf: pikepdf.Pdf, data: bytes, scripts: Mapping[str, str], tree: list[Node]) -> list[PageProblem]:
    """Text whose letters are all of a script other than that of the language its element is read in."""
    texts = marked_text(data)
    pages = _page_numbers(pdf)
    wrong: dict[tuple[int, str, str], str] = {}
    for node in tree:
        expected = SCRIPT_NAMES.get(scripts.get(node.lang.split("-")[0], ""), "")
        for page, mcid in content_items(node.element):
            page = page if page is not None else node.element.get("/Pg")
            number = pages.get(page.objgen, -1) if isinstance(page, pikepdf.Dictionary) else -1
            text = texts.get((number, mcid), "")
            found = {s for s in map(_script, text) if s}
            if found and not ADDRESS.match(text.strip()) and expected not in found:
                wrong.setdefault((number + 1, node.lang, "/".join(sorted(found))), text)
    return [
        PageProblem(
            page,
            "error",
            "language",
            f"{script.lower()} text read as `{lang or 'no language'}`: “{text.strip()[:SAMPLE_CHARS]}”",
            "give the element the `lang` of its text",
        )
        for (page, lang, script), text in wrong.items()
    ]


def _structure(tree: list[Node], role_map: pikepdf.Dictionary | None) -> list[PageProblem]:
    problems = []
    h1: Counter[str] = Counter()
    previous = 0
    for node in tree:
        name = role(node.element, role_map)
        parent = node.element.get("/P")
        parent_role = role(parent, role_map) if isinstance(parent, pikepdf.Dictionary) and is_element(parent) else ""
        if name == "Table" and not any(role(n, role_map) == "TH" for n in _below(node.element)):
            problems.append(PageProblem(None, "error", "layout-table", "a table without header cells: layout tagged as data"))
        level = HEADINGS.get(name)
        if level:
            h1[node.lang] += level == 1
            if previous == 0 and level != 1:
                problems.append(PageProblem(None, "error", "headings", f"the first heading is {name}, not H1"))
            elif level > previous + 1 and previous:
                problems.append(PageProblem(None, "error", "headings", f"H{previous} is followed by {name}: a level skipped"))
            previous = level
        if (name == "LI") != (parent_role == "L") and (name == "LI" or parent_role == "L"):
            problems.append(PageProblem(None, "error", "lists", f"{name} in {parent_role or 'the root'}: lists are L of LI"))
        if name == "Figure" and not str(node.element.get("/Alt", "")).strip():
            problems.append(PageProblem(None, "error", "alt-text", "a figure without alternative text (/Alt)"))
    problems += [
        PageProblem(None, "error", "headings", f"{count} H1 headings in `{lang}`: the title is the one H1 of a language")
        for lang, count in h1.items()
        if count > 1
    ]
    return problems


def _below(element: pikepdf.Dictionary, depth: int = 0) -> list[pikepdf.Dictionary]:
    found = []
    for kid in kids(element):
        if is_element(kid) and depth < 64:
            found += [kid, *_below(kid, depth + 1)]
    return found


def _content(pdf: pikepdf.Pdf) -> list[PageProblem]:
    owned = owned_content(pdf)
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        for what, count in sorted(unowned_paint(page, owned.get(page.obj.objgen, set())).items()):
            message = f"{count} {what} operation(s) neither tagged nor marked as an artifact"
            problems.append(PageProblem(number, "error", "untagged-content", message, "tag it, or mark it as an artifact"))
    return problems


#: What helps when glyphs of a proof brochure-press made are mapped to no text: building it again does not.
UNMAPPED_HINT = (
    "building again does not change it: these are glyphs the font forms from several letters (conjuncts, "
    "ligatures) that could not be given their text; read the proof's text (`pdftotext`) where it matters, "
    "and report the file and its language to the maintainers"
)


def _fonts(pdf: pikepdf.Pdf) -> list[PageProblem]:
    """Fonts without ToUnicode, or with glyphs mapped to no text that are shown where no /ActualText gives the text."""
    problems = []
    ours = str(pdf.docinfo.get("/Creator", "")) == "brochure-press"
    exposed: dict[tuple[int, int], set[int]] = {}
    for page in pdf.pages:
        for shown, codes in codes_without_actual_text(page).items():
            exposed.setdefault(shown, set()).update(codes)
    for font in page_fonts(pdf):
        count = unmapped_glyphs(font)
        if count > 0:
            count = len(unmapped_codes(font) & exposed.get(font.objgen, set()))
        if count:
            what = "no ToUnicode map" if count < 0 else f"{count} glyph(s) mapped to no text, outside /ActualText"
            message = f"font {str(font.get('/BaseFont', '?')).removeprefix('/')}: {what}; screen readers skip them"
            hint = UNMAPPED_HINT if ours and count > 0 else "build the proof again with brochure-press"
            problems.append(PageProblem(None, "error", "unicode", message, hint))
    return problems


def _annotations(pdf: pikepdf.Pdf) -> list[PageProblem]:
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        annotations = list(page.obj.get("/Annots", []))
        if annotations and page.obj.get("/Tabs") != "/S":
            problems.append(PageProblem(number, "error", "tab-order", "annotations not in structure order (/Tabs /S)"))
        for annotation in annotations:
            if annotation.get("/Subtype") == "/Link" and not str(annotation.get("/Contents", "")).strip():
                problems.append(PageProblem(number, "error", "link-text", "a link without a description (/Contents)"))
    return problems


def accessibility_problems(
    data: bytes, lang: str, scripts: Mapping[str, str], expected: Mapping[str, list[str]] | None = None
) -> list[PageProblem]:
    """Every accessibility problem of a tagged PDF whose main language is `lang`; `scripts` gives each language's
    ISO 15924 script, `expected` the words per language it was typeset from (read back when given). Problems of
    one kind on the whole file are reported once."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        problems = _catalog(pdf, lang)
        root = struct_root(pdf)
        if root is None:
            return problems
        role_map = root.get("/RoleMap")
        tree = list(nodes(pdf))
        problems += _structure(tree, role_map if isinstance(role_map, pikepdf.Dictionary) else None)
        problems += _languages(pdf, data, scripts, tree) + _content(pdf) + _fonts(pdf) + _annotations(pdf)
    if expected is not None:
        problems += read_back_problems(data, expected)
    return list(dict.fromkeys(problems))
