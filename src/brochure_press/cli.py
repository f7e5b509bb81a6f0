"""The `brochure-press` command: options, output and exit codes; the work is done by the library.

Each command imports what it needs when it runs: `--help` loads neither the data model nor rich, and a build
with nothing to make never loads WeasyPrint.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brochure_press import __version__
from brochure_press.core.diagnostics import BuildError, Diagnostic, Location, is_failure
from brochure_press.core.jobs import VARIANTS

if TYPE_CHECKING:
    from rich.console import Console

    from brochure_press.core.project import Project

STANDARDS = ("x-4", "x-1a")
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="brochure-press", description="Bilingual brochures from YAML to print-ready PDF.")
    parser.add_argument("--version", action="version", version=f"brochure-press {__version__}")
    parser.add_argument("--project", type=Path, help="project folder (default: the nearest folder above holding brochures/)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (summary, add_arguments, handler) in COMMANDS.items():
        command = commands.add_parser(name, help=summary, description=summary)
        add_arguments(command)
        command.set_defaults(handler=handler)
    return parser


def _console() -> Console:
    """Standard error, with colours where the terminal has them."""
    from rich.console import Console

    return Console(stderr=True)


def _say(text: str) -> None:
    """One message on standard error, printed as written."""
    print(text, file=sys.stderr)


def _project_root(args: argparse.Namespace) -> Path:
    from brochure_press.core.project import find_root, project_folder

    return project_folder(args.project) if args.project else find_root(Path.cwd())


def _load(args: argparse.Namespace) -> Project:
    """The project, made to the PDF/X standard of `--standard` when given."""
    from brochure_press.core.project import load_project

    project = load_project(_project_root(args))
    return project.with_standard(args.standard) if getattr(args, "standard", None) else project


def _standard_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--standard", choices=STANDARDS, help="PDF/X standard of print files (default: print.standard in campaign.yaml)"
    )


def _selection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("brochures", nargs="*", metavar="BROCHURE", help="brochure ids (file names without .yaml); default: all")
    parser.add_argument("--edition", action="append", help="only this edition, as campaign.yaml names it (repeatable)")
    parser.add_argument("--variant", action="append", choices=list(VARIANTS), help="only this variant (repeatable)")


def _report(diagnostics: list[Diagnostic]) -> int:
    if diagnostics:
        console = _console()
        for diagnostic in dict.fromkeys(diagnostics):
            style = "red" if diagnostic.severity == "error" else "yellow"
            console.print(str(diagnostic), style=style, markup=False, highlight=False, soft_wrap=True)
    return EXIT_FAILED if is_failure(diagnostics) else EXIT_BAD_INPUT


def _jobs_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="worker processes (default: the cores)")


def _build_arguments(parser: argparse.ArgumentParser) -> None:
    _selection_arguments(parser)
    parser.add_argument("--force", action="store_true", help="rebuild every selected PDF even if its inputs did not change")
    parser.add_argument("--allow-draft", action="store_true", help="make print files even with stale translations or TODO texts")
    _jobs_argument(parser)
    _standard_argument(parser)


class _ProgressBar:
    """A progress bar on standard error, shown only once there is something to make."""

    def __init__(self) -> None:
        self._bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            from rich.progress import Progress

            self._bar = Progress(*Progress.get_default_columns(), console=_console(), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(f"Making {total} PDFs", total=total)
        self._bar.update(self._task, completed=done)

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _build(args: argparse.Namespace) -> int:
    import shutil

    from brochure_press.build.plan import plan
    from brochure_press.build.run import run
    from brochure_press.build.summary import summary_lines

    project = _load(args)
    jobs = plan(project, args.brochures, args.edition or (), args.variant or ())
    start = time.perf_counter()
    with _ProgressBar() as progress:
        report = run(project, jobs, workers=args.jobs, force=args.force, allow_draft=args.allow_draft, progress=progress)
    if report.warnings:
        _report(report.warnings)
    width = shutil.get_terminal_size().columns
    for line in summary_lines(report.built, project.output_dir, time.perf_counter() - start, width):
        _say(line)
    if report.current:
        _say(f"{len(report.current)} PDFs already up to date.")
    return EXIT_OK


def _preflight_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pdfs", nargs="+", type=Path, metavar="PDF", help="PDFs to check (proofs by their name: *.proof.pdf)")
    parser.add_argument("--json", action="store_true", help="write the reports as JSON, for machines")
    parser.add_argument("--proof", action="store_true", help="check every file as a tagged proof (accessibility)")
    _standard_argument(parser)


def _preflight(args: argparse.Namespace) -> int:
    import json

    from brochure_press.pdf.preflight import preflight_files
    from brochure_press.pdf.proofcheck import check_proof_files, is_proof, proof_report_data, proof_report_text
    from brochure_press.pdf.report import report_data, report_text

    project = _load(args)
    proofs = [path for path in args.pdfs if args.proof or is_proof(path)]
    prints = [path for path in args.pdfs if path not in proofs]
    reports = preflight_files(project, prints) if prints else []
    proof_reports = check_proof_files(project, proofs) if proofs else []
    if args.json:
        data = [report_data(r) for r in reports] + [proof_report_data(r) for r in proof_reports]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join([*(report_text(r) for r in reports), *(proof_report_text(r) for r in proof_reports)]))
    return EXIT_FAILED if any(r.errors for r in reports) or any(r.errors for r in proof_reports) else EXIT_OK


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (write YYYY-MM-DD)") from None


def _handoff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("brochures", nargs="*", metavar="BROCHURE", help="brochure ids; default: all")
    parser.add_argument(
        "--allow-draft", action="store_true", help="include drafts, named DRAFT in every file name and the ticket"
    )
    parser.add_argument("--date", type=_date, help="date of the bundle, YYYY-MM-DD (default: the latest `revised` date)")
    parser.add_argument(
        "--allow-open", action="store_true", help="hand off even when the order leaves questions open (listed atop the ticket)"
    )
    _standard_argument(parser)


def _handoff(args: argparse.Namespace) -> int:
    from brochure_press.build.handoff import hand_off

    project = _load(args)
    console = _console()
    with console.status("Building print files, proofs and the job ticket…"):
        bundle = hand_off(project, args.brochures, allow_draft=args.allow_draft, date=args.date, allow_open=args.allow_open)
    for report in bundle.reports:
        for diagnostic in report.diagnostics:
            console.print(str(diagnostic), style="yellow", markup=False, highlight=False, soft_wrap=True)
    draft = " (DRAFT – not for press)" if bundle.draft else ""
    _say(f"Hand-off bundle{draft}: {len(bundle.reports)} print files, {len(bundle.files)} files in all, in")
    _say(f"  {bundle.folder.relative_to(project.root)}/")
    _say(f"  {bundle.archive.relative_to(project.root)}")
    return EXIT_OK


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("brochures", nargs="*", metavar="BROCHURE", help="brochure ids (file names without .yaml); default: all")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too (for a final check before printing)")
    parser.add_argument(
        "--json", action="store_true", help="print the findings as JSON on standard output, text in logical order"
    )
    _jobs_argument(parser)


def _check(args: argparse.Namespace) -> int:
    from rich.console import Console

    from brochure_press.editor.check import check
    from brochure_press.editor.checkreport import check_json, check_lines

    report = check(_project_root(args), args.brochures, workers=args.jobs)
    failed = bool(report.errors or (args.strict and report.warnings))
    if args.json:
        print(check_json(report))
    else:
        out = Console(soft_wrap=True, highlight=False)
        for line, style in check_lines(report, args.strict, failed):
            out.print(line, style=style, markup=False)
    return EXIT_FAILED if failed else EXIT_OK


def _approve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("brochures", nargs="*", metavar="BROCHURE", help="brochure ids to approve (`campaign` for campaign.yaml)")
    parser.add_argument("--all", action="store_true", help="approve every brochure and campaign.yaml")
    parser.add_argument(
        "--yes", action="store_true", help="approve without asking (for scripts); what is approved is still shown"
    )


def _approve(args: argparse.Namespace) -> int:
    from brochure_press.core.project import load_project
    from brochure_press.core.sources import dotted
    from brochure_press.core.translations import approve, pending
    from brochure_press.editor.checkreport import terminal_text

    if bool(args.brochures) == bool(args.all):
        _say("Error: name the brochures to approve, or give --all (not both).")
        return EXIT_BAD_INPUT
    project = load_project(_project_root(args))
    names = {code: language.name for code, language in project.campaign.model.languages.items()}
    waiting = pending(project, args.brochures, args.all)
    for change in waiting:
        _say(f"{change.source_id} · {dotted(change.key)} · {change.status} {names[change.target]}")
        _say(f"  {names[change.original]}: {terminal_text(change.original_text)}")
        _say(f"  {names[change.target]}: {terminal_text(change.target_text)}")
    if waiting and not args.yes:
        if not sys.stdin.isatty():
            _say("Error: approve shows what it approves and asks first; run it in a terminal, or add --yes.")
            return EXIT_BAD_INPUT
        answer = _console().input(f"Approve these {len(waiting)} translations as they stand? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            _say("Nothing approved.")
            return EXIT_FAILED
    for done in approve(project, args.brochures, args.all):
        changes = ", ".join(f"{n} {status}" for status, n in sorted(done.changed.items())) or "no changes"
        todo = f"; {done.unwritten} with TODO left out" if done.unwritten else ""
        _say(f"{done.source}: {done.recorded} text pairs approved ({changes}){todo}")
    _say("Written: brochures/translations.lock; commit it together with the brochures.")
    return EXIT_OK


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0–65535)")
    return int(value)


def _preview_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=_port, default=8000, help="port on 127.0.0.1 to serve on (default: 8000; 0 picks a free one)"
    )


def _saved(files: list[str]) -> None:
    """One line in the editor's terminal for each save the preview reloads on."""
    _say(f"{time.strftime('%H:%M:%S')} saved {', '.join(files)}: pages reloaded")


