"""The commands editors and translators use while writing: check, approve, preview, new, xliff."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from brochure_press.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    commands,
    error_console,
    invoked,
    jobs_argument,
    project_root,
    report_problems,
    say,
)


def check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("brochures", nargs="*", metavar="BROCHURE", help="brochure ids (file names without .yaml); default: all")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too (for a final check before printing)")
    parser.add_argument(
        "--json", action="store_true", help="print the findings as JSON on standard output, text in logical order"
    )
    jobs_argument(parser)


def check(args: argparse.Namespace) -> int:
    from rich.console import Console

    from brochure_press.core.terminal import printable, printable_json, shaping_less
    from brochure_press.editor.check import check
    from brochure_press.editor.checkreport import check_json, check_lines

    report = check(project_root(args), args.brochures, workers=args.jobs)
    failed = bool(report.errors or (args.strict and report.warnings))
    if args.json:
        print(printable_json(check_json(report)))
    else:
        out = Console(soft_wrap=True, highlight=False)
        for line, style in check_lines(report, args.strict, failed, shaping_less(sys.stdout)):
            out.print(printable(commands(line)), style=style, markup=False)
    return EXIT_FAILED if failed else EXIT_OK


def approve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("brochures", nargs="*", metavar="BROCHURE", help="brochure ids to approve (`campaign` for campaign.yaml)")
    parser.add_argument("--all", action="store_true", help="approve every brochure and campaign.yaml")
    parser.add_argument(
        "--yes", action="store_true", help="approve without asking (for scripts); what is approved is still shown"
    )


def approve(args: argparse.Namespace) -> int:
    from brochure_press.core.files import write_atomic
    from brochure_press.core.project import load_project
    from brochure_press.core.revisions import changed_since, read_revisions, recorded_revisions
    from brochure_press.core.sources import dotted
    from brochure_press.core.terminal import shaping_less
    from brochure_press.core.translations import REVISED, approve, chosen_sources, pending
    from brochure_press.core.yamlsplice import set_date
    from brochure_press.editor.checkreport import terminal_text

    if bool(args.brochures) == bool(args.all):
        say("Error: name the brochures to approve, or give --all (not both).")
        return EXIT_BAD_INPUT
    project = load_project(project_root(args))
    names = {code: language.name for code, language in project.campaign.model.languages.items()}
    waiting, visual = pending(project, args.brochures, args.all), shaping_less(sys.stderr)
    for change in waiting:
        say(f"{change.source_id} · {dotted(change.key)} · {change.status} {names[change.target]}")
        say(f"  {names[change.original]}: {terminal_text(change.original_text, visual)}")
        say(f"  {names[change.target]}: {terminal_text(change.target_text, visual)}")
    today = dt.date.today()
    chosen = {i: project.brochures[i] for i in chosen_sources(project, args.brochures, args.all) if i in project.brochures}
    known = read_revisions(project.root)
    changed = {c.source_id for c in waiting} | {i for i, s in chosen.items() if changed_since(s.model, known.get(i))}
    redated = [source for i, source in chosen.items() if i in changed and source.model.revised < today]
    for source in redated:
        say(f"{source.path.name}: `revised: {source.model.revised}` becomes {today}, the date its files carry")
    if (waiting or redated) and not args.yes:
        if not sys.stdin.isatty():
            say("Error: approve shows what it approves and asks first; run it in a terminal, or add --yes.")
            return EXIT_BAD_INPUT
        these = "this translation" if len(waiting) == 1 else f"these {len(waiting)} translations"
        dated = " and date their brochures today" if redated else ""
        question = f"Approve {these} as they stand{dated}?" if waiting else "Date these brochures today?"
        answer = error_console().input(f"{question} [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            say("Nothing approved.")
            return EXIT_FAILED
    dates = {source.path.stem: today for source in redated}
    records = recorded_revisions(known, {i: s.model for i, s in chosen.items()}, dates)
    for done in approve(
        project, args.brochures, args.all, {REVISED: {i: r for i, r in records.items() if i in project.brochures}}
    ):
        changes = ", ".join(f"{n} {status}" for status, n in sorted(done.changed.items())) or "no changes"
        todo = f"; {done.unwritten} with TODO left out" if done.unwritten else ""
        say(f"{done.source}: {done.recorded} text pairs approved ({changes}){todo}")
    for source in redated:
        write_atomic(source.path, set_date(source.path.read_text(encoding="utf-8"), "revised", today).encode())
    written = ", ".join(["brochures/translations.lock", *(f"brochures/{source.path.name}" for source in redated)])
    say(f"Written: {written}; commit the lock together with the brochures.")
    return EXIT_OK


def port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0–65535)")
    return int(value)


def preview_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=port, default=8000, help="port on 127.0.0.1 (default: 8000; 0 picks a free one)")


def saved(files: list[str]) -> None:
    """One line in the editor's terminal for each save the preview reloads on."""
    say(f"{time.strftime('%H:%M:%S')} saved {', '.join(files)}: pages reloaded")


