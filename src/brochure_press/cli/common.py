"""What every command shares: the project it works on, its options, its messages and exit codes."""

from __future__ import annotations

import argparse
import itertools
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from brochure_press.core.diagnostics import Diagnostic, displayed, is_failure
from brochure_press.core.jobs import VARIANTS
from brochure_press.core.terminal import printable

if TYPE_CHECKING:
    from rich.console import Console

    from brochure_press.core.project import Project

STANDARDS = ("x-4", "x-1a")
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
#: Diagnostics printed in one call to the console.
PRINT_LINES = 100
#: How the library's hints write a command of this program, replaced in what the command line prints.
COMMAND = "`brochure-press "
#: The program as the user invoked it (`main` sets it), so that every command a hint names runs as printed.
invoked = {"as": "brochure-press"}


def invoke_as(argv0: str, project: Path | None) -> None:
    """Remember how the user ran this program: the path they typed (`.venv/bin/brochure-press`), or the Python
    that ran `-m brochure_press`, and `--project DIR` when they gave it."""
    program = shlex.quote(argv0)
    if Path(argv0).name == "__main__.py":
        python = Path(sys.executable)
        python = python.relative_to(Path.cwd()) if python.is_relative_to(Path.cwd()) else python
        program = f"{shlex.quote(str(python))} -m brochure_press"
    invoked["as"] = f"{program} --project {shlex.quote(str(project))}" if project else program


def commands(text: str) -> str:
    """`text` with every command it names written as the user invoked this program."""
    return text.replace(COMMAND, f"`{invoked['as']} ")


def error_console() -> Console:
    """Standard error, with colours where the terminal has them."""
    from rich.console import Console

    return Console(stderr=True)


def say(text: str) -> None:
    """One message on standard error, printed as written but for control characters (shown as code points)."""
    print(printable(text), file=sys.stderr)


def project_root(args: argparse.Namespace) -> Path:
    from brochure_press.core.project import find_root, project_folder

    return project_folder(args.project) if args.project else find_root(Path.cwd())


def load(args: argparse.Namespace) -> Project:
    """The project, made to the PDF/X standard of `--standard` when given."""
    from brochure_press.core.project import load_project

    project = load_project(project_root(args))
    return project.with_standard(args.standard) if getattr(args, "standard", None) else project


def standard_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--standard", choices=STANDARDS, help="PDF/X standard of print files (default: print.standard in campaign.yaml)"
    )


def selection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("brochures", nargs="*", metavar="BROCHURE", help="brochure ids (file names without .yaml); default: all")
    parser.add_argument("--edition", action="append", help="only this edition, as campaign.yaml names it (repeatable)")
    parser.add_argument("--variant", action="append", choices=list(VARIANTS), help="only this variant (repeatable)")


def report_problems(diagnostics: list[Diagnostic]) -> int:
    if diagnostics:
        console = error_console()
        # Lines of one severity are printed PRINT_LINES at a time: rich takes a millisecond a call, and time growing
        # with the square of the length for one long text, and a hostile file can give 20,000 problems.
        for severity, run in itertools.groupby(dict.fromkeys(map(displayed, diagnostics)), key=lambda d: d.severity):
            lines = [printable(commands(str(diagnostic))) for diagnostic in run]
            style = "red" if severity == "error" else "yellow"
            for start in range(0, len(lines), PRINT_LINES):
                text = "\n".join(lines[start : start + PRINT_LINES])
                console.print(text, style=style, markup=False, highlight=False, soft_wrap=True)
    return EXIT_FAILED if is_failure(diagnostics) else EXIT_BAD_INPUT


#: The environment variable that sets the default number of worker processes (a shared machine's, a test suite's).
JOBS_VARIABLE = "BROCHURE_PRESS_JOBS"


def _jobs(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r} (given by --jobs or ${JOBS_VARIABLE})") from None


def jobs_argument(parser: argparse.ArgumentParser) -> None:
    # A string default goes through `type` as a typed value would: a bad variable is a usage error, not a traceback.
    default = os.environ.get(JOBS_VARIABLE) or str(os.cpu_count() or 1)
    help_text = f"worker processes (default: ${JOBS_VARIABLE}, else the cores)"
    parser.add_argument("--jobs", "-j", type=_jobs, default=default, help=help_text)
