"""The `brochure-press` command: options, output and exit codes; the work is done by the library."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from . import __version__
from .build import VARIANTS, Built, plan, run
from .diagnostics import BuildError, Diagnostic
from .project import find_root, load_project

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


def _build(args: argparse.Namespace, console: Console) -> int:
    root = _project_root(args)
    project = load_project(root)
    jobs = plan(project, args.brochures, args.edition or (), args.variant or ())
    start = time.perf_counter()
    with Progress(*Progress.get_default_columns(), console=console, transient=True) as progress:
        task = progress.add_task(f"Building up to {len(jobs)} PDFs", total=len(jobs))
        report = run(project, jobs, workers=args.jobs, force=args.force, progress=lambda: progress.advance(task))
    _report(console, report.warnings)
    _summary(console, report.built, root, time.perf_counter() - start)
    if report.current:
        console.print(f"{len(report.current)} PDFs already up to date.")
    return EXIT_OK


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


Handler = Callable[[argparse.Namespace, Console], int]

#: Every command: one-line summary, its arguments, and the function that runs it.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {
    "build": ("Build PDFs of brochures into output/ (only those whose inputs changed).", _build_arguments, _build),
}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    console = Console(stderr=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return args.handler(args, console)
    except BuildError as exc:
        return _report(console, exc.diagnostics)
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
