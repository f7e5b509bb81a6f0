"""Building: panel overflow, determinism, atomic writes, draft marks, font isolation, marks option."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdf
import pytest

from brochure_press.cli import main
from brochure_press.compose.fonts import family_coverage
from brochure_press.core.diagnostics import BuildError
from brochure_press.core.files import write_atomic
from brochure_press.core.jobs import Job
from brochure_press.core.project import load_project
from brochure_press.preflight import inkcoverage
from brochure_press.render.job import make_pdf

from .conftest import MM, outputs


def overlong(root: Path) -> None:
    source = root / "brochures" / "sample.yaml"
    long_text = "Keep copies of your contract, your passport and your residence card in a safe place. " * 40
    source.write_text(source.read_text().replace("en: You have rights.", f"en: {long_text}"))


def test_overflowing_panel_is_an_error_naming_brochure_edition_panel_and_excess(sample_dir: Path) -> None:
    overlong(sample_dir)
    project = load_project(sample_dir)
    with pytest.raises(BuildError) as caught:
        make_pdf(project, Job("sample", "en", "print"))
    (problem,) = caught.value.diagnostics
    assert problem.code == "panel-overflow"
    match = re.fullmatch(r"sample \(en edition\): panel `inside-2` \(page 2\) is ([\d.]+) mm too long", problem.message)
    assert match and float(match.group(1)) > 100
    assert (problem.location.path.name, problem.location.line) == ("sample.yaml", 20)
    # The Arabic text of that panel is short, so the Arabic edition fits.
    make_pdf(project, Job("sample", "ar", "print"))


def test_overflow_fails_the_command_with_exit_1_and_writes_nothing(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overlong(sample_dir)
    # English overflows, Arabic fits: its two files are made but not written either.
    assert main(["--project", str(sample_dir), "build", "--edition", "en", "--edition", "ar"]) == 1
    err = capsys.readouterr().err
    assert "panel `inside-2` (page 2) is" in err and "Traceback" not in err
    assert not outputs(sample_dir)


# The byte-identity tests build the Arabic edition only (print and proof): the hardest case (right-to-left shaping
# and mirrored panels, its font subset), and the other editions go through the same code.
ARABIC_ONLY = ["build", "--edition", "ar"]


def test_builds_are_byte_identical_across_runs_and_folders(built_sample_once: Path, tmp_path: Path) -> None:
    first = {p.name: p.read_bytes() for p in (built_sample_once / "output" / "sample").glob("sample.ar.*")}
    assert sorted(first) == ["sample.ar.print.pdf", "sample.ar.proof.pdf"]
    elsewhere = tmp_path / "elsewhere" / "copy"
    shutil.copytree(built_sample_once, elsewhere, ignore=shutil.ignore_patterns("output"))
    assert main(["--project", str(elsewhere), *ARABIC_ONLY]) == 0
    assert main(["--project", str(elsewhere), *ARABIC_ONLY]) == 0
    second = {p.name: p.read_bytes() for p in (elsewhere / "output" / "sample").iterdir()}
    assert first == second


def test_build_can_be_limited(sample_dir: Path) -> None:
    assert main(["--project", str(sample_dir), "build", "sample", "--edition", "ar", "--variant", "proof"]) == 0
    assert [p.name for p in (sample_dir / "output" / "sample").iterdir()] == ["sample.ar.proof.pdf"]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "a.pdf"
    write_atomic(target, b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomic(target, b"new and longer")
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"]


def test_an_interrupt_while_putting_files_in_place_leaves_complete_files_only(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    placed: list[Path] = []
    real = os.replace

    def interrupted(source: str | Path, target: str | Path) -> None:
        if str(target).endswith(".pdf"):
            if len(placed) == 2:
                raise KeyboardInterrupt
            placed.append(Path(target))
        real(source, target)

    monkeypatch.setattr(os, "replace", interrupted)
    # Four PDFs: two put in place, the interrupt on the third.
    assert main(["--project", str(sample_dir), "build", "--edition", "en", "--edition", "ar"]) == 130
    assert outputs(sample_dir) == sorted(placed)
    for path in placed:
        assert path.read_bytes().rstrip().endswith(b"%%EOF") and len(pypdf.PdfReader(path, strict=True).pages) >= 1
    assert not list((sample_dir / "output").rglob("*.tmp"))


def test_drafts_are_marked_in_proofs_and_in_the_print_slug(built_sample: Path) -> None:
    made = built_sample / "output" / "sample"
    assert "DRAFT" in pypdf.PdfReader(made / "sample.en.proof.pdf").pages[0].extract_text()
    assert "DRAFT – NOT FOR PRESS" in pypdf.PdfReader(made / "sample.en.print.pdf").pages[0].extract_text()
    bilingual = pypdf.PdfReader(made / "sample.bilingual.print.pdf").pages
    assert all("DRAFT – NOT FOR PRESS" in page.extract_text() for page in bilingual)
    source = built_sample / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("status: draft", "status: approved"))
    approved, _ = make_pdf(load_project(built_sample), Job("sample", "en", "proof"))
    assert "DRAFT" not in pypdf.PdfReader(io.BytesIO(approved)).pages[0].extract_text()


def test_draft_policy_refuse_blocks_print_files(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("drafts: mark", "drafts: refuse"))
    assert main(["--project", str(sample_dir), "build", "--variant", "print"]) == 2
    assert re.search(r"sample\.yaml:1:9: error: status: sample is a draft", capsys.readouterr().err)
    assert main(["--project", str(sample_dir), "build", "--variant", "proof"]) == 0


def test_without_marks_the_media_box_is_the_bleed_box(sample_dir: Path) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("marks: crop", "marks: none"))
    data, _ = make_pdf(load_project(sample_dir), Job("sample", "en", "print"))
    (sample_dir / "x.pdf").write_bytes(data)
    with pikepdf.open(sample_dir / "x.pdf") as pdf:
        for page in pdf.pages:
            media = [float(v) for v in page.obj.MediaBox]
            trim = [float(v) for v in page.obj.TrimBox]
            assert media == pytest.approx([trim[0] - 3 * MM, trim[1] - 3 * MM, trim[2] + 3 * MM, trim[3] + 3 * MM], abs=0.01)
            assert [float(v) for v in page.obj.BleedBox] == pytest.approx(media, abs=0.01)


def test_system_fonts_never_reach_the_pdf(sample_dir: Path) -> None:
    css = sample_dir / "layouts" / "base" / "base.css"
    css.write_text(css.read_text() + "\nh2 { font-family: 'DejaVu Sans', 'Liberation Serif', serif; }\n")
    data, _ = make_pdf(load_project(sample_dir), Job("sample", "en", "proof"))
    names = set(re.findall(rb"/BaseFont /([A-Z]{6}\+[\w-]+)", data))
    with pikepdf.open(__import__("io").BytesIO(data)) as pdf:
        names = {str(f.BaseFont).split("+")[1] for p in pdf.pages for f in p.obj.Resources.Font.values()}
    bundled = {family.replace(" ", "-") for family in family_coverage(sample_dir / "fonts")}
    assert names and all(any(name.startswith(family) for family in bundled) for name in names), names
    assert not any(name.startswith(("DejaVu", "Liberation")) for name in names), names


def test_proof_links_are_live(sample_dir: Path) -> None:
    data, _ = make_pdf(load_project(sample_dir), Job("sample", "en", "proof"))
    (sample_dir / "p.pdf").write_bytes(data)
    with pikepdf.open(sample_dir / "p.pdf") as pdf:
        uris = [str(a.A.URI) for p in pdf.pages for a in p.obj.get("/Annots", []) if "/A" in a]
    assert "https://www.iom.int" in uris


# Reproducible print masters: any folder, any time, either font subsetter

BUILD_AT = """
import sys, time
from pathlib import Path
subsetter, shift, root = sys.argv[1], float(sys.argv[2]), Path(sys.argv[3])
real_time = time.time
time.time = lambda: real_time() + shift  # the build clock, moved
from brochure_press.compose.fonts import isolate_fontconfig
isolate_fontconfig(root / "fonts")
import weasyprint.pdf.fonts as fonts
if subsetter == "fonttools":
    fonts.harfbuzz_subset = None  # WeasyPrint 70 subsets with fontTools when libharfbuzz-subset is missing
