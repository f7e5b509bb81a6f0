"""The README's two commands on a fresh clone, measured in one run: the build of every brochure, then the test suite,
and the ratio of the two (the target is at most 5); with the 20 slowest tests.

Run: .venv/bin/python bench/suite.py [--keep] [--slowest N]
The clone is made from the committed HEAD in a temporary folder; set-up (`scripts/setup.sh --test`) is not timed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: The suite may take at most this many times the build.
TARGET = 5.0


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    """Seconds a command of the README takes, and its output; it must succeed."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def slowest(output: str, count: int) -> list[str]:
    """The slowest tests pytest's `--durations` listed (setup, call and teardown apart, as pytest gives them)."""
    return [line for line in output.splitlines() if re.match(r"^\d+\.\d+s (setup|call|teardown) ", line)][:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the clone and say where it is")
    parser.add_argument("--slowest", type=int, default=20, help="how many of the slowest tests to list")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="brochure-press-suite-"))
    clone = folder / "clone"
    try:
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        subprocess.run(["scripts/setup.sh", "--test"], cwd=clone, check=True, capture_output=True)
        build, _ = timed([".venv/bin/brochure-press", "build"], clone)
        suite, output = timed([".venv/bin/python", "-m", "pytest", "-q", f"--durations={args.slowest}"], clone)
        summary = next((line for line in reversed(output.splitlines()) if " passed" in line), "")
        print(f"build: {build:.1f} s\nsuite: {suite:.1f} s ({summary.strip('= ')})")
        print(f"suite ÷ build: {suite / build:.2f}× (target ≤ {TARGET:g}×: {'met' if suite <= TARGET * build else 'missed'})")
        print(f"\nthe {args.slowest} slowest:")
        print("\n".join(slowest(output, args.slowest)))
    finally:
        if args.keep:
            print(f"\nthe clone: {clone}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