def preview(args: argparse.Namespace) -> int:
    from brochure_press.editor.preview import PreviewServer

    root = project_root(args)
    try:
        server = PreviewServer(root, args.port, on_save=saved)
    except OSError as exc:
        say(f"Error: cannot serve on port {args.port}: {exc.strerror} (hint: try --port {args.port + 1})")
        return EXIT_BAD_INPUT
    say(f"Preview of {root}")
    say(f"at {server.url} (reloads on every save; Ctrl+C stops it)")
    try:
        server.run()
    except KeyboardInterrupt:
        say("Preview stopped.")
    finally:
        server.close()
    return EXIT_OK


def new_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="the new brochure's id and file name: lowercase letters, digits, hyphens")
    parser.add_argument("--title-en", required=True, help="the English title")
    parser.add_argument("--title-ar", required=True, help="the Arabic title")


def new(args: argparse.Namespace) -> int:
    from brochure_press.core.diagnostics import shown
    from brochure_press.editor.scaffold import new_brochure

    path = new_brochure(project_root(args), args.id, args.title_en, args.title_ar)
    say(f"Created {shown(path)}: replace its TODO texts, then")
    say(f"`{invoked['as']} check {args.id}` and `{invoked['as']} preview`.")
    return EXIT_OK


def xliff_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write the texts to translate into LANG as XLIFF 2.1")
    export.add_argument("language", metavar="LANG", help="the language to translate into, as campaign.yaml names it (hi)")
    export.add_argument("brochures", nargs="*", metavar="BROCHURE", help="brochure ids, `campaign` too; default: all in LANG")
    export.add_argument("-o", "--output", type=Path, required=True, help="the XLIFF file to write (`-`: standard output)")
    imported = actions.add_parser("import", help="check the translations of an XLIFF file and write them into the sources")
    imported.add_argument("file", type=Path, metavar="FILE", help="the XLIFF 2 file from the translator")
    imported.add_argument(
        "--overwrite", action="store_true", help="replace texts that were changed in the sources since the export"
    )
    imported.add_argument(
        "--reviewer",
        metavar="NAME",
        help="a native speaker reviewed the whole language: record it as reviewed by NAME in the brochures' `translations:`",
    )


def xliff(args: argparse.Namespace) -> int:
    from brochure_press.editor.xliffexport import write_xliff
    from brochure_press.editor.xliffimport import import_xliff

    if args.action == "export":
        count = write_xliff(args.output, project_root(args), args.language, args.brochures)
        written = "standard output" if str(args.output) == "-" else args.output
        say(f"Wrote {written}: {count} texts to translate into {args.language}.")
        return EXIT_OK
    done = import_xliff(project_root(args), args.file, overwrite=args.overwrite, reviewer=args.reviewer)
    report_problems(done.warnings)
    say("\n".join(done.summary()))
    return EXIT_OK
