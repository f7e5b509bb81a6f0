"""`check`: every problem of the sources at once, grouped by file, with --strict and --json; nothing is written."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from arabic_reshaper import reshape
from bidi import get_display

from brochure_press.build.cache import CACHE_FILE
from brochure_press.cli import main
from brochure_press.core.jobs import Job
from brochure_press.core.terminal import ARABIC_DISPLAY, shaping_less
from brochure_press.editor.check import check
from brochure_press.editor.checkreport import terminal_text

from .conftest import copy_project, outputs
from .test_preflight import add_css


def test_the_real_project_is_clean_but_for_its_placeholder_web_address(
    built: dict[Job, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The web edition's address is to be confirmed: until then check warns, and --strict fails.
    root = copy_project(tmp_path / "project")
    # With the layout records of the session's build of the same sources: `check` finds them current and lays out
    # nothing again (a record stands for a layout of identical inputs: tests/test_fits.py).
    output = next(iter(built.values())).parents[1]
    shutil.copytree(output / CACHE_FILE.parent, root / "output" / CACHE_FILE.parent)
    assert main(["--project", str(root), "check", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert re.findall(r"(warning|error): ([\w.]+):", out) == [("warning", "web.base_url")]
    editions = len({(job.brochure, job.edition) for job in built})
    assert f"1 warning(s); 6 source files and the layouts checked, {editions} editions laid out ({editions} unchanged" in out
    assert main(["--project", str(root), "check", "--strict", "--jobs", "2"]) == 1


def break_sample(root: Path) -> None:
    source = root / "brochures" / "sample.yaml"
    text = source.read_text()
    text = text.replace("          ar: لك حقوق.\n", "")  # a missing translation
    text = text.replace("en: Keep your passport.", "en: Keep your passport. See [IOM](www.iom.int).")
    text = text.replace("ar: احتفظ بجواز سفرك.", "ar: احتفظ بجواز سفرك. \u202eانظر.")
    text = text.replace("en: The numbers are below.", "en: " + "Keep copies of your contract and passport. " * 60)
    source.write_text(text)


def test_every_kind_of_problem_is_found_in_one_run_and_nothing_is_written(sample_dir: Path) -> None:
    break_sample(sample_dir)
    report = check(sample_dir)
    found = {(d.location.path.name, d.location.line, d.severity, d.code) for d in report.diagnostics}
    assert {
        ("sample.yaml", 23, "error", "missing-translation"),
        ("sample.yaml", 18, "error", "link"),
        ("sample.yaml", 19, "warning", "control-character"),
        ("sample.yaml", 29, "error", "panel-overflow"),
        ("sample.yaml", 32, "warning", "translation-new"),
    } <= found
    missing = next(d for d in report.diagnostics if d.code == "missing-translation")
    assert (missing.field, missing.message) == ("sections[2].blocks[0].callout", "the Arabic translation is missing")
    overflow = next(d for d in report.diagnostics if d.code == "panel-overflow")
    assert re.fullmatch(r"sample \(en edition\): panel `back` \(page 1\) is [\d.]+ mm too long", overflow.message)
    assert report.editions == report.laid_out == 3
    written = [p.relative_to(sample_dir / "output").parts[0] for p in (sample_dir / "output").rglob("*") if p.is_file()]
    assert written and set(written) == {".cache"}  # the layout records, nothing else
    assert not (sample_dir / "brochures" / "translations.lock").exists()


def test_output_is_grouped_by_file_with_located_lines_and_fails_on_errors(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    break_sample(sample_dir)
    monkeypatch.chdir(sample_dir)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    headers = [line for line in lines if re.fullmatch(r"\S+: \d+ error\(s\), \d+ warning\(s\)", line)]
    assert [h.split(":")[0] for h in headers] == ["brochures/campaign.yaml", "brochures/sample.yaml"]
    findings = [line for line in lines if re.match(r"brochures/\S+\.yaml:\d+:\d+: (error|warning): ", line)]
    assert len(findings) == len(check(sample_dir).diagnostics)
    assert any(
        line.startswith(
            "brochures/sample.yaml:23:11: error: sections[2].blocks[0].callout: the Arabic translation is missing (hint: "
        )
        for line in findings
    )
    assert lines[-1].startswith("FAILED: 3 error(s), ")
    assert "Traceback" not in out


def test_json_keeps_arabic_in_logical_order(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from brochure_press.core.translations import lock_path

    assert main(["--project", str(sample_dir), "approve", "--all", "--yes"]) == 0
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("ar: لك حقوق.", "ar: لك حقوق كثيرة."))
    capsys.readouterr()
    assert main(["--project", str(sample_dir), "check", "--json", "--strict"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert lock_path(sample_dir).exists()
    review = next(d for d in data["diagnostics"] if d["code"] == "translation-review")
    assert review["line"] == 24 and review["severity"] == "warning"
    assert "“لك حقوق كثيرة.”" in review["message"]
    assert data["errors"] == 0 and data["editions_laid_out"] == 3


def test_arabic_reaches_a_terminal_as_written_unless_its_user_says_it_cannot_shape(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Terminals that do BiDi reorder what they get, and none says whether it does: Arabic goes in logical order,
    shaped and reordered only for a terminal declared shaping-less (`BROCHURE_PRESS_ARABIC=visual`)."""
    line = "brochures/a.yaml:3:7: warning: title.ar: now “لك حقوق”"
    assert terminal_text(line, visual=False) == line
    shown = terminal_text(line, visual=True)
    assert shown.startswith("brochures/a.yaml:3:7: warning: title.ar: now “")
    assert get_display(reshape("لك حقوق")) in shown and "لك حقوق" not in shown
    assert terminal_text("no Arabic here", visual=True) == "no Arabic here"

    main_end, other_end = os.openpty()
    with open(main_end, "w") as terminal, open(other_end, "w") as pipe_like:
        pipe = io.StringIO()
        monkeypatch.delenv(ARABIC_DISPLAY, raising=False)
        assert terminal.isatty() and not shaping_less(terminal) and not shaping_less(pipe)
        monkeypatch.setenv(ARABIC_DISPLAY, "visual")
        assert shaping_less(terminal) and shaping_less(pipe_like) and not shaping_less(pipe)

    # Declared, but written to a pipe (here: captured): the text as written.
    assert main(["--project", str(sample_dir), "approve", "--all", "--yes"]) == 0
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("ar: لك حقوق.", "ar: لك حقوق كثيرة."))
    capsys.readouterr()
    assert main(["--project", str(sample_dir), "check", "sample"]) == 0
    assert "now “لك حقوق كثيرة.”; it needs review" in capsys.readouterr().out


