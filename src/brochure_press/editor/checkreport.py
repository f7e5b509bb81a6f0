"""The `check` report for people (grouped by file, Arabic as the terminal can show it) and for machines (JSON)."""

from __future__ import annotations

import json
import re

from arabic_reshaper import reshape
from bidi import get_display

from brochure_press.compose.inline import ARABIC
from brochure_press.core.diagnostics import Diagnostic, displayed, shown
from brochure_press.core.translations import PRINT_STOPPERS
from brochure_press.editor.check import Report


def terminal_text(line: str, visual: bool) -> str:
    """A line for a terminal: as written (logical order), or, when `visual` (see `core.terminal.shaping_less`),
    with its Arabic letters joined (presentation forms) and in display order."""
    return get_display(reshape(line), base_dir="L") if visual and re.search(f"[{ARABIC}]", line) else line


def check_json(report: Report) -> str:
    findings = [
        {
            "file": str(d.location.path) if d.location else None,
            "line": d.location.line if d.location else None,
            "column": d.location.column if d.location else None,
            "severity": d.severity,
            "code": d.code,
            "field": d.field,
            "message": d.message,
            "hint": d.hint,
        }
        for d in map(displayed, report.diagnostics)
    ]
    summary = {
        "files": [str(shown(f)) for f in report.files],
        "editions_laid_out": report.editions,
        "editions_unchanged": report.editions - report.laid_out,
    }
    counts = {"errors": len(report.errors), "warnings": len(report.warnings)}
    return json.dumps({**counts, **summary, "diagnostics": findings}, ensure_ascii=False, indent=2)


def _stoppers(warnings: list[Diagnostic]) -> str:
    """How many warnings stop print files (texts still TODO, stale translations), and what then still builds."""
    stopping = sum(d.code in PRINT_STOPPERS for d in warnings)
    if not stopping:
        return ""
    return f" ({stopping} of them stop print files: `brochure-press build` makes only the proofs of their brochures)"


def check_lines(report: Report, strict: bool, failed: bool, visual: bool = False) -> list[tuple[str, str]]:
    """(line, style) pairs of the readable report: problems grouped by file (Arabic shaped and in display order
    when `visual`), then a verdict."""
    groups: dict[str, list[Diagnostic]] = {}
    for diagnostic in map(displayed, report.diagnostics):
        groups.setdefault(str(diagnostic.location.path) if diagnostic.location else "", []).append(diagnostic)
    lines: list[tuple[str, str]] = []
    for name, found in groups.items():
        errors = sum(d.severity == "error" for d in found)
        lines.append((f"{name or 'general'}: {errors} error(s), {len(found) - errors} warning(s)", "bold"))
        lines += [(terminal_text(str(d), visual), "red" if d.severity == "error" else "yellow") for d in found]
        lines.append(("", ""))
    unchanged = report.editions - report.laid_out
    reused = f" ({unchanged} unchanged since they were last laid out)" if unchanged else ""
    checked = f"{len(report.files)} source files and the layouts checked, {report.editions} editions laid out{reused}"
    if not report.diagnostics:
        lines.append((f"No problems: {checked}.", "green"))
    else:
        verdict = "FAILED" if failed else "passed with warnings" + ("" if strict else " (--strict fails on them)")
        counts = f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
        lines.append((f"{verdict}: {counts}{_stoppers(report.warnings)}; {checked}.", ""))
    return lines
