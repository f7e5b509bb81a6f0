"""The build cache: only PDFs whose inputs changed are made again; a no-op build never loads WeasyPrint or rich."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from brochure_press.build.plan import plan
from brochure_press.build.run import run
from brochure_press.core.project import load_project


def build(root: Path, force: bool = False) -> tuple[set[str], set[str]]:
    project = load_project(root)
    report = run(project, plan(project), force=force)
    return {b.job.name for b in report.built}, {j.name for j in report.current}


def test_only_changed_inputs_are_rebuilt(sample_dir: Path) -> None:
    built, current = build(sample_dir)
    assert len(built) == 6 and not current
    assert build(sample_dir) == (set(), built)

    brochure = sample_dir / "brochures" / "sample.yaml"
    brochure.write_text(brochure.read_text().replace("You have rights.", "You have rights at work."))
    assert build(sample_dir)[0] == built

    layout = sample_dir / "layouts" / "trifold" / "trifold.css"
    layout.write_text(layout.read_text() + "\n.credit { font-size: 7pt; }\n")
    assert build(sample_dir)[0] == {n for n in built if ".bilingual." not in n}

    bilingual = sample_dir / "layouts" / "bilingual" / "bilingual.css"
    bilingual.write_text(bilingual.read_text() + "\n.credit { font-size: 7pt; }\n")
    assert build(sample_dir)[0] == {n for n in built if ".bilingual." in n}

    campaign = sample_dir / "brochures" / "campaign.yaml"
    assert "{en: Marina Mall," in campaign.read_text()
    campaign.write_text(campaign.read_text().replace("{en: Marina Mall,", "{en: Marina Mall Kuwait,"))
    assert build(sample_dir)[0] == built

    assert build(sample_dir, force=True)[0] == built


def test_a_changed_or_deleted_output_is_made_again(sample_dir: Path) -> None:
    build(sample_dir)
    out = sample_dir / "output" / "sample"
    (out / "sample.en.print.pdf").write_bytes(b"tampered")
    (out / "sample.ar.proof.pdf").unlink()
    assert build(sample_dir)[0] == {"sample.en.print.pdf", "sample.ar.proof.pdf"}


def test_editing_one_brochure_rebuilds_only_its_files(sample_dir: Path) -> None:
    second = sample_dir / "brochures" / "second.yaml"
    second.write_text((sample_dir / "brochures" / "sample.yaml").read_text())
    built, _ = build(sample_dir)
    assert len(built) == 12
    second.write_text(second.read_text().replace("Sample leaflet", "Second leaflet"))
    assert build(sample_dir)[0] == {n for n in built if n.startswith("second.")}


def test_no_op_build_does_not_import_weasyprint(sample_dir: Path) -> None:
    build(sample_dir)
    probe = (
        "import sys; from brochure_press.cli import main; "
        f"code = main(['--project', {str(sample_dir)!r}, 'build']); "
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
def test_the_cache_key_holds_every_input(sample_dir: Path, change: Callable[[Path], None]) -> None:
    def made() -> set[str]:
        project = load_project(sample_dir)
        return {b.job.name for b in run(project, plan(project, ["sample"], ["en"], ["print"])).built}

    assert made() == {"sample.en.print.pdf"}
    assert made() == set()
    change(sample_dir)
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
def test_the_print_order_rebuilds_no_pdf(sample_dir: Path, change: Callable[[Path], None]) -> None:
    """Quantities, stock, printer and comments reach the job ticket only: every PDF stays current."""
    project = load_project(sample_dir)
    jobs = plan(project, ["sample"], ["en"], ["print"])
    assert len(run(project, jobs).built) == 1
    change(sample_dir)
    project = load_project(sample_dir)
    assert run(project, jobs).built == []


def test_the_cache_key_holds_the_print_options(sample_dir: Path) -> None:
    project = load_project(sample_dir)
    jobs = plan(project, ["sample"], ["en"], ["print"])
    assert len(run(project, jobs).built) == 1
    assert run(project, jobs).built == []
    assert len(run(project.with_standard("x-1a"), jobs).built) == 1
