"""The `brochure-press` command: options, output and exit codes; the work is done by the library."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from brochure_press import __version__

# Commands that need PDF libraries import them when they run, so a no-op build starts fast.
from brochure_press.build.plan import Built, plan
from brochure_press.build.run import run
from brochure_press.core.diagnostics import BuildError, Diagnostic, is_failure
from brochure_press.core.jobs import VARIANTS
from brochure_press.core.project import Project, find_root, load_project
from brochure_press.core.sources import dotted

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


def _project_root(args: argparse.Namespace) -> Path:
    return args.project.resolve() if args.project else find_root(Path.cwd())


def _load(args: argparse.Namespace) -> Project:
    """The project, made to the PDF/X standard of `--standard` when given."""
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


def _report(console: Console, diagnostics: list[Diagnostic]) -> int:
    for diagnostic in dict.fromkeys(diagnostics):
        style = "red" if diagnostic.severity == "error" else "yellow"
        console.print(str(diagnostic), style=style, markup=False, highlight=False, soft_wrap=True)
    return EXIT_FAILED if is_failure(diagnostics) else EXIT_BAD_INPUT


def _summary(console: Console, built: list[Built], root: Path, seconds: float) -> None:
    if not built:
        return
    table = Table(title=f"{len(built)} PDFs written in {seconds:.1f} s")
    for column in ("file", "pages", "size", "layout s", "write s"):
        table.add_column(column, justify="left" if column == "file" else "right", overflow="fold")
    for item in built:
        table.add_row(
            str(item.path.relative_to(root / "output")),
            str(item.pages),
            f"{item.size / 1024:.0f} KiB",
            f"{item.layout_seconds:.2f}",
            f"{item.write_seconds:.2f}",
        )
    console.print(table)


def _build_arguments(parser: argparse.ArgumentParser) -> None:
    _selection_arguments(parser)
    parser.add_argument("--force", action="store_true", help="rebuild every selected PDF even if its inputs did not change")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="worker processes (default: the cores)")
    _standard_argument(parser)


def _build(args: argparse.Namespace, console: Console) -> int:
    project = _load(args)
    jobs = plan(project, args.brochures, args.edition or (), args.variant or ())
    start = time.perf_counter()
    with Progress(*Progress.get_default_columns(), console=console, transient=True) as progress:
        task = progress.add_task(f"Building up to {len(jobs)} PDFs", total=len(jobs))
        report = run(project, jobs, workers=args.jobs, force=args.force, progress=lambda: progress.advance(task))
    _report(console, report.warnings)
    _summary(console, report.built, project.root, time.perf_counter() - start)
    if report.current:
        console.print(f"{len(report.current)} PDFs already up to date.")
    return EXIT_OK


def _preflight_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pdfs", nargs="+", type=Path, metavar="PDF", help="print PDFs to check")
    parser.add_argument("--json", action="store_true", help="write the reports as JSON, for machines")
    _standard_argument(parser)


def _preflight(args: argparse.Namespace, console: Console) -> int:
    from brochure_press.pdf.preflight import preflight_files
    from brochure_press.pdf.report import report_data, report_text

    project = _load(args)
    reports = preflight_files(project, args.pdfs)
    if args.json:
        sys.stdout.write(json.dumps([report_data(r) for r in reports], ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(report_text(r) for r in reports))
    return EXIT_FAILED if any(r.errors for r in reports) else EXIT_OK


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


def _handoff(args: argparse.Namespace, console: Console) -> int:
    from brochure_press.build.handoff import hand_off

    project = _load(args)
    with console.status("Building print files, proofs and the job ticket…"):
        bundle = hand_off(project, args.brochures, allow_draft=args.allow_draft, date=args.date, allow_open=args.allow_open)
    for report in bundle.reports:
        for diagnostic in report.diagnostics:
            console.print(str(diagnostic), style="yellow", markup=False, highlight=False, soft_wrap=True)
    draft = " (DRAFT – not for press)" if bundle.draft else ""
    console.print(
        f"Hand-off bundle{draft}: {bundle.folder.relative_to(project.root)}/ and {bundle.archive.relative_to(project.root)} "
        f"({len(bundle.reports)} print files, {len(bundle.files)} files in all)",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    return EXIT_OK


def _say(console: Console, text: str) -> None:
    """One message, printed as written and never wrapped."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("brochures", nargs="*", metavar="BROCHURE", help="brochure ids (file names without .yaml); default: all")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too (for a final check before printing)")
    parser.add_argument(
        "--json", action="store_true", help="print the findings as JSON on standard output, text in logical order"
    )


def _check(args: argparse.Namespace, console: Console) -> int:
    from brochure_press.editor.check import check
    from brochure_press.editor.checkreport import check_json, check_lines

    report = check(_project_root(args), args.brochures)
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


