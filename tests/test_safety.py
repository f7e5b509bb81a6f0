"""Nothing unfinished reaches print, and text that changes the layout unseen is reported."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

import pytest

from brochure_press.cli import main

from .conftest import linked_outside, visual_lines


def build(root: Path, *extra: str) -> int:
    return main(["--project", str(root), "build", "sample", "--edition", "ar", *extra])


def approve_then_edit_english(root: Path) -> None:
    assert main(["--project", str(root), "approve", "--all", "--yes"]) == 0
    sample = root / "brochures" / "sample.yaml"
    sample.write_text(sample.read_text().replace("en: You have rights.", "en: You have many rights."))


def test_a_stale_translation_stops_print_files_but_not_proofs(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    approve_then_edit_english(sample_dir)
    capsys.readouterr()
    assert build(sample_dir) == 2
    err = capsys.readouterr().err
    assert "sample.yaml:24:15: error: sections[2].blocks[0].callout.ar: stale Arabic: the English changed" in err
    assert sorted(p.name for p in (sample_dir / "output" / "sample").iterdir()) == ["sample.ar.proof.pdf"]
    assert build(sample_dir, "--variant", "proof", "--force") == 0
    assert "warning: sections[2].blocks[0].callout.ar: stale Arabic" in capsys.readouterr().err
    assert build(sample_dir, "--allow-draft") == 0
    assert (sample_dir / "output" / "sample" / "sample.ar.print.pdf").exists()


def test_a_todo_text_stops_print_files(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = sample_dir / "brochures" / "sample.yaml"
    sample.write_text(sample.read_text().replace("ar: لك حقوق.", "ar: TODO"))
    assert build(sample_dir) == 2
    assert (
        "sample.yaml:24:15: error: sections[2].blocks[0].callout.ar: Arabic text still to be written" in capsys.readouterr().err
    )
    assert build(sample_dir, "--variant", "proof") == 0


@pytest.mark.parametrize("invisible", ["\u2028", "\u2029", "\u00ad", "\u200b", "\u2060"])
def test_layout_changing_invisibles_are_reported_and_removed(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], invisible: str
) -> None:
    sample = sample_dir / "brochures" / "sample.yaml"
    sample.write_text(sample.read_text().replace("en: You have rights.", f'en: "You have{invisible} rights."'))
    assert main(["--project", str(sample_dir), "check", "sample"]) == 0
    assert "sample.yaml:23:" in capsys.readouterr().out
    assert build(sample_dir, "--variant", "proof") == 0
    assert f"U+{ord(invisible):04X} removed" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["extra.yml", "EXTRA.YML", "with space.yaml", "CON.yaml", "nul.yaml"])
def test_a_source_that_would_be_skipped_is_an_error(sample_dir: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    (sample_dir / "brochures" / name).write_text((sample_dir / "brochures" / "sample.yaml").read_text())
    assert main(["--project", str(sample_dir), "check"]) == 1
    assert f"{name}: error:" in capsys.readouterr().out
    assert build(sample_dir, "--variant", "proof") == 2
    assert f"{name}: error:" in capsys.readouterr().err


@pytest.mark.parametrize("brochure_id", ["con", "lpt1", "glossary", "with space"])
def test_new_refuses_names_that_cannot_be_brochures(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], brochure_id: str
) -> None:
    args = ["--project", str(sample_dir), "new", brochure_id, "--title-en", "Rights", "--title-ar", "الحقوق"]
    assert main(args) == 2
    assert "cannot name a brochure" in capsys.readouterr().err
    assert not (sample_dir / "brochures" / f"{brochure_id}.yaml").exists()


RUNS = ("+965 2530 8169", "iomkuwait@iom.int", "www.iom.int", "#TogetherAgainstTrafficking")


def test_numbers_addresses_and_hashtags_read_left_to_right_in_every_arabic_block_type(sample_dir: Path) -> None:
    sample = sample_dir / "brochures" / "sample.yaml"
    text = sample.read_text()
    arabic = {
        "heading": "ar: اعرف العلامات",
        "bullet": "ar: احتفظ بجواز سفرك.",
        "callout": "ar: لك حقوق.",
        "text": "ar: الأرقام أدناه.",
    }
    for kind, line in arabic.items():
        runs = " و".join(RUNS)
        text = text.replace(line, f"{line.removesuffix('.')} ({kind}) {runs}")
    sample.write_text(text)
    assert build(sample_dir, "--variant", "proof") == 0
    pdf = sample_dir / "output" / "sample" / "sample.ar.proof.pdf"
    seen = " ".join(visual_lines(pdf, 0) + visual_lines(pdf, 1))
    for run in RUNS:
        assert seen.count(run) >= len(arabic), (run, seen)
        assert run[::-1] not in seen


def _rgb_profile(root: Path) -> str:
    from PIL import ImageCms

    (root / "layouts" / "icc" / "srgb.icc").write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    return "layouts/icc/srgb.icc"


@pytest.mark.parametrize(
    ("profile", "why"),
    [
        (lambda root: "layouts/icc/missing.icc", "does not exist"),
        (lambda root: "../../etc/passwd", "is outside the project"),
        (lambda root: "fonts/OFL.txt", "is not a CMYK output (printer) profile"),
        (_rgb_profile, "is not a CMYK output (printer) profile"),
    ],
    ids=["missing", "outside", "not-a-profile", "rgb"],
)
def test_a_wrong_output_profile_is_a_located_error(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], profile: Callable[[Path], str], why: str
) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    text = campaign.read_text()
    assert "\n  output_intent: FOGRA39\n" in text
    name = profile(sample_dir)
    campaign.write_text(
        text.replace("\n  output_intent: FOGRA39\n", f"\n  output_intent: {{profile: {name}, condition: X, info: Y}}\n")
    )
    assert main(["--project", str(sample_dir), "check"]) == 1
    out = capsys.readouterr().out
    assert ("campaign.yaml:" in out and f"print.output_intent.profile: the profile `{name}` {why}" in out) or why in out
    assert "Internal error" not in out
    assert build(sample_dir) == 2
    err = capsys.readouterr().err
    assert why in err and "Internal error" not in err


@pytest.mark.parametrize("link", ["output", "output/sample", "output/.cache"])
def test_outputs_never_leave_the_project_through_a_symbolic_link(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], link: str
) -> None:
    elsewhere = linked_outside(sample_dir, tmp_path, link)
    assert build(sample_dir, "--variant", "proof") == 2
    assert "leads outside the project" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize(
    "lock",
    ['{"version": 1, "sources": ' + "[" * 100_000 + "]" * 100_000 + "}", '{"version": 1, "sources": {"a": ' + "9" * 5000 + "}}"],
    ids=["deeply-nested", "huge-integer"],
)
def test_a_damaged_lock_is_a_located_error(sample_dir: Path, capsys: pytest.CaptureFixture[str], lock: str) -> None:
    (sample_dir / "brochures" / "translations.lock").write_text(lock)
    assert main(["--project", str(sample_dir), "check"]) == 1
    assert "translations.lock: error: the translation lock is not valid" in capsys.readouterr().out
    assert build(sample_dir, "--variant", "proof") == 2
    assert "Internal error" not in capsys.readouterr().err


def test_a_damaged_manifest_only_means_a_rebuild(sample_dir: Path) -> None:
    assert build(sample_dir, "--variant", "proof") == 0
    for content in ('{"sample.ar.proof.pdf": 5, "x": [1]}', "[" * 100_000, '{"a": ' + "9" * 5000 + "}"):
        (sample_dir / "output" / ".cache" / "manifest.json").write_text(content)
        assert build(sample_dir, "--variant", "proof") == 0


def test_a_project_folder_without_brochures_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(tmp_path / "missing"), "new", "abc", "--title-en", "A", "--title-ar", "ب"]) == 2
    assert "no `brochures/` folder in" in capsys.readouterr().err


def test_a_full_disk_is_reported_and_earlier_outputs_stay(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build(sample_dir, "--variant", "proof") == 0
    previous = (sample_dir / "output" / "sample" / "sample.ar.proof.pdf").read_bytes()
    sample = sample_dir / "brochures" / "sample.yaml"
    sample.write_text(sample.read_text().replace("en: You have rights.", "en: You have many rights."))

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("os.fsync", full)
    capsys.readouterr()
    assert build(sample_dir, "--variant", "proof") == 2
    err = capsys.readouterr().err
    assert "error: cannot write: No space left on device" in err and "Internal error" not in err
    assert (sample_dir / "output" / "sample" / "sample.ar.proof.pdf").read_bytes() == previous


@pytest.mark.parametrize("field", ["title", "subtitle"])
def test_a_cover_text_too_long_for_the_cover_is_an_error(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], field: str
) -> None:
    sample = sample_dir / "brochures" / "sample.yaml"
    long = " ".join(["Know your rights at work"] * 40)
    text = sample.read_text()
    text = (
        text.replace("  en: Sample leaflet", f"  en: {long}")
        if field == "title"
        else text.replace("sections:", f"subtitle: {{en: {long}, ar: اعرف حقوقك}}\nsections:", 1)
    )
    sample.write_text(text)
    assert main(["--project", str(sample_dir), "build", "sample", "--edition", "en"]) == 1
    assert "sample (en edition): panel `cover-title` (page 1) is" in capsys.readouterr().err
    assert main(["--project", str(sample_dir), "check", "sample"]) == 1
    assert "panel `cover-title`" in capsys.readouterr().out


def test_an_indentation_slip_is_named_as_such_in_build_and_check(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = sample_dir / "brochures" / "sample.yaml"
    sample.write_text(sample.read_text().replace("          ar: لك حقوق.", "        ar: لك حقوق."))
    expected = "sample.yaml:24:9: error: sections[2].blocks[0].ar: unknown key `ar` (hint: `ar:` is indented as if"
    assert build(sample_dir) == 2
    from_build = next(line for line in capsys.readouterr().err.splitlines() if "error:" in line)
    assert main(["--project", str(sample_dir), "check", "sample"]) == 1
    from_check = next(line for line in capsys.readouterr().out.splitlines() if "error:" in line)
    assert expected in from_build and from_build.endswith(from_check)
    assert "indent it like the other languages of `sections[2].blocks[0].callout`" in from_check


def test_a_missing_translation_has_the_same_words_in_build_and_check(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = sample_dir / "brochures" / "sample.yaml"
    sample.write_text(sample.read_text().replace("          ar: لك حقوق.\n", ""))
    assert build(sample_dir) == 2
    from_build = next(line for line in capsys.readouterr().err.splitlines() if "error:" in line)
    assert main(["--project", str(sample_dir), "check", "sample"]) == 1
    from_check = next(line for line in capsys.readouterr().out.splitlines() if "error:" in line)
    assert from_build.endswith(from_check) and "the Arabic translation is missing" in from_check


def test_the_hand_off_never_leaves_the_project_through_a_symbolic_link(
    built_sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = linked_outside(built_sample, tmp_path, "output/handoff")
    args = ["--project", str(built_sample), "handoff", "--allow-draft", "--allow-open"]
    assert main(args) == 2
    assert "leads outside the project" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []
