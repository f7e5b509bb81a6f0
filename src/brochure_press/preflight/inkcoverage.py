"""Total area coverage measured on the page rendered as the plates print it (Ghostscript's CMYK `tiff32nc`, which
overprints as a press does), so that ink built up where objects overlap or overprint is seen, not only each colour on
its own."""

from __future__ import annotations

import resource
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageMath

from brochure_press.core.diagnostics import PageProblem
from brochure_press.core.policy import INK_DPI, INK_MIN_AREA_MM2
from brochure_press.preflight.limits import Limits

MM_PER_INCH = 25.4
GHOSTSCRIPT = "gs"


@dataclass(frozen=True)
class Coverage:
    """The most ink on one page, in per cent, and the area (mm²) over the limit."""

    page: int
    highest: float
    over_mm2: float


def ghostscript() -> str | None:
    """The Ghostscript program, when installed."""
    return shutil.which(GHOSTSCRIPT)


def _limit_memory(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def page_coverage(picture: Image.Image, page: int, ink_limit: float, dpi: int = INK_DPI) -> Coverage:
    """The ink of one page's composite CMYK rendering; its outermost pixel frame (marks meet the bleed edge) is left out."""
    width, height = picture.size
    inner = picture.crop((1, 1, max(2, width - 1), max(2, height - 1))) if width > 2 and height > 2 else picture
    c, m, y, k = (band.convert("I") for band in inner.split())
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    assert isinstance(total, Image.Image)
    threshold = (ink_limit + 0.5) / 100 * 255
    over = ImageMath.lambda_eval(lambda a: a["t"] > threshold, t=total)
    assert isinstance(over, Image.Image)
    count = over.convert("L").histogram()[1]
    highest = total.getextrema()[1]
    return Coverage(page, float(highest) / 255 * 100, count * pixel_mm2(dpi))  # type: ignore[arg-type]


def pixel_mm2(dpi: int = INK_DPI) -> float:
    """The area of one pixel at `dpi`, in mm²."""
    return (MM_PER_INCH / dpi) ** 2


def render_separations(data: bytes, pages: int, limits: Limits, dpi: int = INK_DPI) -> list[Image.Image] | str:
    """Every page inside its BleedBox as the plates print it (Ghostscript's CMYK device `tiff32nc`, overprinting as a
    press does: the composite `tiffsep` makes, without writing each plate apart), as CMYK pictures; or why it could not
    be rendered."""
    program = ghostscript()
    if program is None:
        return "Ghostscript (gs) is not installed"
    with tempfile.TemporaryDirectory(prefix="brochure-press-ink-") as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        command = [
            program,
            "-q",
            "-dSAFER",
            "-dBATCH",
            "-dNOPAUSE",
            "-dNOINTERPOLATE",
            "-dUseBleedBox",
            f"-dLastPage={pages}",
            "-sDEVICE=tiff32nc",
            f"-r{dpi}",
            f"-sOutputFile={Path(folder) / 'page-%d.tif'}",
            str(source),
        ]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                timeout=limits.render_seconds,
                preexec_fn=lambda: _limit_memory(limits.render_memory_bytes),
                check=False,
            )
        except subprocess.TimeoutExpired:
            return f"Ghostscript took longer than {limits.render_seconds:g} s"
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
            return f"Ghostscript could not render the file ({reason[-1] if reason else f'exit code {done.returncode}'})"
        found = []
        for page in range(1, pages + 1):
            tiff = Path(folder) / f"page-{page}.tif"
            if not tiff.exists():
                return f"Ghostscript rendered no page {page}"
            with Image.open(tiff) as picture:
                found.append(picture.convert("CMYK"))
        return found


def ink_coverage_problems(rendered: list[Image.Image] | str, ink_limit: float) -> list[PageProblem]:
    """Pages where the rendered separations (`render_separations`), overprint included, put more ink than `ink_limit`
    on an area of at least INK_MIN_AREA_MM2; a warning when the measure could not be taken."""
    if isinstance(rendered, str):
        message = f"total ink on the rendered separations not checked: {rendered}"
        return [PageProblem(None, "warning", "ink-not-checked", message, "install Ghostscript (scripts/setup.sh does)")]
    measured = [page_coverage(picture, n, ink_limit) for n, picture in enumerate(rendered, start=1)]
    problems = []
    for page in measured:
        if page.over_mm2 >= INK_MIN_AREA_MM2:
            message = (
                f"up to {page.highest:.0f} % total ink on {page.over_mm2:.0f} mm² as printed (overlaps and overprint "
                f"included); the limit is {ink_limit:g} %"
            )
            hint = "lighten the colours that overlap there, or do not overprint them"
            problems.append(PageProblem(page.page, "error", "ink-coverage", message, hint))
    return problems
