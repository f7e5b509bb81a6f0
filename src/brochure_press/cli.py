"""The `brochure-press` command: options, output and exit codes; the work is done by the library."""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from arabic_reshaper import reshape
from bidi import get_display
from rich.console import Console
from rich.table import Table

from . import __version__
from .build import VARIANTS, Built, plan, run
from .check import Report, check
from .diagnostics import BuildError, Diagnostic
from .project import find_root, load_project
from .scaffold import new_brochure
from .text import ARABIC
from .translations import approve

#: Problems found while laying out or checking finished files; everything else is bad input.
BUILD_FAILURES = frozenset({"panel-overflow", "page-count", "layout"})
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


def _selection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("brochures", nargs="*", metavar="BROCHURE", help="brochure ids (file names without .yaml); default: all")
    parser.add_argument("--edition", action="append", choices=["en", "ar", "bilingual"], help="only this edition (repeatable)")
    parser.add_argument("--variant", action="append", choices=list(VARIANTS), help="only this variant (repeatable)")


def _report(console: Console, diagnostics: list[Diagnostic]) -> int:
    for diagnostic in dict.fromkeys(diagnostics):
        style = "red" if diagnostic.severity == "error" else "yellow"
        console.print(str(diagnostic), style=style, markup=False, highlight=False, soft_wrap=True)
    return EXIT_FAILED if any(d.code in BUILD_FAILURES for d in diagnostics) else EXIT_BAD_INPUT


def _summary(console: Console, built: list[Built], root: Path, seconds: float) -> None:
    table = Table(title=f"{len(built)} PDFs written in {seconds:.1f} s")
    for column in ("file", "pages", "size", "seconds"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for item in built:
        table.add_row(str(item.path.relative_to(root)), str(item.pages), f"{item.size / 1024:.0f} KiB", f"{item.seconds:.2f}")
    console.print(table)


def _build(args: argparse.Namespace, console: Console) -> int:
    root = _project_root(args)
    project = load_project(root)
    jobs = plan(project, args.brochures, args.edition or (), args.variant or ())
    start = time.perf_counter()
    with console.status(f"Building {len(jobs)} PDFs…"):
        built = list(run(project, jobs))
    _summary(console, built, root, time.perf_counter() - start)
    return EXIT_OK


def _say(console: Console, text: str) -> None:
    """One message, printed as written and never wrapped."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _shown(path: Path) -> Path:
    """A path as short as it can be from the current folder."""
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def _displayed(diagnostic: Diagnostic) -> Diagnostic:
    where = diagnostic.location
    return dataclasses.replace(diagnostic, location=where and dataclasses.replace(where, path=_shown(where.path)))


def terminal_text(line: str) -> str:
    """A line in visual order with joined Arabic letters, for terminals that do not reorder right-to-left text."""
    return get_display(reshape(line), base_dir="L") if re.search(f"[{ARABIC}]", line) else line


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("brochures", nargs="*", metavar="BROCHURE", help="brochure ids (file names without .yaml); default: all")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too (for a final check before printing)")
    parser.add_argument(
        "--json", action="store_true", help="print the findings as JSON on standard output, text in logical order"
    )


def _check_json(report: Report) -> str:
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
        for d in map(_displayed, report.diagnostics)
    ]
    summary = {"files": [str(_shown(f)) for f in report.files], "editions_laid_out": report.editions}
    counts = {"errors": len(report.errors), "warnings": len(report.warnings)}
    return json.dumps({**counts, **summary, "diagnostics": findings}, ensure_ascii=False, indent=2)


def _check(args: argparse.Namespace, console: Console) -> int:
    report = check(_project_root(args), args.brochures)
    failed = bool(report.errors or (args.strict and report.warnings))
    out = Console(soft_wrap=True, highlight=False)
    if args.json:
        print(_check_json(report))
        return EXIT_FAILED if failed else EXIT_OK
    groups: dict[str, list[Diagnostic]] = {}
    for diagnostic in map(_displayed, report.diagnostics):
        groups.setdefault(str(diagnostic.location.path) if diagnostic.location else "", []).append(diagnostic)
    for name, found in groups.items():
        errors = sum(d.severity == "error" for d in found)
        out.print(f"{name or 'general'}: {errors} error(s), {len(found) - errors} warning(s)", style="bold", markup=False)
        for d in found:
            out.print(terminal_text(str(d)), style="red" if d.severity == "error" else "yellow", markup=False)
        out.print()
    checked = f"{len(report.files)} source files and the layouts checked, {report.editions} editions laid out"
    if not report.diagnostics:
        out.print(f"No problems: {checked}.", style="green", markup=False)
    else:
        verdict = "FAILED" if failed else "passed with warnings" + ("" if args.strict else " (--strict fails on them)")
        out.print(f"{verdict}: {len(report.errors)} error(s), {len(report.warnings)} warning(s); {checked}.", markup=False)
    return EXIT_FAILED if failed else EXIT_OK


def _approve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("brochures", nargs="*", metavar="BROCHURE", help="brochure ids to approve (`campaign` for campaign.yaml)")
    parser.add_argument("--all", action="store_true", help="approve every brochure and campaign.yaml")


def _approve(args: argparse.Namespace, console: Console) -> int:
    if bool(args.brochures) == bool(args.all):
        _say(console, "Error: name the brochures to approve, or give --all (not both).")
        return EXIT_BAD_INPUT
    project = load_project(_project_root(args))
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
    from .preview import PreviewServer

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


def _new_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="the new brochure's id and file name: lowercase letters, digits, hyphens")
    parser.add_argument("--title-en", required=True, help="the English title")
    parser.add_argument("--title-ar", required=True, help="the Arabic title")


def _new(args: argparse.Namespace, console: Console) -> int:
    path = new_brochure(_project_root(args), args.id, args.title_en, args.title_ar)
    _say(
        console,
        f"Created {_shown(path)}: replace its TODO texts, then `brochure-press check {args.id}` and `brochure-press preview`.",
    )
    return EXIT_OK


Handler = Callable[[argparse.Namespace, Console], int]

#: Every command: one-line summary, its arguments, and the function that runs it.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {
    "build": ("Build PDFs of brochures into output/.", _selection_arguments, _build),
    "check": ("Check sources, translations, glyphs, contacts and fit without writing print files.", _check_arguments, _check),
    "approve": ("Record the current English/Arabic pairs as approved translations.", _approve_arguments, _approve),
    "preview": ("Serve a live preview on 127.0.0.1 that reloads on every save.", _preview_arguments, _preview),
    "new": ("Start a new brochure from a template with TODO texts.", _new_arguments, _new),
}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    console = Console(stderr=True)
    try:
        return args.handler(args, console)
    except BuildError as exc:
        return _report(console, exc.diagnostics)
    except BrokenPipeError:  # the reader of our output went away, e.g. `check --json | head`
        sys.stdout = None  # type: ignore[assignment]
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
