"""Partner logos and the credit line: vector and CMYK logos in print, a located error for the others, an open
question in the job ticket when none are listed, and a credit line of at least 8 pt."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from PIL import Image

from brochure_press.build.plan import plan
from brochure_press.build.printorder import open_questions
from brochure_press.build.run import run
from brochure_press.cli import main
from brochure_press.core.project import load_project

#: PDFium gives WeasyPrint's type sizes in CSS pixels.
PT_PER_PX = 0.75
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><rect width="40" height="20" {paint}/></svg>'
LOGOS = {
    "raster.png": None,
    "rgb.svg": 'fill="#c81e1e"',
    "styled.svg": 'style="fill: rgb(200, 30, 30)"',
    "cmyk.svg": 'fill="device-cmyk(0 0.9 0.9 0)"',
}


def list_logos(root: Path, names: list[str]) -> None:
    """Put the logos `names` in layouts/logos/ and list them in campaign.yaml."""
    folder = root / "layouts" / "logos"
    folder.mkdir(exist_ok=True)
    for name in names:
        if LOGOS[name] is None:
            Image.new("RGB", (120, 60), (200, 30, 30)).save(folder / name)
        else:
            (folder / name).write_text(SVG.format(paint=LOGOS[name]))
    campaign = root / "brochures" / "campaign.yaml"
    entries = "".join(f"  - file: layouts/logos/{name}\n    name: {{en: Partner {name}, ar: شريك}}\n" for name in names)
    campaign.write_text(campaign.read_text() + "logos:\n" + entries)


def test_a_raster_or_rgb_logo_refuses_print_files_at_its_line(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    list_logos(sample_dir, list(LOGOS))
    lines = (sample_dir / "brochures" / "campaign.yaml").read_text().splitlines()
    line = {name: 1 + next(i for i, text in enumerate(lines) if f"layouts/logos/{name}" in text) for name in LOGOS}
    status = main(["--project", str(sample_dir), "build", "--edition", "en", "--variant", "print", "sample"])
    err = capsys.readouterr().err
    assert status != 0 and "Traceback" not in err
    expected = {
        "raster.png": "is a raster image",
        "rgb.svg": r"paints in RGB \(#c81e1e\)",
        "styled.svg": r"paints in RGB \(rgb\(200, 30, 30\)\)",
    }
    for name, what in expected.items():
        where = rf"campaign\.yaml:{line[name]}:\d+: error: logos\[\d\]\.file"
        pattern = rf"{where}: layouts/logos/{name} {what}.*hint: ask the partner"
        assert re.search(pattern, err), err
    assert "cmyk.svg" not in err
    assert not list((sample_dir / "output").rglob("*.print.pdf"))


def test_a_cmyk_vector_logo_prints_beside_a_patronage_line_of_at_least_8_pt(sample_dir: Path) -> None:
    list_logos(sample_dir, ["cmyk.svg"])
    project = load_project(sample_dir)
    [item] = run(project, plan(project, ["sample"], ["ar"], ["print"])).built  # preflighted: no RGB, logo painted
    credit = project.campaign.model.auspices["ar"]
    assert "تحت رعاية نائب رئيس مجلس الوزراء ووزير الداخلية" in credit  # the office, by its title, not a person
    textpage = pdfium.PdfDocument(item.path)[0].get_textpage()
    found = textpage.search("رعاية").get_next()
    assert found is not None
    start, count = found
    sizes = {raw.FPDFText_GetFontSize(textpage.raw, i) * PT_PER_PX for i in range(start, start + count)}
    assert round(min(sizes), 1) >= 8, sizes


def test_the_job_ticket_asks_for_the_logos_until_they_are_listed_or_declined(sample_dir: Path) -> None:
    def asks() -> bool:
        project = load_project(sample_dir)
        questions = open_questions(project, [("sample", "en")], dt.date(2026, 1, 15))
        return any(question.startswith("Which partner logos") for question in questions)

    assert asks()
    campaign = sample_dir / "brochures" / "campaign.yaml"
    text = campaign.read_text()
    campaign.write_text(text + "logos: []\n")
    assert not asks()
    campaign.write_text(text)
    list_logos(sample_dir, ["cmyk.svg"])
    assert not asks()
