"""Preflight reports as text for people and as plain data for machines and job tickets."""

from __future__ import annotations

from typing import Any

from brochure_press.core.model import STANDARD_NAMES
from brochure_press.preflight.printcheck import Report


def _verdict(report: Report) -> str:
    def count(n: int, what: str) -> str:
        return f"{n} {what}{'s' if n != 1 else ''}"

    state = "FAILED" if report.errors else "passed"
    return f"{state} ({count(report.errors, 'error')}, {count(report.warnings, 'warning')})"


def report_text(report: Report, name: str | None = None) -> str:
    """A readable preflight report of one file: verdict, facts, what it was checked against, problems."""
    expect = report.expected
    lines = [f"{name or report.path}: {_verdict(report)}"]
    if report.pages:
        trim = f"{report.trim_mm[0]:g} × {report.trim_mm[1]:g} mm" if report.trim_mm else "none"
        lines.append(
            f"  {report.standard or 'no PDF/X version'} · output intent {report.output_condition or 'none'} · "
            f"{report.pages} page{'s' if report.pages != 1 else ''} · trim {trim} · bleed {report.bleed_mm:g} mm"
        )
        lines.append(f"  inks: {', '.join(f'page {n} {inks}' for n, inks in enumerate(report.inks, start=1))}")
        lines.append(f"  fonts: {', '.join(report.fonts) or 'none'}")
    folds = "; ".join(
        f"{', '.join(f'{f:g}' for f in page)} mm (page {n})" for n, page in enumerate(expect.folds_mm, start=1) if page
    )
    layout = f"; layout `{expect.layout}`" if expect.layout else ""
    lines.append(
        f"  checked against: {STANDARD_NAMES[expect.standard]}{layout}; bleed ≥ {expect.bleed_mm:g} mm; "
        f"total ink ≤ {expect.ink_limit:g} %"
    )
    lines.append(f"  text ≥ {expect.safety_mm:g} mm inside the trim" + (f" and from the folds at {folds}" if folds else ""))
    for finding in report.findings:
        d = finding.diagnostic
        lines.append(f"  {d.severity}: {d.message}" + (f" (hint: {d.hint})" if d.hint else ""))
    return "\n".join(lines) + "\n"


def report_data(report: Report, name: str | None = None) -> dict[str, Any]:
    """The preflight report of one file as plain data, for `--json` and the job ticket."""
    return {
        "file": name or str(report.path),
        "passed": not report.errors,
        "errors": report.errors,
        "warnings": report.warnings,
        "standard": report.standard,
        "output_condition": report.output_condition,
        "pages": report.pages,
        "trim_mm": list(report.trim_mm) if report.trim_mm else None,
        "bleed_mm": report.bleed_mm,
        "inks": list(report.inks),
        "fonts": list(report.fonts),
        "checked_against": {
            "standard": STANDARD_NAMES[report.expected.standard],
            "layout": report.expected.layout or None,
            "bleed_mm": report.expected.bleed_mm,
            "ink_limit": report.expected.ink_limit,
            "safety_mm": report.expected.safety_mm,
            "folds_mm": [list(page) for page in report.expected.folds_mm],
        },
        "problems": [
            {
                "severity": f.diagnostic.severity,
                "code": f.diagnostic.code,
                "page": f.page,
                "message": f.diagnostic.message,
                "hint": f.diagnostic.hint,
            }
            for f in report.findings
        ],
    }
