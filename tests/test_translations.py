"""Translation freshness: fingerprints matched across moves, statuses, the lock file, and edit → stale → approve → clean."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from brochure_press.cli import main
from brochure_press.core.diagnostics import BuildError
from brochure_press.core.project import load_project
from brochure_press.core.revisions import texts_fingerprint
from brochure_press.core.translations import (
    Pair,
    approved_pairs,
    fingerprint,
    lock_data,
    lock_path,
    lock_text,
    read_lock,
    statuses,
)
from brochure_press.editor.check import check

from .conftest import REPO


def pair(path: str, en: str, ar: str) -> Pair:
    key = tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\[\]]+", path) if p)
    return Pair(key, fingerprint(en), fingerprint(ar))


def lock_of(*pairs: Pair) -> dict[str, dict[str, str]]:
    return {p.path: {"en": p.source, "ar": p.target} for p in pairs}


A = ("Keep your passport.", "احتفظ بجواز سفرك.")
B = ("You have rights.", "لك حقوق.")


def test_fingerprints_ignore_surrounding_space_and_unicode_normal_form() -> None:
    assert fingerprint(" café ") == fingerprint("cafe\u0301")
    assert fingerprint("a") != fingerprint("b")


def test_unchanged_pairs_are_approved_even_when_blocks_are_inserted_or_moved() -> None:
    approved = lock_of(pair("sections[0].blocks[0].text", *A), pair("sections[0].blocks[1].text", *B))
    current = [
        pair("sections[0].blocks[0].text", "A new first paragraph.", "فقرة أولى جديدة."),
        pair("sections[0].blocks[1].text", *B),
        pair("sections[0].blocks[2].text", *A),
    ]
    assert statuses(current, approved_pairs(approved, "en", "ar")) == {("sections", 0, "blocks", 0, "text"): "new"}


def test_changed_english_makes_the_arabic_stale_even_after_a_move() -> None:
    approved = lock_of(pair("sections[0].blocks[0].text", *A), pair("sections[0].blocks[1].text", *B))
    current = [pair("sections[1].blocks[0].text", *B), pair("sections[1].blocks[1].text", "Keep your passport always.", A[1])]
    assert statuses(current, approved_pairs(approved, "en", "ar")) == {("sections", 1, "blocks", 1, "text"): "stale"}


def test_changed_arabic_needs_review_and_both_changed_is_a_rewrite() -> None:
    approved = lock_of(pair("title", *A), pair("subtitle", *B))
    current = [pair("title", A[0], "احتفظ دائمًا بجواز سفرك."), pair("subtitle", "Other.", "أخرى.")]
    assert statuses(current, approved_pairs(approved, "en", "ar")) == {("title",): "review", ("subtitle",): "rewritten"}


def test_identical_pairs_are_counted_one_by_one() -> None:
    approved = lock_of(pair("a", *A))
    assert statuses([pair("a", *A), pair("b", *A)], approved_pairs(approved, "en", "ar")) == {("b",): "new"}


def test_lock_text_round_trips_and_keeps_one_pair_per_line(sample_dir: Path) -> None:
    lock = {"sample": lock_of(pair("title", *A), pair("sections[0].heading", *B)), "campaign": lock_of(pair("name", *B))}
    text = lock_text(lock)
    lock_path(sample_dir).write_text(text)
    assert read_lock(sample_dir) == lock
    assert text.index('"campaign"') < text.index('"sample"')
    assert sum('"en": ' in line for line in text.splitlines()) == 3


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ('{"version": 1, "sources": {"sample": {"title": {"en": "x"', r"translations\.lock:1:\d+"),
        ('{"version": 2, "sources": {}}', r"translations\.lock: "),
        ('{"version": 1, "sources": {"sample": {"title": {"en": "abc", "ar": "def"}}}}', r"translations\.lock: "),
        ("<<<<<<< HEAD\n{}\n", r"translations\.lock:1:1"),
    ],
    ids=["truncated", "version", "not fingerprints", "merge conflict"],
)
def test_a_broken_lock_is_a_located_error_with_a_way_out(sample_dir: Path, content: str, where: str) -> None:
    lock_path(sample_dir).write_text(content)
    with pytest.raises(BuildError) as caught:
        read_lock(sample_dir)
    (problem,) = caught.value.diagnostics
    assert re.search(where, str(problem)), problem
    assert "approve --all" in problem.hint


def freshness(root: Path) -> list[str]:
    return [
        f"{d.code} {d.field} {d.location.line}" for d in check(root, fit=False).diagnostics if d.code.startswith("translation")
    ]


def test_edit_stale_approve_clean(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    assert "translation-new title.en 4" in freshness(sample_dir)
    assert main(["--project", str(sample_dir), "approve", "--all", "--yes"]) == 0
    assert "sample: 7 text pairs approved (7 new)" in capsys.readouterr().err
    assert freshness(sample_dir) == []

    # A block inserted above does not disturb the approval of the blocks that move down.
    source.write_text(
        source.read_text()
        .replace("en: You have rights.", "en: You have many rights.")
        .replace("ar: احتفظ بجواز سفرك.", "ar: احتفظ دائمًا بجواز سفرك.")
        .replace("    blocks:\n      - bullets:", "    blocks:\n      - text: {en: Read this., ar: اقرأ هذا.}\n      - bullets:")
    )
    assert freshness(sample_dir) == [
        "translation-new sections[1].blocks[0].text.en 17",
        "translation-review sections[1].blocks[1].bullets[0].ar 20",
        "translation-stale sections[2].blocks[0].callout.ar 25",
    ]
    assert main(["--project", str(sample_dir), "check", "sample"]) == 0  # warnings only
    out = capsys.readouterr().out
    assert re.search(
        r"sample\.yaml:25:15: warning: sections\[2\]\.blocks\[0\]\.callout\.ar: stale Arabic: the English changed", out
    )
    assert main(["--project", str(sample_dir), "check", "--strict", "sample"]) == 1
    capsys.readouterr()

    before = lock_path(sample_dir).read_bytes()
    assert main(["--project", str(sample_dir), "approve", "sample"]) == 2  # shows, then asks: no terminal here
    shown = capsys.readouterr().err
    assert "sample · sections[2].blocks[0].callout · stale Arabic\n  English: You have many rights.\n  Arabic: " in shown
    assert "add --yes" in shown and lock_path(sample_dir).read_bytes() == before
    assert main(["--project", str(sample_dir), "approve", "sample", "--yes"]) == 0
    assert "sample: 8 text pairs approved (1 new, 1 review, 1 stale)" in capsys.readouterr().err
    assert freshness(sample_dir) == []
    assert list(read_lock(sample_dir)) == ["campaign", "sample"]


def test_approve_needs_a_name_or_all_and_refuses_unknown_or_invalid_sources(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--project", str(sample_dir), "approve"]) == 2
    assert "name the brochures to approve, or give --all" in capsys.readouterr().err
    assert main(["--project", str(sample_dir), "approve", "sampel"]) == 2
    assert "no brochure `sampel` in brochures/ (hint: one of: campaign, sample)" in capsys.readouterr().err
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("          ar: لك حقوق.\n", ""))
    assert main(["--project", str(sample_dir), "approve", "sample"]) == 2
    assert "the Arabic translation is missing" in capsys.readouterr().err
    assert not lock_path(sample_dir).exists()


def test_the_committed_lock_approves_every_real_text() -> None:
    assert freshness(REPO) == []


def test_approve_asks_in_a_terminal_and_a_no_approves_nothing(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["n", "y"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda *_: next(answers))
    assert main(["--project", str(sample_dir), "approve", "sample"]) == 1
    assert "Nothing approved." in capsys.readouterr().err and not lock_path(sample_dir).exists()
    assert main(["--project", str(sample_dir), "approve", "sample"]) == 0
    assert "sample: 7 text pairs approved (7 new)" in capsys.readouterr().err


def test_approving_changed_texts_dates_the_brochure_today(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Texts changed after `revised:`: approve says so, and dates the brochure today (only that line changes), so
    the files, ticket and bundle name move with the text."""
    source = sample_dir / "brochures" / "sample.yaml"
    before = source.read_text().splitlines()
    old = load_project(sample_dir).brochures["sample"].model.revised
    today = dt.date.today()
    assert old < today
    assert main(["--project", str(sample_dir), "approve", "sample", "--yes"]) == 0
    err = capsys.readouterr().err
    assert f"sample.yaml: `revised: {old}` becomes {today}" in err
    assert "Written: brochures/translations.lock, brochures/sample.yaml;" in err
    after = source.read_text().splitlines()
    assert [(a, b) for a, b in zip(before, after, strict=True) if a != b] == [(f"revised: {old}", f"revised: {today}")]
    assert load_project(sample_dir).brochures["sample"].model.revised == today
    assert main(["--project", str(sample_dir), "approve", "sample", "--yes"]) == 0
    assert "becomes" not in capsys.readouterr().err


