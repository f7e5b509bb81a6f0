"""Pictograms beside callouts: drawn in the callout's colour at the start of the line in either direction, named
from the project's set with located errors, and part of what decides a rebuild."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pikepdf
import pytest

from brochure_press.build.plan import job_keys, plan
from brochure_press.cli import main
from brochure_press.compose.pictograms import SVG, pictogram_svg
from brochure_press.core.diagnostics import BuildError
from brochure_press.core.jobs import Job
from brochure_press.core.project import Project, load_project
from brochure_press.pdf.content import page_content
from brochure_press.pdf.coordinates import Box
from tests.conftest import REPO

PRIMARY = (1.0, 0.7, 0.0, 0.3)
TINT = (0.08, 0.03, 0.0, 0.0)


def inside(box: Box, outer: Box) -> bool:
    return outer[0] <= box[0] and box[2] <= outer[2] and outer[1] <= box[1] and box[3] <= outer[3]


def callouts_with_pictograms(path: Path, page: int) -> list[tuple[Box, Box]]:
    """Each callout (its tint box) on a page with the box around the pictogram strokes inside it."""
    with pikepdf.open(path) as pdf:
        paints = page_content(pdf.pages[page]).paints
    boxes = [p.box for p in paints if p.kind == "fill" and p.colour.cmyk() == TINT and p.box]
    strokes = [p for p in paints if p.kind == "stroke" and p.box]
    found = []
    for box in boxes:
        drawn = [s for s in strokes if s.box and inside(s.box, box)]
        if drawn:
            assert {s.colour.space.family for s in drawn} == {"cmyk"}, "pictograms print in device CMYK"
            assert {s.colour.cmyk() for s in drawn} == {PRIMARY}, "pictograms print in the callouts' colour"
            edges = [s.box for s in drawn if s.box]
            found.append(
                (box, (min(e[0] for e in edges), min(e[1] for e in edges), max(e[2] for e in edges), max(e[3] for e in edges)))
            )
    return found


@pytest.mark.parametrize(("edition", "start"), [("en", "left"), ("ar", "right")])
def test_pictograms_stand_at_the_start_of_their_callouts(built: dict[Job, Path], edition: str, start: str) -> None:
    found = callouts_with_pictograms(built[Job("kuwait-efforts", edition, "print")], 1)
    assert len(found) == 2  # the shelter and the emergency callouts of the inside panels
    for callout, pictogram in found:
        width = callout[2] - callout[0]
        middle = (pictogram[0] + pictogram[2]) / 2
        side = "left" if middle < callout[0] + width / 4 else "right" if middle > callout[2] - width / 4 else "middle"
        assert side == start
        assert 5 * 72 / 25.4 < pictogram[2] - pictogram[0] < 8 * 72 / 25.4  # about 7 mm, less the stroke's own inset


def set_icon(root: Path, icon: str, after: str = "          ar: لك حقوق.\n") -> Path:
    path = root / "brochures" / "sample.yaml"
    text = path.read_text()
    assert after in text
    path.write_text(text.replace(after, after + f"        icon: {icon}\n", 1))
    return path


def test_an_unknown_pictogram_is_named_with_its_line_and_the_choices(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = set_icon(sample_dir, "rocket")
    line = path.read_text().splitlines().index("        icon: rocket") + 1
    with pytest.raises(BuildError) as caught:
        load_project(sample_dir)
    (problem,) = [d for d in caught.value.diagnostics if d.code == "unknown-pictogram"]
    assert problem.location and (problem.location.path, problem.location.line) == (path, line)
    assert "house" in problem.hint and "siren" in problem.hint
    assert main(["--project", str(sample_dir), "check"]) == 1
    assert f"sample.yaml:{line}:" in capsys.readouterr().out


def test_only_a_callout_has_a_pictogram(sample_dir: Path) -> None:
    set_icon(sample_dir, "house", after="          ar: الأرقام أدناه.\n")
    with pytest.raises(BuildError) as caught:
        load_project(sample_dir)
    assert any("only a callout has an icon" in d.message for d in caught.value.diagnostics)


def test_a_changed_pictogram_rebuilds_what_shows_it(sample_dir: Path) -> None:
    set_icon(sample_dir, "house")
    project: Project = load_project(sample_dir)
    before = job_keys(project, plan(project))
    drawing = sample_dir / "layouts" / "pictograms" / "house.svg"
    drawing.write_text(drawing.read_text().replace('stroke-width="2"', 'stroke-width="1.5"'))
    after = job_keys(project, plan(project))
    assert all(before[job] != after[job] for job in before)


@pytest.mark.parametrize("registered", [{"": ""}, {"svg": SVG}, {"ns9x": SVG}])
def test_a_pictogram_is_written_the_same_whatever_namespaces_the_process_registered(
    monkeypatch: pytest.MonkeyPatch, registered: dict[str, str]
) -> None:
    """WeasyPrint's metadata module registers its own namespaces (`""` among them) when it writes a PDF; a
    pictogram composed afterwards must still be a plain `<svg>` that HTML draws, byte for byte as before."""
    layouts = REPO / "layouts"
    names = sorted(p.stem for p in (layouts / "pictograms").glob("*.svg"))
    before = {name: pictogram_svg(layouts, name, "red") for name in names}
    monkeypatch.setattr(ET, "_namespace_map", dict(ET._namespace_map))  # type: ignore[attr-defined]  # restored after the test
    for prefix, uri in registered.items():
        ET.register_namespace(prefix, uri)
    for name in names:
        after = pictogram_svg(layouts, name, "red")
        assert after == before[name]
        assert after.startswith("<svg ") and ":svg" not in after and "ns0" not in after
