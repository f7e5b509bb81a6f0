"""Lint rules: phone numbers a layout would not isolate, links, contacts, control characters, Arabic CSS in layouts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brochure_press.core.project import load_project
from brochure_press.editor.layoutlint import layout_problems
from brochure_press.editor.lint import control_character_problems, phone_candidates, text_problems

from .conftest import REPO


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Call +965 2530 8169 now.", ["+965 2530 8169"]),
        ("اتصل على 2530-8169.", ["2530-8169"]),
        ("Law No. 6 of 2010, 8–10 June, 30 days, 2026-11-28", []),
        ("رقم ٢٥٣٠ ٨١٦٩", ["٢٥٣٠ ٨١٦٩"]),
    ],
)
def test_phone_candidates(text: str, found: list[str]) -> None:
    assert [m.group() for m in phone_candidates(text)] == found


def lint(root: Path, en: str, ar: str) -> list[str]:
    source = root / "brochures" / "sample.yaml"
    text = (
        source.read_text()
        .replace("en: You have rights.", f"en: {json.dumps(en)}")
        .replace("ar: لك حقوق.", f"ar: {json.dumps(ar)}")
    )
    source.write_text(text)
    project = load_project(root)
    problems = text_problems(project.brochures["sample"], project.campaign.model)
    return [f"{d.severity} {d.code} {d.field}: {d.message}" for d in problems if d.field.startswith("sections[2]")]


CASES = [
    ("same hotline in both", "Call +965 2530 8169.", "اتصل على +965 2530 8169.", []),
    ("local form of the hotline", "Call 25308169.", "اتصل على 25308169.", []),
    (
        "hyphens break isolation",
        "Call +965 2530 8169.",
        "اتصل على 2530-8169.",
        [
            "warning phone-isolation sections[2].blocks[0].callout.ar: phone number `2530-8169` is not written the way",
            "warning contacts-differ sections[2].blocks[0].callout: English and Arabic give different numbers, "
            "addresses or links (only in English: 96525308169; only in Arabic: 25308169)",
        ],
    ),
    (
        "two groups in Arabic text print reversed",
        "Call 2530 8169.",
        "اتصل على 2530 8169.",
        ["phone-isolation sections[2].blocks[0].callout.en", "phone-isolation sections[2].blocks[0].callout.ar"],
    ),
    (
        "unknown number",
        "Call +965 2530 8196.",
        "اتصل على +965 2530 8196.",
        ["unknown-phone sections[2].blocks[0].callout.en: phone number `+965 2530 8196` is not one of the campaign's numbers"],
    ),
    (
        "Arabic-Indic digits",
        "Call +965 2530 8169.",
        "اتصل على +٩٦٥ ٢٥٣٠ ٨١٦٩.",
        ["phone-digits sections[2].blocks[0].callout.ar"],
    ),
    (
        "bad link targets",
        "See [IOM](www.iom.int) or [us](mailto:iom@iom).",
        "انظر [المنظمة](www.iom.int) أو [نحن](mailto:iom@iom).",
        ["error link sections[2].blocks[0].callout.en: broken link: it prints as written"],
    ),
    ("script link is printed as written", "[x](javascript:alert(1))", "[س](javascript:alert(1))", ["error link", "broken link"]),
    ("other e-mail", "Write to info@example.org.", "راسل info@example.org.", ["unknown-email sections[2].blocks[0].callout.en"]),
    ("incomplete e-mail", "Write to iomkuwait@iom.", "راسل iomkuwait@iom.", ["warning email sections[2].blocks[0].callout.ar"]),
    ("TODO", "TODO: write this", "TODO: the Arabic", ["warning todo sections[2].blocks[0].callout.en: English text still"]),
]


@pytest.mark.parametrize(("what", "en", "ar", "expected"), CASES, ids=[c[0] for c in CASES])
def test_text_rules(sample_dir: Path, what: str, en: str, ar: str, expected: list[str]) -> None:
    found = lint(sample_dir, en, ar)
    for fragment in expected:
        assert any(fragment in line for line in found), (fragment, found)
    if not expected:
        assert found == []


def test_bidi_controls_in_a_source_are_located(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("title:\n  en: fine\n  ar: نص \u202eمقلوب\r\n", encoding="utf-8")
    (problem,) = control_character_problems(path)
    assert (problem.location.line, problem.location.column) == (3, 10)
    assert "U+202E" in problem.message


def test_the_real_layouts_pass_the_arabic_css_rules() -> None:
    assert layout_problems(REPO / "layouts") == []


def test_justified_or_letter_spaced_arabic_and_unisolated_phones_in_layouts(sample_dir: Path) -> None:
    layouts = sample_dir / "layouts"
    css = layouts / "base" / "base.css"
    css.write_text(
        css.read_text() + "\np:lang(en), li[lang='en'] { text-align: justify; letter-spacing: 0.02em; }\n"
        "@media print { :lang(ar) p { text-align: justify } }\n.callout { letter-spacing: 0.5pt; }\n"
    )
    template = layouts / "trifold" / "cover.html.j2"
    template.write_text(template.read_text().replace("campaign.hotline.phone | phone", "campaign.hotline.phone"))
    found = {(d.location.path.name, d.location.line, d.code) for d in layout_problems(layouts)}
    lines = len(css.read_text().splitlines())
    assert found == {
        ("base.css", lines - 1, "arabic-css"),
        ("base.css", lines, "arabic-css"),
        ("cover.html.j2", 10, "phone-isolation"),
    }
