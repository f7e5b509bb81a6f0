"""Accessible proofs: the structure tree of the built proofs read back with pikepdf: languages, no layout tables,
headings, artifacts, reading order; the PDF/UA-1 claim and the proof check."""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from pathlib import Path
from typing import get_args

import pikepdf
import pytest

from brochure_press.build.run import run
from brochure_press.cli import main
from brochure_press.compose.inline import plain_text
from brochure_press.core.jobs import Job
from brochure_press.core.languages import language_scripts
from brochure_press.core.model import Brochure, Panel, Text
from brochure_press.core.project import Project, load_project
from brochure_press.pdf.markedcontent import codes_without_actual_text, content_streams, mcid
from brochure_press.pdf.markedtext import marked_text
from brochure_press.pdf.structtree import content_items, kids, nodes, role
from brochure_press.preflight.accessibility import accessibility_problems
from brochure_press.preflight.proofcheck import check_proof
from brochure_press.render.pdfua import claim_pdfua
from brochure_press.render.typeset import install_tagging

BROCHURE = "employer-duties"
Signature = tuple[str, ...]


def proof(built: dict[Job, Path], edition: str, brochure: str = BROCHURE) -> Path:
    return built[Job(brochure, edition, "proof")]


def signature(text: str) -> Signature:
    """The letters of a text, in any order: PDFium may give right-to-left runs and ligatures in visual order."""
    return tuple(sorted(ch for ch in text if ch.isalpha()))


def tree_texts(path: Path) -> list[tuple[str, str, str]]:
    """(role, language, text) of every element that holds text itself, in the order of the structure tree."""
    texts = marked_text(path.read_bytes())
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        found = []
        for node in nodes(pdf):
            items = list(content_items(node.element))
            if items:
                text = "".join(texts.get((pages[(page or node.element.Pg).objgen], n), "") for page, n in items)
                found.append((role(node.element), node.lang, text))
    return found


def claims_pdfua(path: Path) -> bool:
    with pikepdf.open(path) as pdf, pdf.open_metadata() as xmp:
        return xmp.get("pdfuaid:part") == "1"


def source_texts(brochure: Brochure, lang: str, panels: bool) -> list[Text]:
    """A brochure's own texts in reading order: title, subtitle, then each section's heading and blocks (in the
    panels' reading order for folded sheets)."""
    sections = sorted(brochure.sections, key=lambda s: get_args(Panel).index(s.panel)) if panels else brochure.sections
    out = [brochure.title, *([brochure.subtitle] if brochure.subtitle else [])]
    for section in sections:
        out += [section.heading] if section.heading else []
        for block in section.blocks:
            out += block.bullets if block.kind == "bullets" else [getattr(block, block.kind)]
    return out


def is_subsequence(wanted: list[Signature], found: list[Signature]) -> bool:
    rest = iter(found)
    return all(any(item == candidate for candidate in rest) for item in wanted)


def test_arabic_is_read_as_arabic_and_english_as_english(built: dict[Job, Path]) -> None:
    for edition, document in (("bilingual", "en"), ("en", "en"), ("ar", "ar")):
        path = proof(built, edition)
        with pikepdf.open(path) as pdf:
            assert str(pdf.Root.Lang) == document
            declared = Counter(str(n.element.Lang) for n in nodes(pdf) if "/Lang" in n.element and role(n.element) != "Span")
            runs = {str(n.element.get("/Lang")) for n in nodes(pdf) if role(n.element) == "Span"}
        found = tree_texts(path)
        arabic = [lang for _, lang, text in found if any("\u0600" <= ch <= "\u06ff" for ch in text)]
        latin = [lang for _, lang, text in found if "@" not in text and any("a" <= ch.lower() <= "z" for ch in text)]
        assert all(lang == "ar" for lang in arabic) and all(lang == "en" for lang in latin), edition  # addresses aside
        assert bool(arabic) == (edition != "en") and (bool(latin) or edition == "ar"), edition
        # /Lang only where the language changes: on the Arabic part of the bilingual edition, and on Latin runs
        # (names, addresses) inside Arabic lines; nowhere in the English edition.
        # bilingual: the Arabic half, and the Arabic line of the padding page's "intentionally left blank" notice
        wanted = {"bilingual": Counter({"ar": 2}), "en": Counter(), "ar": Counter()}  # ar: the QR's address is a Span
        assert declared == wanted[edition], edition
        # runs: Latin ones in Arabic lines; in the bilingual edition, the reader notice's Arabic too
        others = {"en": set(), "ar": {"en"}, "bilingual": {"en", "ar"}}[edition]
        assert runs <= others and (runs or edition != "ar"), edition