def _preview(args: argparse.Namespace) -> int:
    from brochure_press.editor.preview import PreviewServer

    root = _project_root(args)
    try:
        server = PreviewServer(
            root, args.port, on_save=lambda files: _say(f"{time.strftime('%H:%M:%S')} saved {', '.join(files)}: reloaded")
        )
    except OSError as exc:
        _say(f"Error: cannot serve on port {args.port}: {exc.strerror} (hint: try --port {args.port + 1})")
        return EXIT_BAD_INPUT
    _say(f"Preview of {root}")
    _say(f"at {server.url} (reloads on every save; Ctrl+C stops it)")
    try:
        server.run()
    except KeyboardInterrupt:
        _say("Preview stopped.")
    finally:
        server.close()
    return EXIT_OK


def _new_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="the new brochure's id and file name: lowercase letters, digits, hyphens")
    parser.add_argument("--title-en", required=True, help="the English title")
    parser.add_argument("--title-ar", required=True, help="the Arabic title")


def _new(args: argparse.Namespace) -> int:
    from brochure_press.editor.checkreport import shown
    from brochure_press.editor.scaffold import new_brochure

    path = new_brochure(_project_root(args), args.id, args.title_en, args.title_ar)
    _say(f"Created {shown(path)}: replace its TODO texts, then")
    _say(f"`brochure-press check {args.id}` and `brochure-press preview`.")
    return EXIT_OK


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


