"""The translators' workflow: XLIFF 2.1 export, an edited target imported back into the YAML (only that scalar
changes), the imported texts checked, and invalid or stale files refused at their line with nothing written."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from brochure_press.cli import main
from brochure_press.core.diagnostics import Diagnostic
from brochure_press.core.yamlsplice import set_texts
from brochure_press.editor.check import check

from .conftest import copy_project

NS = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
WORKERS = "foreign-labour-rights"
PASSPORT = "Someone keeps your passport and will not give it back."
PASSPORT_HI = "कोई आपका पासपोर्ट रख लेता है और वापस नहीं देता।"
NEW_HI = "कोई आपका पासपोर्ट अपने पास रखता है और लौटाता नहीं।"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def source_files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "brochures").iterdir())}


def export(root: Path, language: str = "hi", *brochures: str) -> Path:
    out = root / f"{language}.xlf"
    assert main(["--project", str(root), "xliff", "export", language, *brochures, "-o", str(out)]) == 0
    return out


def unit_of(tree: ET.ElementTree[ET.Element], source: str) -> ET.Element:
    return next(u for u in tree.iterfind(".//x:unit", NS) if u.findtext("x:segment/x:source", namespaces=NS) == source)


def edited(path: Path, source: str, target: str | None, state: str) -> Path:
    """The XLIFF file with the target and state of one unit changed, as a CAT tool saves it."""
    ET.register_namespace("", NS["x"])
    tree = ET.parse(path)
    segment = unit_of(tree, source).find("x:segment", NS)
    assert segment is not None
    segment.set("state", state)
    element = segment.find("x:target", NS)
    if element is None:
        element = ET.SubElement(segment, f"{{{NS['x']}}}target")
    element.text = target
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return path


def own(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The findings about the worker brochure's file (the campaign's placeholder web address aside)."""
    return [d for d in diagnostics if d.location and d.location.path.name == f"{WORKERS}.yaml"]


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    old, new = before.decode().splitlines(), after.decode().splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_export_writes_xliff_2_1_units_with_key_paths_notes_and_states(project: Path) -> None:
    path = export(project, "hi", WORKERS)
    data = path.read_bytes()
    assert export(project, "hi", WORKERS).read_bytes() == data  # byte-reproducible
    root = ET.fromstring(data)
    assert (root.tag, root.get("version"), root.get("srcLang"), root.get("trgLang")) == (f"{{{NS['x']}}}xliff", "2.1", "en", "hi")
    [file] = root.findall("x:file", NS)
    assert (file.get("id"), file.get("original")) == (WORKERS, f"brochures/{WORKERS}.yaml")
    tree = ET.ElementTree(root)
    passport = unit_of(tree, PASSPORT)
    assert (passport.get("id"), passport.get("name")) == ("sections.0.blocks.2.bullets.0", "sections[0].blocks[2].bullets[0]")
    assert passport.findtext("x:segment/x:target", namespaces=NS) == PASSPORT_HI
    assert passport.find("x:segment", NS).get("state") == "translated"  # type: ignore[union-attr]  # hi is a draft
    overtime = unit_of(
        tree, "Work only limited overtime, paid 25% more than your normal wage; work on your rest day is paid 50% more."
    )
    notes = {n.get("category"): n.text for n in overtime.iterfind("x:notes/x:note", NS)}
    assert notes["legal"].startswith(
        "overtime is limited and paid +25 %; work on the weekly rest day paid +50 % (Law No. 6 of 2010)"
    )
    first = root.find("x:file/x:unit[@id='sections.0.blocks.0.text']", NS)
    assert first is not None
    terms = [n.text or "" for n in first.iterfind("x:notes/x:note[@category='terminology']", NS)]
    assert any(
        t.startswith("“trafficker” (the person who commits trafficking): the glossary has no Hindi term yet") for t in terms
    )


def test_arabic_export_gives_the_glossary_terms_in_arabic(project: Path) -> None:
    tree = ET.parse(export(project, "ar", "criminalizing-trafficking"))
    unit = unit_of(tree, "In summary: the law punishes trafficking with 15 years' imprisonment.")
    notes = [(n.get("category"), n.text or "") for n in unit.iterfind("x:notes/x:note", NS)]
    assert notes[0][0] == "legal" and notes[0][1].startswith(
        "Article 2 of Law No. 91 of 2013 – the penalty, introduced as a summary"
    )
    assert "in Arabic write “الاتجار بالأشخاص”" in notes[1][1] and "avoid “تجارة البشر”" in notes[1][1]