def test_the_bilingual_layout_is_not_tagged_as_a_table(built: dict[Job, Path]) -> None:
    for job, path in built.items():
        if job.variant == "proof":
            with pikepdf.open(path) as pdf:
                roles = Counter(role(n.element) for n in nodes(pdf))
            assert not roles.keys() & {"Table", "TR", "TD", "TH", "TBody"}, job  # no source has a table
            assert "NonStruct" not in roles, job  # no meaningless wrappers left
            spans = [n.element for n in nodes(pdf) if role(n.element) == "Span"] if roles["Span"] else []
            assert all("/Lang" in span for span in spans), job  # a Span is a run in another language
            assert roles["L"] and roles["LI"] == roles["LBody"], job


def test_the_title_is_the_one_h1_of_each_language_and_headings_follow(built: dict[Job, Path], real_project: Project) -> None:
    for job, path in built.items():
        if job.variant != "proof":
            continue
        headings = [(r, lang, text) for r, lang, text in tree_texts(path) if r in ("H1", "H2", "H3")]
        titles = [(lang, text) for r, lang, text in headings if r == "H1"]
        title = real_project.brochures[job.brochure].model.title
        assert sorted(lang for lang, _ in titles) == sorted(set(lang for lang, _ in titles)), job
        if claims_pdfua(path):  # every glyph has its text: the title reads exactly
            assert all(signature(text) == signature(title[lang]) for lang, text in titles), job
        assert headings[0][0] == "H1", job
        levels = [int(r[1]) for r, _, _ in headings]
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), job


def test_watermark_running_heads_and_page_numbers_are_artifacts(built: dict[Job, Path]) -> None:
    path = proof(built, "bilingual")
    tree = " ".join(text for _, _, text in tree_texts(path))
    # The Arabic mark in either order (the tree gives /ActualText in logical order, render.actualtext).
    for outside in ("ةدوسم", "Page 1 of 4", "Together Against Trafficking in Persons Together"):
        assert outside not in tree
    assert tree.count("DRAFT") == tree.count("مسودة") == 1  # the notice read first, in both languages, not the mark
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        opened = [
            str(i.operands[0])
            for _, instructions in content_streams(page)
            for i in instructions
            if str(i.operator) in ("BDC", "BMC") and mcid(i) is None
        ]
        assert opened.count("/Artifact") >= 12  # running heads, page numbers, the DRAFT mark, rules and tints
    assert accessibility_problems(path.read_bytes(), "en", {"en": "Latn", "ar": "Arab"}) == []


def test_print_masters_stay_untagged_and_have_no_slug_in_proofs(built: dict[Job, Path]) -> None:
    for job, path in built.items():
        with pikepdf.open(path) as pdf:
            tagged = "/StructTreeRoot" in pdf.Root
        assert tagged == (job.variant == "proof"), job
        if job.variant == "proof":
            text = " ".join(marked_text(path.read_bytes()).values())
            assert "NOT FOR PRESS" not in text and "revised" not in text  # the slug is on print masters only


