"""Shared fixtures: throwaway copies of the project, one full build, and PDF reading helpers."""

from __future__ import annotations

import ctypes
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling

from brochure_press.build.cache import CACHE_FILE
from brochure_press.build.plan import plan
from brochure_press.build.run import run
from brochure_press.cli.common import JOBS_VARIABLE
from brochure_press.core.files import locked
from brochure_press.core.jobs import Job
from brochure_press.core.project import Project, load_project
from brochure_press.pdf.markedcontent import content_streams
from brochure_press.pdf.textpositions import char_object, translucent_text
from brochure_press.render.actualtext import PDFIUM_TAG

REPO = Path(__file__).resolve().parent.parent

# Commands run in one process unless a test asks for more (`--jobs 2`): a pool's start costs more than the few PDFs
# of a test project. Set here, it reaches the commands tests start as subprocesses too.
os.environ[JOBS_VARIABLE] = "1"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MM = 72 / 25.4


#: Modules whose tests share a costly module fixture (test_web's site, test_shapes' build): each goes whole to one
#: test process, which makes the fixture once.
WHOLE_MODULES = frozenset({"tests/test_web.py", "tests/test_shapes.py"})


class WholeModules(LoadScopeScheduling):
    """pytest-xdist's scheduling test by test, each of WHOLE_MODULES sent whole to one process, the largest first.
    (xdist's own `loadgroup` fails with pytest 9.2, which no longer reads the node id xdist rewrites.)"""

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if module in WHOLE_MODULES else nodeid


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> LoadScopeScheduling | None:
    """`-n` alone (xdist's `load`) schedules with WholeModules; another --dist is xdist's own."""
    return WholeModules(config, log) if config.getvalue("dist") == "load" else None


def _output_state() -> dict[str, int]:
    """The repository's own output folder and everything in it, with modification times."""
    output = REPO / "output"
    return {str(p.relative_to(REPO)): p.stat().st_mtime_ns for p in [output, *output.rglob("*")] if p.exists()}


@pytest.fixture(scope="session", autouse=True)
def repository_output_untouched() -> Iterator[None]:
    """Tests build in throwaway copies: the repository's `output/` is the same after the session as before it."""
    before = _output_state()
    yield
    assert _output_state() == before, "a test wrote into the repository's output/: build a copy (copy_project)"