def test_a_glossary_note_for_one_language_reaches_only_its_translators(project: Path) -> None:
    """The Arabic agreement of الضحية is for Arabic translators; every language gets the note on trafficking."""
    trees = {language: ET.parse(export(project, language, WORKERS)) for language in ("ar", "bn")}
    notes = {
        language: " ".join(
            n.text or "" for n in unit_of(tree, "You may be a victim if:").iterfind("x:notes/x:note[@category='terminology']", NS)
        )
        for language, tree in trees.items()
    }
    assert "الضحية takes feminine agreement" in notes["ar"]
    assert "“victim”" in notes["bn"] and "feminine agreement" not in notes["bn"] and "الضحية" not in notes["bn"]
    tree = trees["bn"]
    every_note = [n.text or "" for n in tree.iterfind(".//x:note", NS)]
    assert every_note and not [n for n in every_note if re.search("[\u0600-\u06ff]", n)]  # nothing in Arabic script
    first = tree.find(".//x:unit[@id='sections.0.blocks.0.text']", NS)
    assert first is not None
    terms = " ".join(n.text or "" for n in first.iterfind("x:notes/x:note[@category='terminology']", NS))
    assert "in Bengali write “মানব পাচার”" in terms and "Trafficking (exploiting people) is not smuggling" in terms


def test_edited_target_is_written_into_that_scalar_only_and_check_is_clean(project: Path) -> None:
    before = source_files(project)
    xliff = edited(export(project, "hi", WORKERS), PASSPORT, NEW_HI, "final")
    assert main(["--project", str(project), "xliff", "import", str(xliff)]) == 0
    after = source_files(project)
    assert {name for name in before if before[name] != after[name]} == {f"{WORKERS}.yaml", "translations.lock"}
    assert changed_lines(before[f"{WORKERS}.yaml"], after[f"{WORKERS}.yaml"]) == [
        (f'            hi: "{PASSPORT_HI}"', f'            hi: "{NEW_HI}"')
    ]
    assert own(check(project, [WORKERS], fit=False).diagnostics) == []  # final: the pair is recorded as approved


def test_a_translated_segment_is_written_and_awaits_review(project: Path) -> None:
    xliff = edited(export(project, "hi", WORKERS), PASSPORT, NEW_HI, "translated")
    lock = (project / "brochures" / "translations.lock").read_bytes()
    assert main(["--project", str(project), "xliff", "import", str(xliff)]) == 0
    assert (project / "brochures" / "translations.lock").read_bytes() == lock
    [finding] = own(check(project, [WORKERS], fit=False).diagnostics)
    assert (finding.code, finding.field) == ("translation-review", "sections[0].blocks[2].bullets[0].hi")