def test_the_tree_reads_one_language_after_the_other_in_the_brochures_order(
    built: dict[Job, Path], real_project: Project
) -> None:
    brochure = real_project.brochures[BROCHURE].model
    found = tree_texts(proof(built, "bilingual"))
    # The padding page's notice, in English then Arabic, comes after both languages: page furniture, not the brochure.
    blank = [i for i, (_, lang, text) in enumerate(found) if lang == "en" and "intentionally left" in text]
    assert blank == [len(found) - 2] and found[-1][1] == "ar"
    found = found[:-2]
    # Runs inside a line (Span) and the QR code's address after both languages (one word with slashes) aside.
    languages = [lang for r, lang, text in found if r != "Span" and not re.fullmatch(r"\S+/\S*", text)]
    assert languages == sorted(languages, key=["en", "ar"].index)  # never interleaved, cell by cell or otherwise
    for lang in ("en", "ar"):
        wanted = [signature(plain_text(t[lang])) for t in source_texts(brochure, lang, panels=False)]
        assert is_subsequence(wanted, [signature(text) for _, language, text in found if language == lang]), lang
    for edition in ("en", "ar"):
        wanted = [signature(plain_text(t[edition])) for t in source_texts(brochure, edition, panels=True)]
        assert is_subsequence(wanted, [signature(text) for _, _, text in tree_texts(proof(built, edition))]), edition


def test_proofs_claim_pdfua_only_while_they_pass(built: dict[Job, Path], real_project: Project) -> None:
    scripts = language_scripts(real_project.campaign.model)
    path = proof(built, "bilingual")
    report = check_proof(path.read_bytes(), path, "en", scripts)
    assert report.claims_pdfua and not report.diagnostics
    with pikepdf.open(path) as pdf:
        for node in nodes(pdf):
            if "/Lang" in node.element:
                del node.element.Lang  # the Arabic half read with English rules, as before issue 17
        pdf.Root.Metadata = pdf.make_stream(b"")
        out = io.BytesIO()
        pdf.save(out)
    broken = out.getvalue()
    codes = {d.code for d in check_proof(broken, path, "en", scripts).diagnostics}
    assert codes == {"proof-language", "proof-headings"}  # and both titles count as English H1s
    assert b"pdfuaid" not in claim_pdfua(broken, "en", scripts, {})


def test_the_check_finds_what_weasyprint_tags_by_itself() -> None:
    from weasyprint import HTML

    install_tagging()
    page = '@page { @bottom-left { content: "Page " counter(page) } }'
    html = f"""<html lang="en"><head><title>Rules</title><style>{page}</style></head><body>
      <h2>Rules</h2><table><tr><td lang="en"><h1>Title</h1></td><td lang="ar"><h1>عنوان</h1></td></tr></table></body></html>"""
    data = HTML(string=html).write_pdf(pdf_tags=True)
    codes = Counter(p.code for p in accessibility_problems(data, "en", {"en": "Latn", "ar": "Arab"}))
    assert codes == {"layout-table": 1, "headings": 1, "untagged-content": 1}


