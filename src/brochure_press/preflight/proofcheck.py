"""Checking finished proofs, the tagged digital edition: the accessibility rules, and PDF/UA-1 claimed only by
files that keep them. Reports for people and for machines."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

from brochure_press.compose.layouts import compose
from brochure_press.core.diagnostics import BuildError, Diagnostic, Location
from brochure_press.core.languages import edition_language, language_scripts
from brochure_press.core.project import Project
from brochure_press.pdf.readback import source_words
from brochure_press.preflight.accessibility import CHECKS, accessibility_problems
from brochure_press.preflight.structure import xmp_text

PROOF_NAME = re.compile(r"(?:DRAFT-)?(?P<brochure>[\w-]+)\.(?P<edition>[a-z0-9-]+)\.proof\.pdf")
PDFUA_CLAIM = re.compile(r"pdfuaid:part(?:\s*=\s*[\"']1[\"']|(?:\s[^>]*)?>\s*1\s*<)")


@dataclass(frozen=True)
class ProofReport:
    """The accessibility check of one proof: the language it was checked for, whether it claims PDF/UA-1, problems."""

    path: Path
    lang: str
    claims_pdfua: bool
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.diagnostics)


def _claims_pdfua(data: bytes) -> bool:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return bool(PDFUA_CLAIM.search(xmp_text(pdf)))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError):
        return False


def check_proof(
    data: bytes, path: Path, lang: str, scripts: dict[str, str], expected: Mapping[str, list[str]] | None = None
) -> ProofReport:
    """The accessibility report of one proof whose main language is `lang`; read back against `expected` (the words
    per language of the sources it was built from) when given."""
    where = Location(path)
    try:
        problems = accessibility_problems(data, lang, scripts, expected)
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as exc:
        diagnostic = Diagnostic("error", "proof-unreadable", f"not a readable PDF: {exc}", where, kind="preflight")
        return ProofReport(path, lang, False, (diagnostic,))
    diagnostics = [
        Diagnostic(
            p.severity,
            f"proof-{p.code}",
            f"page {p.page}: {p.message}" if p.page else p.message,
            where,
            hint=p.hint,
            kind="preflight",
        )
        for p in problems
    ]
    claims = _claims_pdfua(data)
    if claims and any(d.severity == "error" for d in diagnostics):
        message = "the XMP claims PDF/UA-1, but the file breaks the rules above"
        diagnostics.append(Diagnostic("error", "proof-false-claim", message, where, kind="preflight"))
    return ProofReport(path, lang, claims, tuple(diagnostics))


def is_proof(path: Path) -> bool:
    """Whether a file is named as a proof: `<brochure>.<edition>.proof.pdf`."""
    return PROOF_NAME.fullmatch(path.name) is not None


def check_proof_files(project: Project, paths: list[Path]) -> list[ProofReport]:
    """Check proofs named on the command line, each for the main language of the edition its name gives
    (a name that gives none: the campaign's source language)."""
    missing = [path for path in paths if not path.is_file()]
    if missing:
        hint = "give the path of a PDF, e.g. output/<brochure>/<brochure>.bilingual.proof.pdf"
        raise BuildError([Diagnostic("error", "missing-file", "no such file", Location(path), hint=hint) for path in missing])
    campaign = project.campaign.model
    scripts = language_scripts(campaign)
    reports = []
    for path in paths:
        named = PROOF_NAME.fullmatch(path.name)
        edition = named["edition"] if named and named["edition"] in campaign.editions else None
        lang = edition_language(campaign, edition)[0] if edition else next(iter(campaign.languages))
        brochure = named["brochure"].removeprefix("DRAFT-") if named else ""
        expected = None
        if edition and brochure in project.brochures:
            expected = source_words(compose(project, brochure, edition, "proof").html)
        report = check_proof(path.read_bytes(), path, lang, scripts, expected)
        if expected is None:
            message = "not read back: no brochure and edition of this project by the file's name to compare it with"
            hint = "name it <brochure>.<edition>.proof.pdf and check it in its project (--project)"
            unread = Diagnostic("warning", "proof-not-read-back", message, Location(path), hint=hint, kind="preflight")
            report = ProofReport(path, lang, report.claims_pdfua, (*report.diagnostics, unread))
        reports.append(report)
    return reports


def proof_report_text(report: ProofReport) -> str:
    """A readable report of one proof: verdict, what was checked, problems."""
    state = "FAILED" if report.errors else "passed"
    claim = "claims PDF/UA-1" if report.claims_pdfua else "does not claim PDF/UA-1"
    lines = [f"{report.path}: {state} ({report.errors} error(s), {report.warnings} warning(s)); {claim}"]
    lines.append(f"  checked for main language `{report.lang}`: {len(CHECKS)} rules (brochure-press preflight --json lists them)")
    lines += [f"  {d.severity}: {d.message}" + (f" (hint: {d.hint})" if d.hint else "") for d in report.diagnostics]
    return "\n".join(lines) + "\n"


def proof_report_data(report: ProofReport) -> dict[str, Any]:
    """The report of one proof as plain data, for `--json`."""
    return {
        "file": str(report.path),
        "passed": not report.errors,
        "errors": report.errors,
        "warnings": report.warnings,
        "lang": report.lang,
        "claims_pdfua": report.claims_pdfua,
        "checked": list(CHECKS),
        "problems": [{"severity": d.severity, "code": d.code, "message": d.message, "hint": d.hint} for d in report.diagnostics],
    }