def revised_warnings(root: Path) -> list[str]:
    return [f"{d.field} {d.location and d.location.line}" for d in check(root, fit=False).diagnostics if d.code == "revised-date"]


def test_texts_changed_after_the_revised_date_warn_until_approve_dates_them(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The lock records the texts' fingerprint at the `revised:` date: any later change of a text (not of the YAML's
    layout or comments) warns at `revised:`, and `approve` offers the new date even when no pair is pending."""
    source = sample_dir / "brochures" / "sample.yaml"
    assert revised_warnings(sample_dir) == []  # nothing recorded yet: nothing to compare
    assert main(["--project", str(sample_dir), "approve", "sample", "--yes"]) == 0
    today = dt.date.today()
    assert lock_data(sample_dir)["revised"] == {
        "sample": {"date": today.isoformat(), "texts": texts_fingerprint(load_project(sample_dir).brochures["sample"].model)}
    }
    capsys.readouterr()
    source.write_text("# a comment moves nothing\n" + source.read_text().replace(f"revised: {today}", "revised: 2026-01-15"))
    assert revised_warnings(sample_dir) == []

    # A text still to be written is added: no pair to approve, only the date tells.
    todo = "      - text: {en: TODO say where to go, ar: TODO}\n"
    source.write_text(
        source.read_text().replace("      - text:\n          en: The numbers", todo + "      - text:\n          en: The numbers")
    )
    assert revised_warnings(sample_dir) == ["revised 3"]
    assert main(["--project", str(sample_dir), "check", "sample"]) == 0
    out = capsys.readouterr().out
    assert "warning: revised: the texts changed after `revised: 2026-01-15`" in out and "approve sample" in out
    assert main(["--project", str(sample_dir), "approve", "sample", "--yes"]) == 0
    assert f"sample.yaml: `revised: 2026-01-15` becomes {today}" in capsys.readouterr().err
    assert revised_warnings(sample_dir) == []
    assert main(["--project", str(sample_dir), "approve", "sample", "--yes"]) == 0
    assert "becomes" not in capsys.readouterr().err