def test_unknown_brochure_is_a_usage_error(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(sample_dir), "check", "sampel"]) == 2
    assert "no brochure `sampel` in brochures/ (hint: one of: sample)" in capsys.readouterr().err


def test_a_broken_brochure_does_not_hide_the_problems_of_the_others(sample_dir: Path) -> None:
    (sample_dir / "brochures" / "other.yaml").write_text("titel: x\n")
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("ar: الأرقام أدناه.", "ar: TODO"))
    codes = {(d.location.path.name, d.code) for d in check(sample_dir, fit=False).diagnostics}
    assert {("other.yaml", "extra_forbidden"), ("other.yaml", "missing"), ("sample.yaml", "todo")} <= codes
    only_sample = {(d.location.path.name, d.code) for d in check(sample_dir, ["sample"], fit=False).diagnostics}
    assert ("sample.yaml", "todo") in only_sample and not any(name == "other.yaml" for name, _ in only_sample)


def test_a_broken_campaign_is_reported_without_a_traceback(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("hotline:", "hotlines:"))
    assert main(["--project", str(sample_dir), "check"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"campaign\.yaml:49:1: error: hotlines: unknown key `hotlines` \(hint: did you mean `hotline`\?\)", out)
    assert "Traceback" not in out


def test_empty_translations_and_a_broken_lock_are_reported_once(sample_dir: Path) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("ar: لك حقوق.", "ar:").replace("ar: الأرقام أدناه.", 'ar: ""'))
    (sample_dir / "brochures" / "translations.lock").write_text("{broken\n")
    found = [(d.location.line, d.code, d.field) for d in check(sample_dir, fit=False).diagnostics]
    campaign = (sample_dir / "brochures" / "campaign.yaml").read_text().splitlines()
    address = next(n for n, line in enumerate(campaign, start=1) if line.strip().startswith("base_url:"))
    assert found == [
        (address, "web-placeholder", "web.base_url"),
        (14, "contacts-differ", "sections[0].blocks[0].text"),
        (24, "missing-translation", "sections[2].blocks[0].callout"),
        (34, "missing-translation", "sections[4].blocks[0].text"),
        (1, "translation-lock", ""),
    ]


@pytest.mark.parametrize("arabic", ["", '          ar: ""\n'], ids=["left out", "empty"])
def test_a_missing_translation_does_not_hide_a_wrong_number(sample_dir: Path, arabic: str) -> None:
    source = sample_dir / "brochures" / "sample.yaml"
    text = source.read_text()
    line = "          ar: اتصل بالمنظمة الدولية للهجرة على +965 2530 8169 أو راسل iomkuwait@iom.int.\n"
    assert line in text
    source.write_text(text.replace(line, arabic).replace("Kuwait on +965 2530 8169", "Kuwait on +965 2530 8196"))
    found = {(d.code, d.field) for d in check(sample_dir, ["sample"], fit=False).diagnostics}
    assert ("missing-translation", "sections[0].blocks[0].text") in found
    assert ("unknown-phone", "sections[0].blocks[0].text.en") in found, found


def test_a_weasyprint_warning_the_code_does_not_know_is_a_warning_in_check_and_build_and_stops_nothing(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # WeasyPrint does not support text-shadow: it says so in a warning brochure-press has no rule for. A colour it
    # cannot read is a warning it knows: the text would print in another colour than the layout says.
    bad_colour = ".credit { color: grey-ish; }"
    add_css(sample_dir, ".credit { text-shadow: 0 0 1pt black; }\n" + bad_colour)
    assert main(["--project", str(sample_dir), "check", "sample"]) == 1
    out = capsys.readouterr().out
    said = [line for line in out.splitlines() if "text-shadow" in line]
    assert said and all(re.search(r"layout\.yaml: warning: .*Ignored `text-shadow:.*unknown property", s) for s in said), out
    assert re.search(r"layout\.yaml: error: .*Ignored `color: grey-ish`.*invalid value", out), out
    sheet = sample_dir / "layouts" / "trifold" / "trifold.css"
    sheet.write_text(sheet.read_text().replace(bad_colour, ""))
    assert main(["--project", str(sample_dir), "build", "--edition", "en", "--variant", "print"]) == 0
    assert [p.name for p in outputs(sample_dir) if p.suffix == ".pdf"] == ["sample.en.print.pdf"]
    assert re.search(r"layout\.yaml: warning: .*Ignored `text-shadow:", capsys.readouterr().err)