def _approve(args: argparse.Namespace, console: Console) -> int:
    from brochure_press.editor.checkreport import terminal_text
    from brochure_press.editor.translations import approve, pending

    if bool(args.brochures) == bool(args.all):
        _say(console, "Error: name the brochures to approve, or give --all (not both).")
        return EXIT_BAD_INPUT
    project = load_project(_project_root(args))
    names = {code: language.name for code, language in project.campaign.model.languages.items()}
    waiting = pending(project, args.brochures, args.all)
    for change in waiting:
        _say(console, f"{change.source_id} · {dotted(change.key)} · {change.status} {names[change.target]}")
        _say(console, f"  {names[change.original]}: {terminal_text(change.original_text)}")
        _say(console, f"  {names[change.target]}: {terminal_text(change.target_text)}")
    if waiting and not args.yes:
        if not sys.stdin.isatty():
            _say(console, "Error: approve shows what it approves and asks first; run it in a terminal, or add --yes.")
            return EXIT_BAD_INPUT
        answer = console.input(f"Approve these {len(waiting)} translations as they stand? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            _say(console, "Nothing approved.")
            return EXIT_FAILED
    for done in approve(project, args.brochures, args.all):
        changes = ", ".join(f"{n} {status}" for status, n in sorted(done.changed.items())) or "no changes"
        todo = f"; {done.unwritten} with TODO left out" if done.unwritten else ""
        _say(console, f"{done.source}: {done.recorded} text pairs approved ({changes}){todo}")
    _say(console, "Written: brochures/translations.lock; commit it together with the brochures.")
    return EXIT_OK


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0–65535)")
    return int(value)


def _preview_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=_port, default=8000, help="port on 127.0.0.1 to serve on (default: 8000; 0 picks a free one)"
    )


def _preview(args: argparse.Namespace, console: Console) -> int:
    from brochure_press.editor.preview import PreviewServer

    root = _project_root(args)
    try:
        server = PreviewServer(root, args.port)
    except OSError as exc:
        _say(console, f"Error: cannot serve on port {args.port}: {exc.strerror} (hint: try --port {args.port + 1})")
        return EXIT_BAD_INPUT
    _say(console, f"Preview of {root} at {server.url} (reloads on every save; Ctrl+C stops it)")
    try:
        server.run()
    except KeyboardInterrupt:
        _say(console, "Preview stopped.")
    finally:
        server.close()
    return EXIT_OK


def _web_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # the web edition always holds every brochure in each of its languages


def _web(args: argparse.Namespace, console: Console) -> int:
    from brochure_press.editor.checkreport import shown
    from brochure_press.web.site import build_site

    project = _load(args)
    with console.status("Writing the web edition and share cards…"):
        site = build_site(project)
    _report(console, list(site.warnings))
    cards = sum(name.startswith("cards/") for name in site.files)
    heaviest = max(site.pages, key=lambda page: page.weight)
    _say(
        console,
        f"Web edition: {shown(site.folder)}/ ({len(site.pages)} pages, {cards} share cards, {len(site.files)} files; "
        f"heaviest page {heaviest.path}, {heaviest.weight / 1024:.0f} KB with its fonts). "
        f"Publish the folder as it is at {project.campaign.model.web.base_url}",
    )
    return EXIT_OK


def _new_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="the new brochure's id and file name: lowercase letters, digits, hyphens")
    parser.add_argument("--title-en", required=True, help="the English title")
    parser.add_argument("--title-ar", required=True, help="the Arabic title")


def _new(args: argparse.Namespace, console: Console) -> int:
    from brochure_press.editor.checkreport import shown
    from brochure_press.editor.scaffold import new_brochure

    path = new_brochure(_project_root(args), args.id, args.title_en, args.title_ar)
    _say(
        console,
        f"Created {shown(path)}: replace its TODO texts, then `brochure-press check {args.id}` and `brochure-press preview`.",
    )
    return EXIT_OK


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


Handler = Callable[[argparse.Namespace, Console], int]

#: Every command: one-line summary, its arguments, and the function that runs it.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {
    "build": ("Build PDFs of brochures into output/ (only those whose inputs changed).", _build_arguments, _build),
    "preflight": (
        "Check finished print PDFs as a printer would: PDF/X, boxes, fonts, colour, images.",
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
    "web": ("Write the web edition and share cards into output/web/, ready for any static host.", _web_arguments, _web),
    "new": ("Start a new brochure from a template with TODO texts.", _new_arguments, _new),
}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    console = Console(stderr=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        code: int = args.handler(args, console)
        return code
    except BuildError as exc:
        return _report(console, exc.diagnostics)
    except BrokenPipeError:  # the reader of our output went away, e.g. `check --json | head`
        sys.stdout = None
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            raise
        console.print(f"Internal error: {type(exc).__name__}: {exc} (run with --debug for details, and report it)", markup=False)
        return EXIT_FAILED
    except KeyboardInterrupt:
        console.print("Interrupted; outputs already written are complete, nothing else was changed.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