calls = []
subset_with_fonttools = fonts.Font._fonttools_subset
fonts.Font._fonttools_subset = lambda self, *args: calls.append(1) or subset_with_fonttools(self, *args)
from brochure_press.cli import main
code = main(["--project", str(root), "build", "--edition", "ar", "--jobs", "1"])
print(f"fontTools subsets: {len(calls)}")
sys.exit(code)
"""


def build_at(sample_dir: Path, target: Path, subsetter: str, shift: float) -> dict[str, bytes]:
    """Every PDF of a copy of `sample_dir` in `target`, built in a fresh process with `subsetter` and the clock moved."""
    shutil.copytree(sample_dir, target, ignore=shutil.ignore_patterns("output"))
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", BUILD_AT, subsetter, str(shift), str(target)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    subsets = int(re.findall(r"fontTools subsets: (\d+)", done.stdout)[0])
    assert (subsets > 0) == (subsetter == "fonttools"), done.stdout
    return {p.name: p.read_bytes() for p in sorted((target / "output" / "sample").iterdir())}


@pytest.mark.parametrize("subsetter", ["harfbuzz", "fonttools"])
def test_builds_are_byte_identical_in_any_folder_at_any_time(sample_dir: Path, tmp_path: Path, subsetter: str) -> None:
    first = build_at(sample_dir, tmp_path / "one", subsetter, 0)
    second = build_at(sample_dir, tmp_path / "elsewhere" / "two", subsetter, 3 * 86400 + 3671)
    assert sorted(first) == ["sample.ar.print.pdf", "sample.ar.proof.pdf"] and first == second


def test_saddle_stitched_bilingual_editions_come_in_fours(built_sample: Path) -> None:
    campaign = built_sample / "brochures" / "campaign.yaml"
    loose = (built_sample / "output" / "sample" / "sample.bilingual.print.pdf").read_bytes()
    campaign.write_text(campaign.read_text().replace("binding: none", "binding: saddle-stitch"))
    stitched, pages = make_pdf(load_project(built_sample), Job("sample", "bilingual", "print"))
    assert pypdf.PdfReader(io.BytesIO(loose)).get_num_pages() % 2 == 0
    assert pages == 4 and pypdf.PdfReader(io.BytesIO(stitched)).get_num_pages() == 4
    last = pypdf.PdfReader(io.BytesIO(stitched)).pages[3].extract_text().replace("\u00a0", " ")  # bound words
    assert "This page is intentionally left blank." in last and "Page 4 of 4" in last


def test_swop_stays_available_as_a_named_condition(sample_dir: Path) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("output_intent: FOGRA39", "output_intent: SWOP"))
    data, _ = make_pdf(load_project(sample_dir), Job("sample", "en", "print"))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        (entry,) = pdf.Root.OutputIntents
        assert str(entry.OutputConditionIdentifier) == "CGATS TR 001"
        assert entry.DestOutputProfile.read_bytes() == (sample_dir / "layouts" / "icc" / "default_cmyk.icc").read_bytes()


def test_x1a_masters_keep_x1a_keys_only(sample_dir: Path) -> None:
    project = load_project(sample_dir).with_standard("x-1a")
    data, _ = make_pdf(project, Job("sample", "en", "print"))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo.GTS_PDFXVersion).startswith("PDF/X-1a") and "/GTS_PDFXConformance" in pdf.docinfo
        xmp = pdf.Root.Metadata.read_bytes().decode()
    assert "pdfxid:" not in xmp.replace('xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"', "")


def test_the_build_shows_what_preflight_warns_of(
    built_sample: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A print file preflight could not measure in full is made, and the build says what was not checked."""
    monkeypatch.setattr(inkcoverage, "GHOSTSCRIPT", "no-such-ghostscript")
    command = ["--project", str(built_sample), "build", "sample", "--edition", "en", "--variant", "print"]
    assert main([*command, "--force", "--allow-draft"]) == 0
    err = capsys.readouterr().err
    assert "total ink on the rendered separations not checked: Ghostscript (gs) is not installed" in err, err
    assert "preflight-draft" not in err
