"""Layout records: `check` and `build` each reuse what the other laid out, and lay out again only what changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from brochure_press.build.fits import LAYOUTS_FILE, slowest_first
from brochure_press.build.plan import plan
from brochure_press.build.run import run
from brochure_press.cli import main
from brochure_press.compose.layouts import Composed
from brochure_press.core.diagnostics import BuildError, Diagnostic
from brochure_press.core.jobs import Job
from brochure_press.core.project import Project, load_project
from brochure_press.editor.check import check
from brochure_press.render import job as job_module

from .conftest import outputs


def overlong(root: Path) -> None:
    source = root / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("en: You have rights.", "en: " + "Keep copies of your contract. " * 120))


@pytest.fixture
def laid_out(monkeypatch: pytest.MonkeyPatch) -> list[Job]:
    """Every job laid out in this process from now on (check and build run in it with one worker)."""
    calls: list[Job] = []
    real = job_module.lay_out

    def counted(project: Project, job: Job, warnings: list[Diagnostic] | None = None) -> tuple[Composed, Any]:
        calls.append(job)
        return real(project, job, warnings)

    monkeypatch.setattr(job_module, "lay_out", counted)
    return calls


def test_check_after_build_and_check_after_check_lay_out_nothing(built_sample: Path, laid_out: list[Job]) -> None:
    # The sample's records were written by its build (`built_sample`), in another process or test.
    for _ in range(2):
        report = check(built_sample)
        assert (report.editions, report.laid_out, report.errors) == (3, 0, [])
    assert laid_out == []


def test_only_the_edited_brochure_is_laid_out_again(sample_dir: Path, laid_out: list[Job]) -> None:
    second = sample_dir / "brochures" / "second.yaml"
    second.write_text((sample_dir / "brochures" / "sample.yaml").read_text())
    assert check(sample_dir).laid_out == 6
    second.write_text(second.read_text().replace("Sample leaflet", "Second leaflet"))
    laid_out.clear()
    assert check(sample_dir).laid_out == 3
    assert {job.brochure for job in laid_out} == {"second"}


def test_build_after_a_failed_check_reports_the_overflow_without_laying_out(sample_dir: Path, laid_out: list[Job]) -> None:
    overlong(sample_dir)
    found = [d for d in check(sample_dir).errors if d.code == "panel-overflow"]
    assert len(found) == 1 and found[0].location.path == sample_dir / "brochures" / "sample.yaml"
    laid_out.clear()
    project = load_project(sample_dir)
    with pytest.raises(BuildError) as caught:
        run(project, plan(project, editions=["en"], variants=["print"]))
    assert caught.value.diagnostics == found and not laid_out
    assert not outputs(sample_dir)


def test_records_travel_with_a_copy_of_the_project(sample_dir: Path, tmp_path: Path, laid_out: list[Job]) -> None:
    overlong(sample_dir)
    (message,) = [str(d) for d in check(sample_dir).errors if d.code == "panel-overflow"]
    copy = tmp_path / "elsewhere"
    shutil.copytree(sample_dir, copy)
    laid_out.clear()
    report = check(copy)
    assert report.laid_out == 0 and not laid_out
    assert [str(d) for d in report.errors if d.code == "panel-overflow"] == [message.replace(str(sample_dir), str(copy))]


@pytest.mark.parametrize("damage", ["{broken", '{"sample.en.print.pdf": {"inputs": 1}}', "[]"])
def test_damaged_records_are_laid_out_again(sample_dir: Path, damage: str) -> None:
    assert check(sample_dir).laid_out == 3
    records = sample_dir / "output" / LAYOUTS_FILE
    records.write_text(damage)
    assert check(sample_dir).laid_out == 3
    assert check(sample_dir).laid_out == 0


def test_parallel_check_finds_what_a_serial_one_does(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overlong(sample_dir)
    copy = tmp_path / "copy"
    shutil.copytree(sample_dir, copy)
    assert main(["--project", str(sample_dir), "check", "--jobs", "1"]) == 1
    serial = capsys.readouterr().out.replace(str(sample_dir), "<root>")
    assert main(["--project", str(copy), "check", "--jobs", "2"]) == 1
    assert capsys.readouterr().out.replace(str(copy), "<root>") == serial
    assert "3 editions laid out." in serial


def test_jobs_start_slowest_first(sample_dir: Path) -> None:
    project = load_project(sample_dir)
    jobs = plan(project, variants=["print"])
    assert slowest_first(project, jobs)[0].edition == "bilingual"  # never laid out: both languages first
    check(sample_dir)
    seconds = {j: json.loads((sample_dir / "output" / LAYOUTS_FILE).read_text())[j.name]["seconds"] for j in jobs}
    assert slowest_first(project, jobs) == sorted(jobs, key=seconds.__getitem__, reverse=True)
    both = slowest_first(project, plan(project))  # an edition's print file and proof one after the other
    assert [(j.brochure, j.edition) for j in both[::2]] == [(j.brochure, j.edition) for j in both[1::2]]


@pytest.mark.parametrize("wrong", [False, True])
def test_a_flowing_edition_gets_the_blank_pages_it_needs_in_as_few_layouts_as_it_can(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch, wrong: bool
) -> None:
    """The proof of a flowing edition is composed with the blank pages its print file needed (the same process makes
    both) and laid out once; a count remembered wrongly is mended by the layout that shows it, and the pages are
    those of a process that remembered nothing."""
    from weasyprint import HTML

    from brochure_press.compose.layouts import page_multiple

    project, proof = load_project(sample_dir), Job("sample", "bilingual", "proof")
    monkeypatch.setattr(job_module, "_blank_pages", {})
    _, printed = job_module.lay_out(project, Job("sample", "bilingual", "print"))
    (needed,) = job_module._blank_pages.values()
    assert needed > 0 and len(printed.pages) % page_multiple(project) == 0  # the sample shows the case
    fresh = len(job_module.lay_out(project, proof)[1].pages)
    if wrong:
        monkeypatch.setattr(job_module, "_blank_pages", {("sample", "bilingual"): needed - 1})
    layouts: list[int] = []
    render_html = HTML.render

    def counted(self: HTML, *args: object, **kwargs: object) -> object:
        layouts.append(1)
        return render_html(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "render", counted)
    _, document = job_module.lay_out(project, proof)
    assert len(document.pages) == fresh == len(printed.pages)
    assert len(layouts) == (2 if wrong else 1)
