"""Languages are data: a language added in campaign.yaml and fonts/ alone is built, set and checked."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
import yaml

from brochure_press.build.plan import plan
from brochure_press.build.run import run
from brochure_press.cli import main
from brochure_press.compose.fonts import family_coverage
from brochure_press.core.project import load_project
from brochure_press.core.walk import texts
from brochure_press.editor.check import check

from .conftest import REPO, visual_lines

#: A small fixture language: French, in the campaign's Latin face, with its own words for DRAFT and pages.
FRENCH = {
    "name": "French",
    "script": "Latn",
    "fonts": {"body": ["Noto Sans"]},
    "default": False,
    "draft": "BROUILLON",
    "page_of": "Page {page} sur {pages}",
    "scale": {"body": 10, "title": 20},
}


def add_french(root: Path) -> None:
    """Declare French with a trifold and an English–French edition, and write a French text beside every English one."""
    campaign_path = root / "brochures" / "campaign.yaml"
    campaign = yaml.safe_load(campaign_path.read_text())
    campaign["languages"]["fr"] = FRENCH
    campaign["editions"]["fr"] = {"layout": "trifold", "languages": ["fr"]}
    campaign["editions"]["en-fr"] = {"layout": "bilingual", "languages": ["en", "fr"]}

    def frenchify(node: object) -> None:
        if isinstance(node, dict):
            if "en" in node and isinstance(node["en"], str):
                node["fr"] = "FR " + node["en"]
            for value in node.values():
                frenchify(value)
        elif isinstance(node, list):
            for value in node:
                frenchify(value)

    frenchify(campaign)
    campaign_path.write_text(yaml.safe_dump(campaign, allow_unicode=True, sort_keys=False))
    sample_path = root / "brochures" / "sample.yaml"
    sample = yaml.safe_load(sample_path.read_text())
    frenchify(sample)
    sample["languages"] = ["en", "ar", "fr"]
    sample_path.write_text(yaml.safe_dump(sample, allow_unicode=True, sort_keys=False))


def test_a_language_added_in_yaml_alone_is_built_in_its_editions(sample_dir: Path) -> None:
    add_french(sample_dir)
    project = load_project(sample_dir)
    jobs = plan(project, ["sample"])
    assert {j.edition for j in jobs} == {"en", "ar", "bilingual", "fr", "en-fr"}
    built = {item.job.name: item.path for item in run(project, [j for j in jobs if "fr" in j.edition]).built}
    with pikepdf.open(built["sample.fr.proof.pdf"]) as pdf:
        assert str(pdf.Root.Lang) == "fr"
        assert str(pdf.Root.ViewerPreferences.Direction) == "/L2R"
    french = visual_lines(built["sample.fr.proof.pdf"], 0)
    assert any("FR Sample leaflet" in line for line in french)
    assert any("+965 2530 8169" in line for line in french)
    footer = " ".join(visual_lines(built["sample.en-fr.proof.pdf"], 0))
    assert "Page 1 sur 2" in footer and "Page 1 of 2" in footer  # padded to an even page count
    assert "BROUILLON" in pdfium.PdfDocument(built["sample.fr.proof.pdf"])[0].get_textpage().get_text_range()


def test_a_language_whose_texts_are_missing_is_reported_where_they_belong(sample_dir: Path) -> None:
    add_french(sample_dir)
    sample = sample_dir / "brochures" / "sample.yaml"
    data = yaml.safe_load(sample.read_text())
    del data["sections"][1]["blocks"][0]["bullets"][0]["fr"]
    sample.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    report = check(sample_dir, ["sample"])
    missing = [d for d in report.errors if d.code == "missing-translation"]
    assert [(d.field, d.message) for d in missing] == [("sections[1].blocks[0].bullets[0]", "the French translation is missing")]
    assert main(["--project", str(sample_dir), "build", "sample"]) == 2


def test_a_text_in_an_undeclared_language_is_an_error_with_a_suggestion(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = sample_dir / "brochures" / "sample.yaml"
    sample.write_text(sample.read_text().replace("  ar: نشرة تجريبية", "  ar: نشرة تجريبية\n  ra: نشرة"))
    assert main(["--project", str(sample_dir), "build", "sample"]) == 2
    assert "sample.yaml:6:3: error: title.ra: unknown language `ra` (hint: did you mean `ar`?)" in capsys.readouterr().err


def test_every_text_of_the_repository_is_written_in_each_of_its_languages() -> None:
    project = load_project(REPO)
    for source in project.brochures.values():
        for _, text in texts(source.model):
            assert set(text.languages) >= {"en", "ar"}


def test_font_coverage_notices_a_font_added_while_running(sample_dir: Path) -> None:
    fonts = sample_dir / "fonts"
    before = family_coverage(fonts)
    extra = Path("/usr/share/fonts/truetype/noto/NotoSansArmenian-Regular.ttf")
    if not extra.exists():
        pytest.skip("fonts-noto-core is not installed")
    shutil.copy(extra, fonts)
    after = family_coverage(fonts)
    assert "Noto Sans Armenian" in after and "Noto Sans Armenian" not in before
    assert ord("Ա") in after["Noto Sans Armenian"]


def test_page_numbers_follow_the_digit_setting(sample_dir: Path) -> None:
    campaign = sample_dir / "brochures" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("    digits: latn\n", "    digits: arab\n"))
    project = load_project(sample_dir)
    [item] = run(project, [j for j in plan(project, ["sample"], ["bilingual"], ["proof"])]).built
    # poppler's raw text, bidi marks dropped: the footer's Arabic is drawn without /ActualText (an artifact), so its
    # words come back whole but in visual order; compare the words, not their order.
    raw = subprocess.run(["pdftotext", "-raw", "-f", "1", "-l", "1", str(item.path), "-"], capture_output=True, text=True)
    page = re.sub("[\u200e\u200f\u202a-\u202e]", "", raw.stdout)
    [footer] = [line for line in page.splitlines() if "Page 1 of 2" in line]
    arabic = sorted(footer.replace("Page 1 of 2", "").split())
    assert arabic == sorted(["صفحة", "١", "من", "٢"]) and "1 من" not in page and "من 2" not in page