Handler = Callable[[argparse.Namespace], int]

#: Every command: one-line summary, its arguments, and the function that runs it.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {
    "build": ("Build PDFs of brochures into output/ (only those whose inputs changed).", _build_arguments, _build),
    "preflight": (
        "Check finished print PDFs as a printer would (PDF/X, boxes, fonts, colour, images), and proofs for accessibility.",
        _preflight_arguments,
        _preflight,
    ),
    "handoff": (
        "Make the printer's bundle: print PDFs, job ticket, proofs, preflight reports.",
        _handoff_arguments,
        _handoff,
    ),
    "check": ("Check sources, translations, glyphs, contacts and fit without writing print files.", _check_arguments, _check),
    "approve": ("Record the current English/Arabic pairs as approved translations.", _approve_arguments, _approve),
    "preview": ("Serve a live preview on 127.0.0.1 that reloads on every save.", _preview_arguments, _preview),
    "new": ("Start a new brochure from a template with TODO texts.", _new_arguments, _new),
}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return int(args.handler(args))
    except BuildError as exc:
        return _report(exc.diagnostics)
    except BrokenPipeError:  # the reader of our output went away, e.g. `check --json | head`
        sys.stdout = None
        return EXIT_OK
    except OSError as exc:  # the disk is full, a folder is read-only…: the files already there are untouched
        where = Location(Path(exc.filename)) if exc.filename else None
        hint = "free space or fix the folder's permissions, then run again; earlier outputs are unchanged"
        return _report([Diagnostic("error", "file-system", f"cannot write: {exc.strerror or exc}", where, hint=hint)])
    except Exception as exc:
        if args.debug:
            raise
        _say(f"Internal error: {type(exc).__name__}: {exc} (run with --debug for details, and report it)")
        return EXIT_FAILED
    except KeyboardInterrupt:
        _say("Interrupted; outputs already written are complete, nothing else was changed.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
