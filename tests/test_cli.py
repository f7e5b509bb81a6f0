"""The command line: every command and option explains itself."""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import brochure_press
from brochure_press.build.plan import Built
from brochure_press.build.summary import summary_lines
from brochure_press.cli import COMMANDS, _parser, common, main
from brochure_press.core.jobs import Job

from .test_safety import approve_then_edit_english


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_and_option_has_help_text() -> None:
    parser = _parser()
    commands = _subparsers(parser)
    assert set(commands) == set(COMMANDS) >= {"build", "check", "approve", "preview", "new", "preflight", "handoff"}
    for name, (summary, _, _) in COMMANDS.items():
        assert summary.strip().endswith("."), name
        assert commands[name].description == summary
    for owner, command in [("brochure-press", parser), *commands.items()]:
        for action in command._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            assert action.help and action.help.strip(), f"{owner}: {action.option_strings or action.dest} has no help text"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_of_each_command_prints(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([name, "--help"])
    assert exited.value.code == 0
    assert COMMANDS[name][0] in " ".join(capsys.readouterr().out.split())


def test_help_loads_neither_the_data_model_nor_rich() -> None:
    probe = (
        "import sys\nfrom brochure_press.cli import main\ntry:\n    main(['build', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'rich', 'yaml', 'weasyprint') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "--jobs" in result.stdout and result.stdout.splitlines()[-1] == "[]"


def test_the_build_summary_fits_the_terminal_and_never_cuts_a_file_name(tmp_path: Path) -> None:
    output = tmp_path / "output"
    ids = ["sample", "criminalizing-trafficking", "a-brochure-id-long-enough-to-leave-no-room-for-the-figures-beside-it"]
    built = [
        Built(job, job.path(output), 2, 187_000, 0.57, 0.31)
        for job in (Job(b, e, v) for b in ids for e in ("ar", "bilingual") for v in ("print", "proof"))
    ]
    lines = summary_lines(built, output, 5.04, width=80)
    assert lines[0] == "12 PDFs written in 5.0 s"
    assert "  criminalizing-trafficking.bilingual.print.pdf       2  183 KiB   0.57s   0.31s" in lines
    assert "output/criminalizing-trafficking/" in lines
    for item in built:
        assert any(line.strip() == item.path.name or line.strip().startswith(item.path.name + " ") for line in lines)
    assert max(len(line) for line in lines if ids[2] not in line) <= 80


def test_every_command_a_hint_names_runs_as_printed(sample_dir: Path) -> None:
    """Run as the README's set-up leaves it (`.venv/bin/brochure-press` in the project folder), every command
    in the hints and the summary line is written that way, and runs: no "not found", no usage error."""
    approve_then_edit_english(sample_dir)
    (sample_dir / ".venv").symlink_to(Path(sys.executable).parent.parent)
    program = ".venv/bin/brochure-press"

    def shell(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(shlex.split(command), cwd=sample_dir, capture_output=True, text=True, stdin=subprocess.DEVNULL)

    refused = shell(f"{program} build --edition en --variant print")
    assert refused.returncode == 2, refused.stderr
    named = re.findall(r"`([^`]*brochure-press[^`]*)`", refused.stderr)
    assert named and all(command.startswith(f"{program} ") for command in named), named
    assert f"{program} approve sample" in named
    for command in dict.fromkeys(named):
        result = shell(command)
        assert result.returncode in (0, 2) and "usage:" not in result.stderr and "Traceback" not in result.stderr, command
    assert (sample_dir / "output" / "sample" / "sample.en.print.pdf").is_file()  # made by `build … --allow-draft`


def test_hints_follow_python_m(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run as `python -m brochure_press --project DIR`, hints name that Python (absolute outside the current
    folder) and the project."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(common, "invoked", {"as": "brochure-press"})
    common.invoke_as(str(Path(brochure_press.__file__).with_name("__main__.py")), Path("my project"))
    expected = f"{sys.executable} -m brochure_press --project 'my project' approve x"
    assert common.commands("run `brochure-press approve x`") == f"run `{expected}`"


def test_the_jobs_default_comes_from_the_environment_and_a_bad_one_is_a_usage_error(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BROCHURE_PRESS_JOBS", "many")
    with pytest.raises(SystemExit) as exited:
        main(["--project", str(sample_dir), "check", "sample"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "--jobs/-j: not a whole number: 'many' (given by --jobs or $BROCHURE_PRESS_JOBS)" in err and "Traceback" not in err
