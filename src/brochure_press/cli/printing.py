"""The commands that make files for the printer and the web: build, preflight, handoff, web."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

from brochure_press.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    commands,
    error_console,
    jobs_argument,
    load,
    report_problems,
    say,
    selection_arguments,
    standard_argument,
)
from brochure_press.core.diagnostics import Diagnostic
from brochure_press.core.wording import counted


def build_arguments(parser: argparse.ArgumentParser) -> None:
    selection_arguments(parser)
    parser.add_argument("--force", action="store_true", help="rebuild every selected PDF even if its inputs did not change")
    parser.add_argument("--allow-draft", action="store_true", help="make print files even with stale translations or TODO texts")
    jobs_argument(parser)
    standard_argument(parser)


class ProgressBar:
    """A progress bar on standard error, shown only once there is something to make."""

    def __init__(self) -> None:
        self._bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            from rich.progress import Progress

            self._bar = Progress(*Progress.get_default_columns(), console=error_console(), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(f"Making {counted(total, 'PDF')}", total=total)
        self._bar.update(self._task, completed=done)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def build(args: argparse.Namespace) -> int:
    import shutil

    from brochure_press.build.plan import plan
    from brochure_press.build.run import run
    from brochure_press.build.summary import refused_line, summary_lines

    project = load(args)
    jobs = plan(project, args.brochures, args.edition or (), args.variant or ())
    start = time.perf_counter()
    with ProgressBar() as progress:
        report = run(project, jobs, workers=args.jobs, force=args.force, allow_draft=args.allow_draft, progress=progress)
    refusals = [d for found in report.refused.values() for d in found]
    if report.warnings or refusals:
        report_problems(report.warnings + refusals)
    width = shutil.get_terminal_size().columns
    for line in summary_lines(report.built, project.output_dir, time.perf_counter() - start, width):
        say(line)
    if report.current:
        say(f"{counted(len(report.current), 'PDF')} already up to date.")
    if report.refused:
        others = [b for b in dict.fromkeys(job.brochure for job in jobs) if b not in report.refused]
        options = [*(f"--edition {e}" for e in args.edition or ()), *(f"--variant {v}" for v in args.variant or ())]
        say(commands(refused_line(report.refused, others, " ".join(options))))
        return EXIT_BAD_INPUT
    return EXIT_OK


def preflight_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pdfs", nargs="+", type=Path, metavar="PDF", help="PDFs to check (proofs by their name: *.proof.pdf)")
    parser.add_argument("--json", action="store_true", help="write the reports as JSON, for machines")
    parser.add_argument("--proof", action="store_true", help="check every file as a tagged proof (accessibility)")
    standard_argument(parser)


def preflight(args: argparse.Namespace) -> int:
    import json

    from brochure_press.core.terminal import printable, printable_json
    from brochure_press.preflight.printcheck import preflight_files
    from brochure_press.preflight.proofcheck import check_proof_files, is_proof, proof_report_data, proof_report_text
    from brochure_press.preflight.report import report_data, report_text

    project = load(args)
    proofs = [path for path in args.pdfs if args.proof or is_proof(path)]
    prints = [path for path in args.pdfs if path not in proofs]
    reports = preflight_files(project, prints) if prints else []
    proof_reports = check_proof_files(project, proofs) if proofs else []
    if args.json:
        data = [report_data(r) for r in reports] + [proof_report_data(r) for r in proof_reports]
        sys.stdout.write(printable_json(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")
    else:
        text = "\n".join([*(report_text(r) for r in reports), *(proof_report_text(r) for r in proof_reports)])
        sys.stdout.write(printable(text))
    return EXIT_FAILED if any(r.errors for r in reports) or any(r.errors for r in proof_reports) else EXIT_OK


def date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (write YYYY-MM-DD)") from None


def handoff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("brochures", nargs="*", metavar="BROCHURE", help="brochure ids; default: all")
    parser.add_argument(
        "--allow-draft", action="store_true", help="include drafts, named DRAFT in every file name and the ticket"
    )
    parser.add_argument("--date", type=date, help="date of the bundle, YYYY-MM-DD (default: the latest `revised` date)")
    parser.add_argument(
        "--allow-open", action="store_true", help="hand off even when the order leaves questions open (listed atop the ticket)"
    )
    standard_argument(parser)


def grouped(diagnostics: list[Diagnostic]) -> list[str]:
    """One line for each finding however many files share it, naming the first file and how many more."""
    files: dict[Diagnostic, list[str]] = {}
    for diagnostic in diagnostics:
        files.setdefault(dataclasses.replace(diagnostic, location=None), []).append(str(diagnostic.location or ""))
    lines = []
    for diagnostic, where in files.items():
        more = f" (and {counted(len(where) - 1, 'other file')})" if len(where) > 1 else ""
        lines.append(f"{where[0]}{more}: {diagnostic}")
    return lines


def handoff(args: argparse.Namespace) -> int:
    from brochure_press.build.handoff import hand_off
    from brochure_press.core.terminal import printable

    project = load(args)
    console = error_console()
    with console.status("Building print files, proofs and the job ticket…"):
        bundle = hand_off(project, args.brochures, allow_draft=args.allow_draft, date=args.date, allow_open=args.allow_open)
    for line in grouped([d for report in bundle.reports for d in report.diagnostics]):
        console.print(printable(commands(line)), style="yellow", markup=False, highlight=False, soft_wrap=True)
    draft = " (DRAFT – not for press)" if bundle.draft else ""
    say(f"Hand-off bundle{draft}: {len(bundle.reports)} print files, {len(bundle.files)} files in all, in")
    say(f"  {bundle.folder.relative_to(project.root)}/")
    say(f"  {bundle.archive.relative_to(project.root)}")
    return EXIT_OK


def web_arguments(parser: argparse.ArgumentParser) -> None:
    """None: the web edition always holds every brochure in each of its languages."""


def web(args: argparse.Namespace) -> int:
    from brochure_press.web.site import build_site

    with error_console().status("Writing the web edition and share cards…"):
        site = build_site(load(args))
    report_problems(list(site.warnings))
    say(site.summary(Path.cwd()))
    return EXIT_OK
