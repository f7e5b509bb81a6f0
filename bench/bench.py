"""Benchmark brochure-press on a copy of this project: cold, no-op and one-brochure builds, per-PDF times,
peak memory per worker, and the naive baseline (the `weasyprint` command once per HTML file, one after another).

Run: .venv/bin/python bench/bench.py [--jobs N] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WEASYPRINT = Path(sys.executable).with_name("weasyprint")

MEMORY_PROBE = """
import resource, sys
from pathlib import Path
from brochure_press.build.plan import plan
from brochure_press.build.run import run
from brochure_press.core.project import load_project
project = load_project(Path(sys.argv[1]))
run(project, plan(project), workers=int(sys.argv[2]), force=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

TIMINGS_PROBE = """
import json, sys
from pathlib import Path
from brochure_press.build.plan import plan
from brochure_press.build.run import run
from brochure_press.core.project import load_project
project = load_project(Path(sys.argv[1]))
report = run(project, plan(project), workers=1, force=True)
print(json.dumps([[b.job.name, b.layout_seconds, b.write_seconds] for b in report.built]))
"""

HTML_PROBE = """
import json, sys
from pathlib import Path
from brochure_press.build.plan import plan
from brochure_press.compose.layouts import compose
from brochure_press.core.project import load_project
root = Path(sys.argv[1])
project = load_project(root)
out = []
for job in plan(project):
    path = root / f"{job.name}.html"
    path.write_text(compose(project, job.brochure, job.edition, job.variant).html)
    out.append([str(path), job.variant, project.campaign.model.print.standard])
print(json.dumps(out))
"""


def copy_project(target: Path) -> Path:
    for folder in ("brochures", "layouts", "fonts"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def timed(args: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - start, result.stdout


def build(root: Path, jobs: int, *extra: str) -> float:
    return timed([PYTHON, "-m", "brochure_press", "--project", str(root), "build", "--jobs", str(jobs), *extra])[0]


def manifest(root: Path) -> dict[str, dict[str, str]]:
    return json.loads((root / "output" / ".cache" / "manifest.json").read_text())


def baseline(root: Path) -> tuple[float, int]:
    """The naive way: one `weasyprint` process per HTML file, one after another, with the same fonts."""
    _, listing = timed([PYTHON, "-c", HTML_PROBE, str(root)])
    sys.path.insert(0, str(REPO / "src"))
    from brochure_press.compose.fonts import isolate_fontconfig

    env = {**os.environ, "FONTCONFIG_FILE": str(isolate_fontconfig(root / "fonts"))}
    total = 0.0
    files = json.loads(listing)
    for html, variant, standard in files:
        variant_args = ["--pdf-variant", f"pdf/{standard}"] if variant == "print" else ["--pdf-tags"]
        seconds, _ = timed([str(WEASYPRINT), "--base-url", f"{root}/", *variant_args, html, html + ".pdf"], env)
        total += seconds
    return total, len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="brochure-bench-") as tmp:
        root = copy_project(Path(tmp) / "project")
        cold = build(root, args.jobs)
        pdfs = len(manifest(root))
        noop = min(build(root, args.jobs) for _ in range(3))
        before = manifest(root)
        source = root / "brochures" / "employer-duties.yaml"
        source.write_text(source.read_text().replace("revised: 2026-11-28", "revised: 2026-11-27"))
        edit = build(root, args.jobs)
        rebuilt = sorted(name for name, entry in manifest(root).items() if before.get(name) != entry)
        _, timings_json = timed([PYTHON, "-c", TIMINGS_PROBE, str(root)])
        timings = json.loads(timings_json)
        _, memory = timed([PYTHON, "-c", MEMORY_PROBE, str(root), str(args.jobs)])
        worker_kib, parent_kib = (int(v) for v in memory.split())
        naive, naive_count = baseline(root)
    layout = [t[1] for t in timings]
    write = [t[2] for t in timings]
    rows += [
        ("full cold build", f"{cold:.1f} s for {pdfs} PDFs ({args.jobs} workers)", ""),
        ("naive baseline", f"{naive:.1f} s for {naive_count} PDFs (weasyprint command per file)", ""),
        ("speed-up over baseline", f"{naive / cold:.1f}×", "target ≥ 2×: " + ("met" if naive / cold >= 2 else "NOT met")),
        ("no-op build", f"{noop:.2f} s (best of 3)", "target ≤ 0.5 s: " + ("met" if noop <= 0.5 else "NOT met")),
        (
            "one-brochure edit",
            f"{edit:.1f} s, rebuilt {len(rebuilt)} PDFs: {', '.join(rebuilt)}",
            "only its files: "
            + ("yes" if all(n.startswith("employer-duties.") for n in rebuilt) and len(rebuilt) == 6 else "NO"),
        ),
        ("layout per PDF", f"median {statistics.median(layout):.2f} s, max {max(layout):.2f} s", ""),
        ("write per PDF", f"median {statistics.median(write):.2f} s, max {max(write):.2f} s", ""),
        (
            "peak RSS per worker",
            f"{worker_kib / 1024:.0f} MB (parent {parent_kib / 1024:.0f} MB)",
            "target ≤ 300 MB: " + ("met" if worker_kib / 1024 <= 300 else "NOT met"),
        ),
    ]
    table = ["| measure | result | target |", "|---|---|---|", *(f"| {a} | {b} | {c} |" for a, b, c in rows)]
    print("\n".join(table))
    if args.markdown:
        args.markdown.write_text("\n".join(table) + "\n")


if __name__ == "__main__":
    main()
