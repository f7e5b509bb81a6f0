"""Static checks run with the tests: types (mypy --strict) and style (ruff), so the README's one command holds both."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "mypy"],
        [sys.executable, "-m", "ruff", "check", "src", "tests", "bench", "scripts"],
        [sys.executable, "-m", "ruff", "format", "--check", "src", "tests", "bench", "scripts"],
    ],
    ids=["mypy", "ruff-check", "ruff-format"],
)
def test_static_check_passes(command: list[str]) -> None:
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
