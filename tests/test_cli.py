"""The command line: every command and option explains itself."""

from __future__ import annotations

import argparse

from brochure_press.cli import COMMANDS, _parser


def test_every_command_and_option_has_help_text() -> None:
    parser = _parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == set(COMMANDS) >= {"build", "preflight", "handoff"}
    for name, command in commands.choices.items():
        assert COMMANDS[name][0], name
        for action in command._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help text"
