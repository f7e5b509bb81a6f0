"""The command line: every command and option explains itself."""

from __future__ import annotations

import argparse

import pytest

from brochure_press.cli import COMMANDS, _parser, main


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
