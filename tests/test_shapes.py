"""Same sources, same bytes, whatever the shape of the build; and the art the layout declares is painted: a
pictogram the page does not draw stops the build with an error that names where it should have been."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import Markup

from brochure_press.build.run import pdf_of
from brochure_press.cli import main
from brochure_press.compose import pictograms
from brochure_press.core.jobs import Job
from brochure_press.core.project import load_project
from brochure_press.preflight.art import unpainted_art
from brochure_press.render.art import placed_art
from brochure_press.render.job import lay_out
from tests.test_pictograms import set_icon

EDITION = ("--edition", "en")


def pdfs(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "output" / "sample").glob("*.pdf"))}


def build(root: Path, *options: str) -> None:
    assert main(["--project", str(root), "build", "sample", *EDITION, "--allow-draft", *options]) == 0


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with a pictogram in a callout, its en edition built alone by a fresh process with one worker."""
    sample = tmp_path_factory.mktemp("shapes")
    for folder in ("layouts", "fonts"):
        shutil.copytree(Path(__file__).parent.parent / folder, sample / folder)
    (sample / "brochures").mkdir()
    shutil.copy(Path(__file__).parent.parent / "brochures" / "campaign.yaml", sample / "brochures")
    shutil.copy(Path(__file__).parent / "fixtures" / "sample.yaml", sample / "brochures")
    set_icon(sample, "wallet")
    command = [sys.executable, "-m", "brochure_press", "--project", str(sample), "build", *EDITION, "--jobs", "1"]
    done = subprocess.run([*command, "--allow-draft"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return sample


def test_the_same_bytes_whatever_the_shape_of_the_build(fresh: Path, tmp_path: Path) -> None:
    first = pdfs(fresh)
    assert sorted(first) == ["sample.en.print.pdf", "sample.en.proof.pdf"]
    # Another folder, two workers (the parent makes one file, a spawned helper the other), after this process laid out
    # and wrote PDFs of its own in earlier tests or none at all.
    other = tmp_path / "elsewhere" / "copy"
    shutil.copytree(fresh, other, ignore=shutil.ignore_patterns("output"))
    build(other, "--jobs", "2")
    assert pdfs(other) == first
    # Incremental: only the missing proof is made again, in this process.
    (other / "output" / "sample" / "sample.en.proof.pdf").unlink()
    build(other, "--jobs", "1")
    assert pdfs(other) == first
    # Print only, forced, in this process, which has now written PDFs (WeasyPrint's metadata module is loaded, its
    # structure tagging wrapped for proofs).
    build(other, "--variant", "print", "--force", "--jobs", "1")
    assert pdfs(other) == first
    # The preview's PDF in memory, made again after a print file was written in this process.
    (other / "output" / "sample" / "sample.en.proof.pdf").unlink()
    assert pdf_of(load_project(other), Job("sample", "en", "proof")) == first["sample.en.proof.pdf"]


def test_print_and_proof_paint_the_same_art_where_it_is_laid_out(fresh: Path) -> None:
    project = load_project(fresh)
    placed = {}
    for variant in ("print", "proof"):
        job = Job("sample", "en", variant)
        composed, document = lay_out(project, job)
        placed[variant] = placed_art(composed.html, document)
        assert unpainted_art(job.path(project.output_dir).read_bytes(), placed[variant]) == []
    arts = {variant: [(art.what, art.page, art.panel) for art in found] for variant, found in placed.items()}
    assert ("pictogram wallet", 2, "inside-2") in arts["print"] and any(a[0] == "QR code" for a in arts["print"])
    assert arts["print"] == arts["proof"]


def test_a_pictogram_the_page_does_not_draw_stops_the_build_naming_where(
    fresh: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An SVG serialised under a prefix (as ElementTree did once WeasyPrint had registered its namespaces) is no
    drawing to HTML: the finished page lacks it, and the build says which brochure, edition, page and panel."""
    drawn = pictograms.pictogram_svg

    def prefixed(layouts_dir: Path, name: str, colour: str, rtl: bool = False) -> Markup:
        svg = str(drawn(layouts_dir, name, colour, rtl))
        return Markup(svg.replace("<svg ", "<ns0:svg ", 1).replace(' xmlns="', ' xmlns:ns0="').replace("</svg>", "</ns0:svg>"))

    monkeypatch.setattr(pictograms, "pictogram_svg", prefixed)
    before = pdfs(fresh)
    code = main(["--project", str(fresh), "build", *EDITION, "--variant", "proof", "--force", "--jobs", "1"])
    err = capsys.readouterr().err
    source = fresh / "brochures" / "sample.yaml"
    line = source.read_text().splitlines().index("  - panel: inside-2") + 1
    assert code == 1 and "Traceback" not in err
    assert f"sample.yaml:{line}:" in err
    assert "sample (en edition), proof file: pictogram wallet (page 2, panel `inside-2`," in err
    assert pdfs(fresh) == before  # nothing was put in place
