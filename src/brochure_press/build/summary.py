"""The build's summary for terminals: what was written, grouped by folder, one file a line, within the width."""

from __future__ import annotations

from pathlib import Path

from brochure_press.build.plan import Built
from brochure_press.core.diagnostics import Diagnostic
from brochure_press.core.wording import counted

STATS_HEADER = f"{'pages':>5} {'size':>8} {'layout':>7} {'write':>7}"
INDENT = "  "


def _stats(item: Built) -> str:
    return f"{item.pages:>5} {f'{item.size / 1024:.0f} KiB':>8} {item.layout_seconds:>6.2f}s {item.write_seconds:>6.2f}s"


def summary_lines(built: list[Built], output_dir: Path, seconds: float, width: int = 80) -> list[str]:
    """The summary: a title, then each folder and its files with pages, size and seconds spent laying out and
    writing. A file name is never cut: when it leaves no room for its figures, they go on the next line."""
    if not built:
        return []
    names = [item.path.name for item in built]
    column = max(min(max(map(len, names)), width - len(INDENT) - len(STATS_HEADER) - 2), len("file"))
    lines = [f"{counted(len(built), 'PDF')} written in {seconds:.1f} s", f"{INDENT}{'file':<{column}}  {STATS_HEADER}"]
    folder = None
    for item, name in zip(built, names, strict=True):
        if item.path.parent != folder:
            folder = item.path.parent
            lines.append(f"{folder.relative_to(output_dir.parent)}/")
        if len(name) <= column:
            lines.append(f"{INDENT}{name:<{column}}  {_stats(item)}")
        else:
            lines += [f"{INDENT}{name}", f"{INDENT}{'':<{column}}  {_stats(item)}"]
    return lines


#: Why print files are refused, by the code of the finding (`PRINT_STOPPERS`, and a refused draft), as a count reads.
REFUSALS = {"todo": ("text still to be written", "texts still to be written"), "translation-stale": ("stale translation", "")}


def _reasons(found: list[Diagnostic]) -> str:
    codes = [d.code for d in found]
    reasons = [counted(codes.count(code), *words) for code, words in REFUSALS.items() if code in codes]
    return ", ".join(reasons + ["a draft the campaign refuses to print"] * ("draft-refused" in codes))


def refused_line(refused: dict[str, list[Diagnostic]], others: list[str], options: str = "") -> str:
    """One line naming the brochures whose print files were refused, why, and the ways on: finish them, build
    draft print files, or build only the `others`; each command with the build's `options` (`--edition en`)."""
    named = "; ".join(f"{brochure} ({_reasons(found)})" for brochure, found in refused.items())
    build = f"`brochure-press build{options and ' ' + options}"
    ways = f"finish them, or run {build} --allow-draft` to make them as they stand"
    if others:
        ways += f", or {build} {' '.join(others)}` for the others only"
    return f"Print files not made for {named}: {ways}."