def test_importing_an_untouched_export_changes_no_byte(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = source_files(project)
    assert main(["--project", str(project), "xliff", "import", str(export(project, "ur"))]) == 0
    assert source_files(project) == before
    err = capsys.readouterr().err
    assert "0 newly approved" in err
    # The import says where the language stands and how to change it; once reviewed as a whole, it says nothing.
    assert f"Urdu is still a draft (not yet reviewed by a native speaker) in brochures/{WORKERS}.yaml: " in err
    assert "set `status: reviewed` and `reviewer: NAME` under `translations: ur:` there." in err
    source = project / "brochures" / f"{WORKERS}.yaml"
    source.write_text(
        source.read_text().replace("ur: {status: draft, reviewer: null,", 'ur: {status: reviewed, reviewer: "A. Reviewer",')
    )
    assert main(["--project", str(project), "xliff", "import", str(export(project, "ur"))]) == 0
    assert "still a draft" not in capsys.readouterr().err


def test_a_missing_translation_is_exported_untranslated_and_imported_after_the_languages_before_it(project: Path) -> None:
    path = project / "brochures" / f"{WORKERS}.yaml"
    original = path.read_bytes()
    path.write_bytes(original.replace(f'            hi: "{PASSPORT_HI}"\n'.encode(), b""))
    xliff = export(project, "hi", WORKERS)
    segment = unit_of(ET.parse(xliff), PASSPORT).find("x:segment", NS)
    assert segment is not None and segment.get("state") == "initial" and segment.find("x:target", NS) is None
    assert main(["--project", str(project), "xliff", "import", str(edited(xliff, PASSPORT, PASSPORT_HI, "translated"))]) == 0
    assert path.read_bytes() == original  # back between `ar:` and `ur:`, quoted as the others


def test_a_source_changed_since_the_export_is_reported_not_imported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xliff = edited(export(project, "hi", WORKERS), PASSPORT, NEW_HI, "final")
    path = project / "brochures" / f"{WORKERS}.yaml"
    path.write_text(path.read_text().replace(PASSPORT, "Someone keeps your passport."))
    before = source_files(project)
    assert main(["--project", str(project), "xliff", "import", str(xliff)]) == 2
    line = next(i for i, text in enumerate(xliff.read_text().splitlines(), 1) if 'id="sections.0.blocks.2.bullets.0"' in text)
    assert f"{xliff}:{line}:5: error: {WORKERS}:sections[0].blocks[2].bullets[0]: stale source: the English text changed" in (
        capsys.readouterr().err
    )
    assert source_files(project) == before


def _replace(old: str, new: str) -> Callable[[str], str]:
    return lambda text: text.replace(old, new, 1)


BILLION_LAUGHS = '<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'


@pytest.mark.parametrize(
    ("damage", "needle", "message"),
    [
        (_replace("</segment>", "</segmnt>"), "</segmnt>", "not well-formed XML: mismatched tag"),
        (_replace("<?xml version='1.0' encoding='utf-8'?>", BILLION_LAUGHS), "<!DOCTYPE", "the file declares a DTD"),
        (_replace('version="2.1"', 'version="1.2"'), "<xliff", "XLIFF version `1.2`, not 2.x"),
        (_replace('srcLang="en"', 'srcLang="ar"'), "<xliff", "srcLang is `ar`, not `en`"),
        (_replace('trgLang="hi"', 'trgLang="xx"'), "<xliff", "no language `xx` in campaign.yaml"),
        (
            _replace('id="sections.0.blocks.2.bullets.0"', 'id="sections.9.blocks.2.bullets.0"'),
            "sections.9",
            "no text `sections.9",
        ),
        (_replace(f"<target>{PASSPORT_HI}</target>", "<target> </target>"), "<target> </target>", "has no target text"),
        (_replace(f"<target>{PASSPORT_HI}</target>", "<target><pc id='1'>x</pc></target>"), "<pc", "inline element <pc>"),
        (_replace('<file id="foreign-labour-rights"', '<file id="no-such-brochure"'), "<file", "no brochure `no-such-brochure`"),
    ],
    ids=["malformed", "entities", "version", "srcLang", "trgLang", "unknown-unit", "empty-target", "inline-code", "unknown-file"],
)
def test_invalid_xliff_is_refused_at_its_line_and_nothing_is_written(
    project: Path, capsys: pytest.CaptureFixture[str], damage: Callable[[str], str], needle: str, message: str
) -> None:
    xliff = export(project, "hi", WORKERS)
    text = damage(xliff.read_text())
    assert text != xliff.read_text()
    xliff.write_text(text)
    before = source_files(project)
    assert main(["--project", str(project), "xliff", "import", str(xliff)]) == 2
    line = next(i for i, each in enumerate(text.splitlines(), 1) if needle in each)
    err = capsys.readouterr().err
    assert f"{xliff}:{line}:" in err and message in err, err
    assert source_files(project) == before


def test_imported_targets_go_through_the_checks_of_check(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xliff = edited(export(project, "hi", WORKERS), PASSPORT, f"{PASSPORT_HI} 你 [site](ftp://example.org)", "translated")
    before = source_files(project)
    assert main(["--project", str(project), "xliff", "import", str(xliff)]) == 2
    line = next(i for i, text in enumerate(xliff.read_text().splitlines(), 1) if "你" in text)
    err = capsys.readouterr().err
    where = f"{xliff}:{line}:9: error: {WORKERS}:sections[0].blocks[2].bullets[0].hi:"
    assert f"{where} {WORKERS}: character '你' (U+4F60 CJK UNIFIED IDEOGRAPH-4F60) has no glyph" in err
    assert f"{where} broken link: it prints as written" in err
    assert source_files(project) == before


def test_a_phone_number_written_apart_is_imported_with_a_warning(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xliff = edited(export(project, "hi", WORKERS), PASSPORT, f"{PASSPORT_HI} 2530-8169", "translated")
    assert main(["--project", str(project), "xliff", "import", str(xliff)]) == 0
    err = capsys.readouterr().err
    assert "warning: foreign-labour-rights:sections[0].blocks[2].bullets[0].hi: phone number `2530-8169` is not written" in err
    assert f"{WORKERS}.yaml: 1 hi texts written" in err


def test_a_translation_too_long_for_its_panel_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xliff = edited(export(project, "hi", WORKERS), PASSPORT, " ".join([PASSPORT_HI] * 40), "translated")
    before = source_files(project)
    assert main(["--project", str(project), "xliff", "import", str(xliff)]) == 1
    assert "foreign-labour-rights (hi edition): panel `flap` (page 1) is" in capsys.readouterr().err
    assert source_files(project) == before


def test_splicing_keeps_everything_else_and_adds_to_flow_and_block_mappings() -> None:
    text = 'a: {en: "One", ar: "واحد"}  # kept\r\nb:\r\n  en: Two   # kept too\r\n  ur: دو\r\n'
    assert set_texts(text, {}) == text
    spliced = set_texts(text, {("a", "hi"): "एक", ("b", "hi"): "दो", ("b", "en"): 'Two "2"'}, ["en", "ar", "hi", "ur"])
    assert (
        spliced
        == 'a: {en: "One", ar: "واحد", hi: "एक"}  # kept\r\nb:\r\n  en: "Two \\"2\\""   # kept too\r\n  hi: "दो"\r\n  ur: دو\r\n'
    )


def states(path: Path) -> dict[str, str]:
    """The state of every unit of an XLIFF file, by its source text."""
    segments = ET.parse(path).iterfind(".//x:unit/x:segment", NS)
    return {s.findtext("x:source", namespaces=NS) or "": s.get("state", "initial") for s in segments}


def test_segments_a_reviewer_accepted_are_exported_as_reviewed_and_reviewer_records_the_language(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Machine drafts approved wholesale stay `translated`; what a reviewer accepted in an import is exported with
    the state they gave it; `--reviewer NAME` records the whole language as reviewed, and it is exported so."""
    first = states(export(project, "hi", WORKERS))
    assert first[PASSPORT] == "translated" and set(first.values()) <= {"translated", "initial"}
    xliff = edited(export(project, "hi", WORKERS), PASSPORT, NEW_HI, "reviewed")
    assert main(["--project", str(project), "xliff", "import", str(xliff)]) == 0
    err = capsys.readouterr().err
    assert f"Hindi is still a draft (not yet reviewed by a native speaker) in brochures/{WORKERS}.yaml" in err
    assert "import again with `--reviewer NAME`" in err
    again = states(export(project, "hi", WORKERS))
    assert {s: state for s, state in again.items() if state != first[s]} == {PASSPORT: "reviewed"}

    source = project / "brochures" / f"{WORKERS}.yaml"
    before = source.read_bytes()
    assert (
        main(["--project", str(project), "xliff", "import", str(export(project, "hi", WORKERS)), "--reviewer", "R. Native"]) == 0
    )
    err = capsys.readouterr().err
    assert f"Hindi is now recorded as reviewed by R. Native in brochures/{WORKERS}.yaml" in err and "still a draft" not in err
    [(old, new)] = changed_lines(before, source.read_bytes())
    assert old.startswith("  hi: {status: draft, reviewer: null, made: ")
    assert new == old.replace("status: draft, reviewer: null", 'status: "reviewed", reviewer: "R. Native"')
    assert main(["--project", str(project), "xliff", "import", str(export(project, "hi", WORKERS)), "--reviewer", "R. N."]) == 0
    assert "--reviewer: Hindi is a draft in none of the brochures of this file; nothing recorded." in capsys.readouterr().err
    final = states(export(project, "hi", WORKERS))
    assert {state for s, state in final.items() if first[s] == "translated"} == {"reviewed"}