def test_links_stay_described_and_in_the_structure(sample_dir: Path, real_project: Project) -> None:
    project = load_project(sample_dir)
    path = run(project, [Job("sample", "en", "proof")]).built[0].path
    with pikepdf.open(path) as pdf:
        links = [(page, a) for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"]
        contents = [str(a.Contents) for _, a in links]
        assert "https://www.iom.int" in contents and any(c.startswith("tel:") for c in contents)  # and the help lines
        assert all(page.obj.Tabs == "/S" for page, _ in links)
        owners = [n.element for n in nodes(pdf) if role(n.element) == "Link"]
        references = [(kid, owner) for owner in owners for kid in kids(owner) if isinstance(kid, pikepdf.Dictionary)]
        owned = {kid.Obj.objgen: owner.objgen for kid, owner in references if "/Obj" in kid}
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parents = dict(zip(nums[::2], nums[1::2], strict=True))
        assert len(owned) == len(links)  # a link broken over lines has one annotation a line
        assert all(parents[link.StructParent].objgen == owned[link.objgen] for _, link in links)
    assert check_proof(path.read_bytes(), path, "en", language_scripts(real_project.campaign.model)).diagnostics == ()


@pytest.mark.parametrize("proof_flag", [False, True])
def test_preflight_checks_proofs(built: dict[Job, Path], capsys: pytest.CaptureFixture[str], proof_flag: bool) -> None:
    path = proof(built, "ar")
    root = path.parent.parent.parent
    arguments = ["--project", str(root), "preflight", str(path), *(["--proof"] if proof_flag else [])]
    assert main(arguments) == 0
    assert "passed (0 error(s), 0 warning(s)); claims PDF/UA-1" in capsys.readouterr().out


def test_every_proof_of_the_repository_passes_the_preflight_the_readme_suggests(
    built: dict[Job, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """`preflight output/*/*.proof.pdf` after a build exits 0: every proof claims PDF/UA-1 (its build checked it as
    preflight does, read-back included), and the Bengali ones, once failing with unmapped glyphs, pass the CLI."""
    proofs = sorted(path for job, path in built.items() if job.variant == "proof")
    unclaimed = []
    for path in proofs:
        with pikepdf.open(path) as pdf:
            if b"pdfuaid" not in pdf.Root.Metadata.read_bytes():
                unclaimed.append(path.name)
    assert len(proofs) >= 30 and unclaimed == []
    bengali = [path for job, path in built.items() if job.variant == "proof" and job.edition.startswith("bn")]
    assert len(bengali) == 2
    assert main(["--project", str(bengali[0].parent.parent.parent), "preflight", *map(str, bengali)]) == 0
    out = capsys.readouterr().out
    assert out.count("passed (0 error(s), 0 warning(s)); claims PDF/UA-1") == 2


def without_actual_text(pdf: pikepdf.Pdf) -> None:
    """Drop /ActualText from the marked content of every page: the glyphs' own Unicode all a reader gets."""
    for page in pdf.pages:
        instructions = pikepdf.parse_content_stream(page)
        for instruction in instructions:
            properties = instruction.operands[-1] if instruction.operands else None
            if str(instruction.operator) == "BDC" and isinstance(properties, pikepdf.Dictionary) and "/ActualText" in properties:
                del properties.ActualText
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def test_unmapped_glyphs_get_a_hint_that_helps(sample_dir: Path) -> None:
    """A glyph mapped to no text: in a proof brochure-press made, building again would not help, and the hint says
    so; a file from elsewhere is to be built with brochure-press. Where /ActualText gives the glyph's text (as in
    every proof brochure-press makes), a reader gets the text and nothing is reported."""
    built = run(load_project(sample_dir), [Job("sample", "en", "proof")]).built[0].path
    with pikepdf.open(built) as pdf:
        without_actual_text(pdf)
        shown: dict[tuple[int, int], set[int]] = {}
        for page in pdf.pages:
            for objgen, codes in codes_without_actual_text(page).items():
                shown.setdefault(objgen, set()).update(codes)
    font_id, codes = min(shown.items())
    code = min(codes)  # a glyph the text shows
    cases = (
        ("brochure-press", True, "building again does not change it"),
        ("Other", True, "build the proof again"),
        ("brochure-press", False, None),
    )
    for creator, bare, helps in cases:
        with pikepdf.open(built) as pdf:
            if bare:
                without_actual_text(pdf)
            font = pdf.get_object(font_id)
            cmap = font.ToUnicode.read_bytes()
            entry = re.search(rb"(<%04x>)\s*<[0-9a-fA-F]+>" % code, cmap, re.IGNORECASE)
            assert entry is not None
            font.ToUnicode.write(cmap.replace(entry.group(), entry.group(1) + b" <>", 1))
            pdf.docinfo["/Creator"] = creator
            out = io.BytesIO()
            pdf.save(out)
        problems = [p for p in accessibility_problems(out.getvalue(), "en", {"en": "Latn"}) if p.code == "unicode"]
        if helps is None:
            assert problems == [], "a glyph whose text /ActualText gives is not reported"
            continue
        [problem] = problems
        assert "1 glyph(s) mapped to no text" in problem.message and helps in problem.hint
