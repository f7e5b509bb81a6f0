"""Bad input: every problem located by file, line, column and field, with a hint; exit 2; outputs untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brochure_press.cli import main

CASES = [
    # (what, original text, replacement, expected message, expected hint)
    ("unknown key", "title:\n", "titel:\n", r"sample\.yaml:3:1: error: titel: unknown key `titel`", "did you mean `title`?"),
    (
        "missing translation",
        "          ar: لك حقوق.\n",
        "",
        r"sample\.yaml:23:11: error: sections\[2\]\.blocks\[0\]\.callout: the Arabic translation is missing",
        "add `ar: …` beside the other languages",
    ),
    (
        "wrong type",
        "status: draft",
        "status: [draft]",
        r"sample\.yaml:1:9: error: status: Input should be 'draft' or 'approved'",
        "use one of",
    ),
    ("unknown panel", "panel: inside-3", "panel: inside-4", r"sample\.yaml:25:12: error: sections\[3\]\.panel: ", "use one of"),
    ("tab indentation", "  - panel: back", "\t- panel: back", r"sample\.yaml:30:1: error: .*tab", "indent with spaces"),
    (
        "duplicate key",
        "status: draft\n",
        "status: draft\nstatus: approved\n",
        r"sample\.yaml:2:1: error: status: key `status` appears twice \(first at line 1\)",
        "keep one",
    ),
    (
        "two kinds in one block",
        "      - callout:\n",
        "      - text: {en: a, ar: ب}\n        callout:\n",
        r"sample\.yaml:22:9: error: sections\[2\]\.blocks\[0\]: a block has exactly one of",
        "",
    ),
    (
        "quote left open to the end of the file",
        "  en: Sample leaflet\n",
        '  en: "Sample leaflet\n',
        r'sample\.yaml:4:7: error: the text opened with " here is not closed on its line',
        'end the text with " on this line',
    ),
    (
        "quote left open before a quoted line",
        "          en: You have rights.\n          ar: لك حقوق.\n",
        '          en: "You have rights.\n          ar: "لك حقوق."\n',
        r'sample\.yaml:23:15: error: the text opened with " here is not closed on its line',
        'end the text with " on this line',
    ),
    ("unquoted date as text", "revised: 2026-01-15", "revised: yesterday", r"sample\.yaml:2:10: error: revised: ", "YYYY-MM-DD"),
    (
        "alias",
        "title:\n  en: Sample leaflet\n",
        "title: &t\n  en: Sample leaflet\n",
        r"sample\.yaml:\d+:\d+: error: .*aliases",
        "write the value out",
    ),
]


@pytest.mark.parametrize(("what", "old", "new", "message", "hint"), CASES, ids=[c[0] for c in CASES])
def test_bad_yaml_is_located(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], what: str, old: str, new: str, message: str, hint: str
) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    text = source.read_text()
    if what == "alias":
        text += "subtitle: *t\n"
    assert old in text
    source.write_text(text.replace(old, new, 1))
    previous = sample_dir / "output" / "sample" / "sample.en.proof.pdf"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"%PDF previous good output")
    assert main(["--project", str(sample_dir), "build"]) == 2
    err = capsys.readouterr().err
    assert re.search(message, err), err
    assert hint in err
    assert "Traceback" not in err
    assert previous.read_bytes() == b"%PDF previous good output"
    assert sorted(p.name for p in previous.parent.iterdir()) == ["sample.en.proof.pdf"]


def test_invalid_utf8_is_located(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_bytes(source.read_bytes().replace(b"Sample leaflet", b"Sample \xff leaflet"))
    assert main(["--project", str(sample_dir), "build"]) == 2
    assert "sample.yaml:4:14: error: the file is not valid UTF-8 (hint: save it as UTF-8" in capsys.readouterr().err


def test_bad_phone_in_campaign_is_located(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace('phone: "+965 2530 8169"', 'phone: "+965 2530-8169 ext"'))
    assert main(["--project", str(sample_dir), "build"]) == 2
    err = capsys.readouterr().err
    assert re.search(r"campaign\.yaml:61:10: error: hotline\.phone: String should match pattern", err), err
    assert "+965 2530 8169" in err


def test_every_problem_is_reported_at_once(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("title:", "titel:").replace("panel: back", "panel: front"))
    assert main(["--project", str(sample_dir), "build"]) == 2
    err = capsys.readouterr().err
    assert "unknown key `titel`" in err and "required key `title` is missing" in err and "sections[4].panel" in err


def test_unknown_brochure_names_the_known_ones(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(sample_dir), "build", "sampel"]) == 2
    assert "no brochure `sampel` in brochures/ (hint: one of: sample)" in capsys.readouterr().err


def test_character_without_glyph_names_brochure_block_and_character(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("ar: لك حقوق.", "ar: لك حقوق 😀."))
    assert main(["--project", str(sample_dir), "build"]) == 2
    err = capsys.readouterr().err
    assert re.search(
        r"sample\.yaml:24:15: error: sections\[2\]\.blocks\[0\]\.callout\.ar: sample: character '😀' "
        r"\(U\+1F600 GRINNING FACE\) has no glyph in IBM Plex Sans Arabic, IBM Plex Sans",
        err,
    ), err
    assert not (sample_dir / "output").exists()
