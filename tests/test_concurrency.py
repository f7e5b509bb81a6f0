"""Concurrent and interrupted builds: valid PDFs, no torn or temporary files, earlier outputs intact."""

from __future__ import annotations

import functools
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest


def command(root: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "brochure_press", "--project", str(root), "build", "--force", *extra]


def leftovers(root: Path) -> list[Path]:
    return [p for p in (root / "output").rglob("*") if p.name.endswith(".tmp")]


def test_two_builds_at_once_give_valid_pdfs(sample_dir: Path) -> None:
    second = sample_dir / "brochures" / "second.yaml"
    second.write_text((sample_dir / "brochures" / "sample.yaml").read_text())
    # The en and ar editions of both brochures: 8 PDFs that each process writes over the other's.
    options = ("--jobs", "1", "--edition", "en", "--edition", "ar")
    runs = [subprocess.Popen(command(sample_dir, *options), stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for process in runs:
        _, err = process.communicate(timeout=240)
        assert process.returncode == 0, err
    pdfs = sorted((sample_dir / "output").rglob("*.pdf"))
    assert len(pdfs) == 8
    for path in pdfs:
        assert len(pypdf.PdfReader(path).pages) >= 1
    assert not leftovers(sample_dir)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_leaves_earlier_outputs_and_no_temporary_files(built_sample: Path, signum: int) -> None:
    """The built sample, its revision date changed (every PDF shows it), built again with a second brochure and
    interrupted once a PDF is made: the earlier six PDFs stay as they were, and none of the second's is put in place.
    (The second brochure's six PDFs keep the build going for seconds after the first is staged, however busy the
    machine: with the sample's alone, a loaded machine could see the build end before the signal arrived.)"""
    root = built_sample
    before = {p: p.read_bytes() for p in (root / "output").rglob("*.pdf")}
    assert len(before) == 6
    source = root / "brochures" / "sample.yaml"
    source.write_text(source.read_text().replace("revised: 2026-01-15", "revised: 2026-01-16"))
    (root / "brochures" / "second.yaml").write_text(source.read_text())
    # Ctrl-C as a terminal sends it: a test run started in the background would have the build ignore SIGINT.
    interruptible = functools.partial(signal.signal, signal.SIGINT, signal.SIG_DFL)
    process = subprocess.Popen(command(root, "--jobs", "2"), stderr=subprocess.PIPE, text=True, preexec_fn=interruptible)
    while not any(p.name.startswith(".") and ".pdf." in p.name for p in leftovers(root)):  # a PDF is staged
        assert process.poll() is None, "the build ended before it could be interrupted"
        time.sleep(0.02)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Interrupted" in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in (root / "output").rglob("*.pdf")} == before
    assert not leftovers(root)
