"""The build cache: only PDFs whose inputs changed are made again; a no-op build never loads WeasyPrint or rich."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from brochure_press.build.plan import plan
from brochure_press.build.run import outdated, run
from brochure_press.core.project import load_project


def build(root: Path) -> tuple[set[str], set[str]]:
    project = load_project(root)
    report = run(project, plan(project))
    return {b.job.name for b in report.built}, {j.name for j in report.current}


def stale(root: Path, force: bool = False) -> set[str]:
    """The PDFs of the project at `root` a build would make (as `run` chooses them), without making any."""
    project = load_project(root)
    return {job.name for job in outdated(project, plan(project), force)}


def test_only_changed_inputs_are_rebuilt(built_sample: Path) -> None:
    """Each change, made alone to the built sample and undone, makes exactly the PDFs it reaches outdated; one is
    built to show that a build makes those and no others."""
    built = {p.name for p in (built_sample / "output" / "sample").iterdir()}
    assert len(built) == 6
    assert build(built_sample) == (set(), built)
    bilingual = {n for n in built if ".bilingual." in n}
    changes = [
        ("brochures/sample.yaml", "You have rights.", "You have rights at work.", built),
        ("layouts/trifold/trifold.css", "", "\n.credit { font-size: 7pt; }\n", built - bilingual),
        ("layouts/bilingual/bilingual.css", "", "\n.credit { font-size: 7pt; }\n", bilingual),
        ("brochures/campaign.yaml", "{en: Marina Mall,", "{en: Marina Mall Kuwait,", built),
    ]
    for relative, old, new, reached in changes:
        path = built_sample / relative
        before = path.read_text()
        assert old in before
        path.write_text(before.replace(old, new) if old else before + new)
        assert stale(built_sample) == reached, relative
        path.write_text(before)
        assert stale(built_sample) == set(), relative

    path = built_sample / "layouts" / "bilingual" / "bilingual.css"
    path.write_text(path.read_text() + "\n.credit { font-size: 7pt; }\n")
    assert build(built_sample) == (bilingual, built - bilingual)
    assert stale(built_sample) == set() and stale(built_sample, force=True) == built


def test_a_changed_or_deleted_output_is_made_again(built_sample: Path) -> None:
    out = built_sample / "output" / "sample"
    (out / "sample.en.print.pdf").write_bytes(b"tampered")
    (out / "sample.ar.proof.pdf").unlink()
    assert build(built_sample)[0] == {"sample.en.print.pdf", "sample.ar.proof.pdf"}


def test_editing_one_brochure_rebuilds_only_its_files(built_sample: Path) -> None:
    second = built_sample / "brochures" / "second.yaml"
    second.write_text((built_sample / "brochures" / "sample.yaml").read_text())
    built, current = build(built_sample)
    assert len(built) == 6 and all(n.startswith("second.") for n in built) and len(current) == 6
    second.write_text(second.read_text().replace("Sample leaflet", "Second leaflet"))
    assert stale(built_sample) == built


def test_no_op_build_does_not_import_weasyprint(built_sample: Path) -> None:
    probe = (
        "import sys; from brochure_press.cli import main; "
        f"code = main(['--project', {str(built_sample)!r}, 'build']); "
        "heavy = [m for m in ('weasyprint', 'pikepdf', 'fontTools', 'rich') if m in sys.modules]; "
        "print(code, heavy)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "0 []", result.stdout + result.stderr
    assert "6 PDFs already up to date" in result.stderr


def _add_font(root: Path) -> None:
    shutil.copy(root / "fonts" / "NotoSans-Regular.ttf", root / "fonts" / "NotoSans-Copy.ttf")


def _swap_profile(root: Path) -> None:
    campaign = load_project(root).campaign.model
    shutil.copy(root / "layouts" / "icc" / "default_cmyk.icc", root / campaign.print.output_intent.profile)


def _append(relative: str, text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / relative
        path.write_text(path.read_text() + text)

    return change


def _replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / relative
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new))

    return change


@pytest.mark.parametrize(
    "change",
    [
        _add_font,
        _swap_profile,
        _append("layouts/trifold/trifold.css", "\n.credit { font-size: 7pt; }\n"),
        _append("layouts/base/base.css", "\n.credit { font-size: 7pt; }\n"),
        _append("layouts/base/contacts.html.j2", "\n"),
        _replace("brochures/campaign.yaml", "accent: [0, 75, 100, 0]", "accent: [0, 80, 100, 0]"),
        _append("brochures/sample.yaml", "\n# a comment changes the brochure file\n"),
    ],
    ids=["fonts", "icc-profile", "layout-css", "base-css", "base-template", "campaign", "brochure"],
)
def test_the_cache_key_holds_every_input(built_sample: Path, change: Callable[[Path], None]) -> None:
    def made() -> set[str]:
        project = load_project(built_sample)
        return {job.name for job in outdated(project, plan(project, ["sample"], ["en"], ["print"]))}

    assert made() == set()
    change(built_sample)
    assert made() == {"sample.en.print.pdf"}


@pytest.mark.parametrize(
    "change",
    [
        _append("brochures/campaign.yaml", "\n# a comment\n"),
        _replace("brochures/campaign.yaml", "weight_gsm: 150", "weight_gsm: 170"),
        _replace("brochures/campaign.yaml", "  # quantities:\n  #   employer-duties:", "  quantities:\n    sample:"),
        _replace("brochures/campaign.yaml", "  # printer: {name: ...", "  printer: {name: Print shop}  #"),
    ],
    ids=["comment", "stock", "quantities", "printer"],
)
def test_the_print_order_rebuilds_no_pdf(built_sample: Path, change: Callable[[Path], None]) -> None:
    """Quantities, stock, printer and comments reach the job ticket only: every PDF stays current."""
    before = {p.name: p.read_bytes() for p in (built_sample / "output" / "sample").iterdir()}
    change(built_sample)
    project = load_project(built_sample)
    report = run(project, plan(project))
    assert report.built == [] and {j.name for j in report.current} == set(before)
    assert {p.name: p.read_bytes() for p in (built_sample / "output" / "sample").iterdir()} == before


def test_the_cache_key_holds_the_print_options(built_sample: Path) -> None:
    project = load_project(built_sample)
    jobs = plan(project, ["sample"], ["en"], ["print"])
    assert outdated(project, jobs) == {}
    assert list(outdated(project.with_standard("x-1a"), jobs)) == jobs