def copy_project(target: Path) -> Path:
    """A copy of the project's sources, layouts and fonts in `target`."""
    for folder in ("brochures", "layouts", "fonts"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def make_sample(root: Path) -> Path:
    """A project in `root` with the real campaign, layouts and fonts and one small brochure, `sample`."""
    for folder in ("layouts", "fonts"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "brochures").mkdir()
    shutil.copy(REPO / "brochures" / "campaign.yaml", root / "brochures")
    shutil.copy(FIXTURES / "sample.yaml", root / "brochures" / "sample.yaml")
    return root


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A project with the real campaign, layouts and fonts and one small brochure, `sample`."""
    return make_sample(tmp_path / "project")


def outputs(root: Path) -> list[Path]:
    """The files a build wrote into a project's output folder (its cache aside)."""
    output = root / "output"
    return sorted(p for p in output.rglob("*") if p.is_file() and p.relative_to(output).parts[0] != ".cache")


def shared_folder(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The temporary folder all test processes of a session share (pytest-xdist's workers), or this process's own."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(request.config, "workerinput") else base


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> dict[Job, Path]:
    """Every PDF of the real brochures, built once for the session: by the first test process that needs them
    when tests run in several (pytest-xdist), the others finding them current. The copy starts from the
    repository's own output when there is one (the README builds before it tests): the build cache, which covers
    the tool's code and every input, remakes only what is not current, and checks each PDF's bytes."""
    root = shared_folder(tmp_path_factory, request) / "built"
    with locked(root):
        if not root.exists():
            copy_project(root)
            if (REPO / "output" / CACHE_FILE).is_file():
                shutil.copytree(REPO / "output", root / "output", symlinks=True)
        project = load_project(root)
        run(project, plan(project), workers=2)
    return {job: job.path(project.output_dir) for job in plan(project)}


@pytest.fixture(scope="session")
def built_sample_once(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The `sample_dir` project with its 6 PDFs built, once for the session and shared like `built`: read it only,
    or take a copy (`built_sample`) to change."""
    root = shared_folder(tmp_path_factory, request) / "built-sample"
    with locked(root):
        if not root.exists():
            make_sample(root)
        project = load_project(root)
        run(project, plan(project))
    return root


@pytest.fixture
def built_sample(built_sample_once: Path, tmp_path: Path) -> Path:
    """A copy of the built sample project (sources, PDFs and build cache) of this test's own, to change."""
    return Path(shutil.copytree(built_sample_once, tmp_path / "project", symlinks=True))


@pytest.fixture(scope="session")
def real_project() -> Project:
    return load_project(REPO)


def without_pdfium_forms(source: Path | bytes) -> bytes:
    """A PDF without the sequences that carry PDFium's form of a run's text (render.actualtext): PDFium spreads a
    text over the glyphs of the run that carries it, and the text a left-to-right stretch of a right-to-left line is
    carried in has its parts in reverse order; without them, PDFium places each run's own text on its glyphs."""
    with pikepdf.open(io.BytesIO(source) if isinstance(source, bytes) else source) as pdf:
        for page in pdf.pages:
            for container, instructions in list(content_streams(page)):
                kept, dropped = [], []
                for instruction in instructions:
                    op = str(instruction.operator)
                    if op in ("BDC", "BMC"):
                        dropped.append(bool(instruction.operands) and instruction.operands[0] == f"/{PDFIUM_TAG}")
                    if not ((op in ("BDC", "BMC") and dropped[-1]) or (op == "EMC" and dropped and dropped.pop())):
                        kept.append(instruction)
                data = pikepdf.unparse_content_stream(kept)
                if isinstance(container, pikepdf.Page):
                    container.obj.Contents = pdf.make_stream(data)
                else:
                    container.write(data)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def linked_outside(project: Path, tmp_path: Path, link: str) -> Path:
    """An empty folder outside the project that `link` (a path in the project) is made a symbolic link to."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / link).symlink_to(elsewhere)
    return elsewhere


def seen_glyphs(source: Path | bytes, page: int) -> list[tuple[str, float, float, float, float, float]]:
    """(character, left, bottom, right, top, baseline) in points of every glyph a page shows, blanks and watermarks
    (text drawn translucent, as the DRAFT and review marks of proofs) left out; boxes are PDFium's loose ones."""
    pdf = pdfium.PdfDocument(without_pdfium_forms(source))
    shown = pdf[page]
    textpage = shown.get_textpage()
    marks = translucent_text(shown)
    glyphs = []
    for i in range(textpage.count_chars()):
        char = textpage.get_text_range(i, 1)
        if not char.strip() or char_object(textpage, i) in marks:
            continue
        x, y = ctypes.c_double(), ctypes.c_double()
        pdfium_raw.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(x), ctypes.byref(y))
        glyphs.append((char, *textpage.get_charbox(i, loose=True), y.value))
    pdf.close()
    return glyphs


def glyph_lines(path: Path, page: int) -> list[list[tuple[float, float, float, str, float]]]:
    """The glyphs of one page as (baseline, left, right, character, height), grouped into lines from the foot of
    the page up, each read left to right; watermarks left out."""
    # Grouped by baseline: type of several sizes on neighbouring lines stays apart.
    glyphs = [(y, left, right, char, top - bottom) for char, left, bottom, right, top, y in seen_glyphs(path, page)]
    glyphs.sort()
    lines: list[list[tuple[float, float, float, str, float]]] = []
    for glyph in glyphs:
        if lines and abs(lines[-1][-1][0] - glyph[0]) < 3:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    for line in lines:
        line.sort(key=lambda g: g[1])
    return lines


def visual_lines(path: Path, page: int) -> list[str]:
    """The text of one page as it is seen: glyphs grouped into lines and read left to right, from the foot of the
    page up; watermarks left out."""
    out = []
    for line in glyph_lines(path, page):
        text, previous_right = "", None
        for _, left, right, char, height in line:
            # A word space is about a quarter of the type size; letters sit much closer.
            if previous_right is not None and left - previous_right > 0.1 * height:
                text += " "
            text += char
            previous_right = right
        out.append(text)
    return out


def line_widths(path: Path, page: int) -> list[float]:
    """How wide each line of `visual_lines` is set, in points, from its leftmost to its rightmost glyph."""
    return [max(g[2] for g in line) - min(g[1] for g in line) for line in glyph_lines(path, page)]
