"""`new`: a scaffolded brochure passes `check` except for the TODO texts it asks for; bad ids and titles are refused."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from brochure_press.cli import main
from brochure_press.core.translations import read_lock
from brochure_press.editor.check import check


def test_a_new_brochure_passes_check_except_for_its_todo_texts(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--project", str(sample_dir), "new", "worker-rights", "--title-en", "Worker: rights", "--title-ar", "حقوق العمال"]
    assert main(args) == 0
    assert "Created" in capsys.readouterr().err
    path = sample_dir / "brochures" / "worker-rights.yaml"
    assert path.read_text().startswith("# yaml-language-server: $schema=../schema/brochure.schema.json\n")
    report = check(sample_dir, ["worker-rights"])
    own = [d for d in report.diagnostics if d.location and d.location.path == path]
    # A scaffold's panels hold one placeholder text each: under-filled panels are warned about too.
    assert own and {(d.severity, d.code) for d in own} == {("warning", "todo"), ("warning", "panel-fill")}
    assert report.editions == 3
    assert list(read_lock(sample_dir)["worker-rights"]) == ["title"]
    # Writing the texts leaves nothing to report but the pairs that await approval.
    path.write_text(path.read_text().replace("TODO: ", ""))
    codes = {
        d.code for d in check(sample_dir, ["worker-rights"], fit=False).diagnostics if d.location and d.location.path == path
    }
    assert codes == {"translation-new"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Worker_Rights", "--title-en", "A", "--title-ar", "ب"], "`Worker_Rights` cannot name a brochure"),
        (["campaign", "--title-en", "A", "--title-ar", "ب"], "`campaign` cannot name a brochure"),
        (
            ["x", "--title-en", "حقوق", "--title-ar", "Rights"],
            "--title-ar has no Arabic letters (hint: the two titles may be swapped)",
        ),
        (["x", "--title-en", " ", "--title-ar", "ب"], "--title-en is empty"),
        (["x", "--title-en", "A\u202e", "--title-ar", "ب"], "--title-en holds line breaks or invisible control characters"),
        (["sample", "--title-en", "A", "--title-ar", "ب"], "brochures/sample.yaml already exists"),
    ],
)
def test_bad_ids_and_titles_are_refused(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = sorted(p.name for p in (sample_dir / "brochures").iterdir())
    sample = (sample_dir / "brochures" / "sample.yaml").read_bytes()
    assert main(["--project", str(sample_dir), "new", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert sorted(p.name for p in (sample_dir / "brochures").iterdir()) == before
    assert (sample_dir / "brochures" / "sample.yaml").read_bytes() == sample


def test_titles_are_required(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--project", str(sample_dir), "new", "x", "--title-en", "A"])
    assert exited.value.code == 2
    assert "--title-ar" in capsys.readouterr().err


def test_an_unfinished_brochure_refuses_only_its_own_print_files(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The other brochures' files are built; one summary line, last, names the unfinished brochure and the ways
    on, and the command it gives for the others runs as printed."""
    project = ["--project", str(sample_dir)]
    assert main([*project, "new", "recruitment-fees", "--title-en", "Recruitment fees", "--title-ar", "رسوم التوظيف"]) == 0
    capsys.readouterr()
    assert main([*project, "build", "--edition", "en"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    output = sample_dir / "output"
    made = sorted(p.name for p in output.glob("*/*.pdf"))
    assert made == ["recruitment-fees.en.proof.pdf", "sample.en.print.pdf", "sample.en.proof.pdf"]
    assert "Sample leaflet" in pypdf.PdfReader(output / "sample" / "sample.en.print.pdf").pages[0].extract_text()
    todo = [line for line in err if "recruitment-fees.yaml" in line and "error:" in line and "still to be written" in line]
    assert todo and err[-1].startswith(f"Print files not made for recruitment-fees ({len(todo)} texts still to be written): ")
    assert "`brochure-press build --edition en --allow-draft`" in err[-1]
    others = re.search(r"`brochure-press (build [^`]*)` for the others only", err[-1])
    assert others and others.group(1) == "build --edition en sample"
    assert main([*project, *others.group(1).split()]) == 0
    assert capsys.readouterr().err.strip() == "2 PDFs already up to date."
    assert main([*project, "check", "recruitment-fees"]) == 0
    assert f"({len(todo)} of them stop print files: " in capsys.readouterr().out
