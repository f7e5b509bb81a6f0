"""The `brochure-press` command: options, output and exit codes; the work is done by the library.

Each command imports what it needs when it runs: `--help` loads neither the data model nor rich, and a build
with nothing to make never loads WeasyPrint.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from brochure_press import __version__
from brochure_press.cli import editing, printing
from brochure_press.cli.common import EXIT_FAILED, EXIT_OK, invoke_as, report_problems, say
from brochure_press.core.diagnostics import BuildError, Diagnostic, Location


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


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


Handler = Callable[[argparse.Namespace], int]

#: Every command: one-line summary, its arguments, and the function that runs it.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {
    "build": (
        "Build PDFs of brochures into output/ (only those whose inputs changed).",
        printing.build_arguments,
        printing.build,
    ),
    "preflight": (
        "Check finished print PDFs as a printer would (PDF/X, boxes, fonts, colour, images), and proofs for accessibility.",
        printing.preflight_arguments,
        printing.preflight,
    ),
    "handoff": (
        "Make the printer's bundle: print PDFs, job ticket, proofs, preflight reports.",
        printing.handoff_arguments,
        printing.handoff,
    ),
    "check": (
        "Check sources, translations, glyphs, contacts and fit without writing print files.",
        editing.check_arguments,
        editing.check,
    ),
    "approve": ("Record the current English/Arabic pairs as approved translations.", editing.approve_arguments, editing.approve),
    "preview": ("Serve a live preview on 127.0.0.1 that reloads on every save.", editing.preview_arguments, editing.preview),
    "web": (
        "Write the web edition and share cards into output/web/, ready for any static host.",
        printing.web_arguments,
        printing.web,
    ),
    "new": ("Start a new brochure from a template with TODO texts.", editing.new_arguments, editing.new),
    "xliff": (
        "Export texts for translators as XLIFF 2.1, and import their translations.",
        editing.xliff_arguments,
        editing.xliff,
    ),
}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code. Hints name commands as the user invoked this program when
    it runs from the shell (`argv` None), as `brochure-press` otherwise."""
    args = _parser().parse_args(argv)
    if argv is None:
        invoke_as(sys.argv[0], args.project)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return int(args.handler(args))
    except BuildError as exc:
        return report_problems(exc.diagnostics)
    except BrokenPipeError:  # the reader of our output went away, e.g. `check --json | head`
        sys.stdout = None
        return EXIT_OK
    except OSError as exc:  # the disk is full, a folder is read-only…: the files already there are untouched
        where = Location(Path(exc.filename)) if exc.filename else None
        hint = "free space or fix the folder's permissions, then run again; earlier outputs are unchanged"
        return report_problems([Diagnostic("error", "file-system", f"cannot write: {exc.strerror or exc}", where, hint=hint)])
    except Exception as exc:
        if args.debug:
            raise
        say(f"Internal error: {type(exc).__name__}: {exc} (run with --debug for details, and report it)")
        return EXIT_FAILED
    except KeyboardInterrupt:
        say("Interrupted; outputs already written are complete, nothing else was changed.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
