"""Benchmark brochure-press on generated projects of 4, 16 and 64 brochures (copies of the real ones).

In one run, at each size: a cold build, a no-op build, a one-brochure edit, `check` cold, warm, after an edit and
after a build; the naive baseline (the `weasyprint` command once per HTML file, as many at a time as the tool
has workers) and the physical limit (that many warm processes doing WeasyPrint layout and write only, nothing
else); and `--jobs 1` against `--jobs N`. Also `--help`, the preview's save-to-new-page time, per-PDF times and
memory. Every time is the minimum and the median of several runs: the machine may be shared.

Run: .venv/bin/python bench/bench.py [--quick] [--sizes 4,16,64] [--runs N] [--jobs N] [--languages en,ar|all]
[--markdown FILE]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WEASYPRINT = Path(sys.executable).with_name("weasyprint")
LIMIT = Path(__file__).with_name("limit.py")
#: No single command of the benchmark may take longer (seconds).
TIMEOUT = 1800
#: The campaign's brochures the benchmark copies, never a brochure still being written in the working copy.
REAL = ("criminalizing-trafficking", "employer-duties", "foreign-labour-rights", "kuwait-efforts")
SHARED = ("campaign.yaml", "glossary.yaml", "translations.lock")
EDITED = REAL[0]

PROBES = {
    # The HTML of every PDF, as the naive baseline and the limit get it.
    "html": """
import json, sys
from pathlib import Path
from brochure_press.build.plan import plan
from brochure_press.compose.fonts import isolate_fontconfig
from brochure_press.compose.layouts import compose
from brochure_press.core.project import load_project
root, folder = Path(sys.argv[1]), Path(sys.argv[2])
project = load_project(root)
out = []
for job in plan(project):
    path = folder / f"{job.name}.html"
    path.write_text(compose(project, job.brochure, job.edition, job.variant).html)
    out.append([str(path), job.variant, project.campaign.model.print.standard])
print(json.dumps({"files": out, "fontconfig": str(isolate_fontconfig(root / "fonts"))}))
""",
    "timings": """
import json, resource, sys
from pathlib import Path
from brochure_press.build.plan import plan
from brochure_press.build.run import run
from brochure_press.core.project import load_project
project = load_project(Path(sys.argv[1]))
report = run(project, plan(project), workers=int(sys.argv[2]), force=True)
memory = [resource.getrusage(r).ru_maxrss for r in (resource.RUSAGE_CHILDREN, resource.RUSAGE_SELF)]
print(json.dumps({"times": [[b.layout_seconds, b.write_seconds] for b in report.built], "memory": memory}))
""",
    "subset": "from weasyprint.text.ffi import harfbuzz_subset; print(harfbuzz_subset is not None)",
}


def only_languages(source: Path, keep: set[str]) -> None:
    """A brochure source cut down to the languages in `keep`: its `languages:` list, its texts and its
    translations' review state in the others dropped (every text is one line: `  code: "…"`)."""
    text = source.read_text()
    listed = re.search(r"^languages: \[(.*)\]$", text, re.M)
    if listed is None:
        return
    codes = [code.strip() for code in listed.group(1).split(",")]
    dropped = [code for code in codes if code not in keep]
    if not dropped:
        return
    text = text.replace(listed.group(0), f"languages: [{', '.join(c for c in codes if c in keep)}]")
    text = re.sub(rf"^\s+({'|'.join(dropped)}): .*\n", "", text, flags=re.M)
    source.write_text(re.sub(r"^translations:\n(?=\S)", "", text, flags=re.M))


def make_project(target: Path, brochures: int, languages: set[str] | None) -> Path:
    """The real project with its brochures copied until there are `brochures`, translations approved alike;
    with `languages`, every brochure is cut down to those."""
    for folder in ("layouts", "fonts"):
        shutil.copytree(REPO / folder, target / folder)
    (target / "brochures").mkdir()
    for name in (*SHARED, *(f"{brochure}.yaml" for brochure in REAL)):
        shutil.copy(REPO / "brochures" / name, target / "brochures" / name)
    if languages:
        for name in REAL:
            only_languages(target / "brochures" / f"{name}.yaml", languages)
    lock_path = target / "brochures" / "translations.lock"
    lock = json.loads(lock_path.read_text())
    for n in range(len(REAL), brochures):
        original = REAL[n % len(REAL)]
        copy = f"{original}-{n // len(REAL) + 1}"
        shutil.copy(target / "brochures" / f"{original}.yaml", target / "brochures" / f"{copy}.yaml")
        lock["sources"][copy] = lock["sources"][original]
    lock_path.write_text(json.dumps(lock, ensure_ascii=False, indent=2))
    return target


def seconds(args: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=TIMEOUT)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return time.perf_counter() - start


def tool(root: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "brochure_press", "--project", str(root), *args]


def run_out(args: list[str]) -> str:
    """Standard output of a command that must succeed within the time limit."""
    result = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT)
    if result.returncode:
        raise SystemExit(f"{' '.join(args[:3])} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def probe(name: str, *args: str) -> str:
    return run_out([PYTHON, "-c", PROBES[name], *args])


def edit(root: Path, run: int) -> None:
    """A real change to one brochure: its revision date, different in every run."""
    source = root / "brochures" / f"{EDITED}.yaml"
    text = re.sub(r"revised: \d{4}-\d\d-\d\d", f"revised: 2026-10-{run % 28 + 1:02}", source.read_text(), count=1)
    source.write_text(text)


class Bench:
    """Measures on one generated project; each measure runs `runs` times from the state it needs."""

    def __init__(self, root: Path, runs: int, jobs: int) -> None:
        self.root, self.runs, self.jobs = root, runs, jobs
        self.output = root / "output"

    def repeat(self, prepare: Callable[[int], None], measure: Callable[[], float]) -> list[float]:
        times = []
        for run in range(self.runs):
            prepare(run)
            times.append(measure())
        return times

    def build(self, jobs: int | None = None) -> float:
        return seconds(tool(self.root, "build", "--jobs", str(jobs or self.jobs)))

    def check(self) -> float:
        return seconds(tool(self.root, "check", "--jobs", str(self.jobs)))

    def clear(self, _: int = 0) -> None:
        shutil.rmtree(self.output, ignore_errors=True)

    def manifest(self) -> dict[str, object]:
        data: dict[str, object] = json.loads((self.output / ".cache" / "manifest.json").read_text())
        return data

    def measure(self) -> dict[str, object]:
        r: dict[str, object] = {"cold": self.repeat(self.clear, self.build)}
        r["pdfs"] = len(self.manifest())
        r["noop"] = self.repeat(lambda _: None, self.build)
        before, rebuilt = self.manifest(), set[str]()

        def edited(run: int) -> None:
            nonlocal before
            before = self.manifest()
            edit(self.root, run)

        def edit_build() -> float:
            took = self.build()
            rebuilt.update(n for n, e in self.manifest().items() if before.get(n) != e)
            return took

        r["edit"] = self.repeat(edited, edit_build)
        r["rebuilt"] = sorted(rebuilt)
        r["check_after_build"] = self.repeat(lambda _: None, self.check)
        r["check_cold"] = self.repeat(self.clear, self.check)
        r["check_warm"] = self.repeat(lambda _: None, self.check)
        r["check_edit"] = self.repeat(lambda run: edit(self.root, run + self.runs), self.check)
        return r

    def jobs_one(self) -> list[float]:
        return self.repeat(self.clear, lambda: self.build(1))

    def outside(self, scratch: Path) -> dict[str, list[float]]:
        """The naive baseline and the physical limit on the same HTML, with the tool's parallelism."""
        scratch.mkdir(exist_ok=True)
        spec = json.loads(probe("html", str(self.root), str(scratch)))
        env = {**os.environ, "FONTCONFIG_FILE": spec["fontconfig"]}
        base = f"{self.root}/"

        def command(item: list[str]) -> list[str]:
            html, variant, standard = item
            options = ["--pdf-variant", f"pdf/{standard}"] if variant == "print" else ["--pdf-tags"]
            return [str(WEASYPRINT), "--base-url", base, *options, html, html + ".pdf"]

        def naive() -> float:
            start = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(self.jobs) as pool:
                list(pool.map(lambda item: seconds(command(item), env), spec["files"]))
            return time.perf_counter() - start

        limit_spec = json.dumps({**spec, "base": base})
        return {
            "naive": self.repeat(lambda _: None, naive),
            "limit": self.repeat(lambda _: None, lambda: float(run_out([PYTHON, str(LIMIT), limit_spec, str(self.jobs)]))),
        }


def preview_reload(root: Path, runs: int) -> list[float]:
    """Seconds from saving a brochure to the preview serving the edition page with the new text."""
    sys.path.insert(0, str(REPO / "src"))
    from brochure_press.editor.preview import PreviewServer  # type: ignore[import-untyped]

    source = root / "brochures" / f"{EDITED}.yaml"
    times = []
    with PreviewServer(root, 0) as server:
        server.start()
        url = f"{server.url}view/{EDITED}/en"
        urllib.request.urlopen(url, timeout=30).read()
        for run in range(runs):
            marker = f"Saved-in-run-{chr(ord('a') + run)}"  # letters only: the text stage wraps a number in a span
            text = source.read_text()
            started = time.perf_counter()
            source.write_text(text.replace("    blocks:\n", f"    blocks:\n      - text: {{en: {marker}, ar: نص {run}}}\n", 1))
            while marker not in urllib.request.urlopen(url, timeout=30).read().decode():
                if time.perf_counter() - started > 60:
                    raise SystemExit("the preview did not show the saved text within 60 s")
                time.sleep(0.01)
            times.append(time.perf_counter() - started)
            source.write_text(text)
            time.sleep(1)
    return times


def fmt(times: list[float], digits: int = 2) -> str:
    return f"{min(times):.{digits}f} s (median {statistics.median(times):.{digits}f})"


def verdict(value: float, target: float, unit: str = " s", more_is_better: bool = False) -> str:
    met = value >= target if more_is_better else value <= target
    sign = "≥" if more_is_better else "≤"
    if met:
        return f"{sign} {target:g}{unit}: met"
    return f"{sign} {target:g}{unit}: missed by {abs(value - target):.2f}{unit}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="4 brochures, 2 runs: to try the benchmark")
    parser.add_argument("--sizes", default="4,16,64", help="brochure counts, comma-separated (default: 4,16,64)")
    parser.add_argument("--runs", type=int, default=3, help="runs of every measure (default: 3)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: the cores)")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    parser.add_argument(
        "--languages",
        default="en,ar",
        help="languages every brochure keeps, comma-separated, or `all` (default: en,ar: 6 PDFs a brochure)",
    )
    args = parser.parse_args()
    languages = None if args.languages == "all" else set(args.languages.split(","))
    sizes = [4] if args.quick else [int(s) for s in args.sizes.split(",")]
    runs = 2 if args.quick else args.runs
    load_before = os.getloadavg()[0]
    results: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="brochure-bench-") as tmp:
        for size in sizes:
            print(f"measuring {size} brochures…", file=sys.stderr, flush=True)
            bench = Bench(make_project(Path(tmp) / f"p{size}", size, languages), runs, args.jobs)
            results[size] = {**bench.measure(), **bench.outside(Path(tmp) / f"html{size}")}
            if size <= 16:
                results[size]["jobs1"] = bench.jobs_one()
        small = Bench(Path(tmp) / f"p{sizes[0]}", runs, args.jobs)
        help_times = [seconds([PYTHON, "-m", "brochure_press", "--help"]) for _ in range(max(runs, 5))]
        small.clear()
        details = json.loads(probe("timings", str(small.root), str(args.jobs)))
        reload = preview_reload(small.root, max(runs, 3))
    subset = probe("subset").strip() == "True"
    table = report(results, args.jobs, help_times, details, reload)
    notes = (
        f"\nBrochures in {args.languages}; {args.jobs} workers on {os.cpu_count()} cores; {runs} runs of each measure; "
        "libharfbuzz-subset "
        f"{'present' if subset else 'MISSING (font subsetting falls back to fontTools, much slower)'}; "
        f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after (above 0.5: the machine was shared)."
    )
    print(table + notes)
    if args.markdown:
        args.markdown.write_text(table + notes + "\n")


def report(
    results: dict[int, dict[str, Any]], jobs: int, help_times: list[float], details: dict[str, Any], reload: list[float]
) -> str:
    sizes = sorted(results)
    first = results[sizes[0]]

    def best(r: dict[str, Any], key: str) -> float:
        return float(min(r[key]))

    def worst(key: str) -> float:
        return max(best(results[s], key) for s in sizes)

    def ratio(r: dict[str, Any], slow: str, fast: str) -> float:
        return best(r, slow) / best(r, fast) if slow in r else 0.0

    only_edited = all(
        n.startswith(f"{EDITED}.") and len(results[s]["rebuilt"]) == 6 for s in sizes for n in results[s]["rebuilt"]
    )
    rows: list[tuple[str, Callable[[dict[str, Any]], str], str]] = [
        ("cold build", lambda r: fmt(r["cold"], 1), ""),
        (f"naive baseline ({jobs} at a time)", lambda r: fmt(r["naive"], 1), ""),
        (f"physical limit ({jobs} warm WeasyPrint processes)", lambda r: fmt(r["limit"], 1), ""),
        ("cold build ÷ limit", lambda r: f"{ratio(r, 'cold', 'limit'):.2f}×", verdict(ratio(first, "cold", "limit"), 1.2, "×")),
        ("naive baseline ÷ cold build", lambda r: f"{ratio(r, 'naive', 'cold'):.2f}×", ""),
        (
            f"cold build, --jobs 1 ÷ --jobs {jobs}",
            lambda r: f"{ratio(r, 'jobs1', 'cold'):.2f}×" if "jobs1" in r else "–",
            verdict(ratio(first, "jobs1", "cold"), 1.7, "×", more_is_better=True),
        ),
        ("no-op build", lambda r: fmt(r["noop"]), verdict(best(first, "noop"), 0.35) + f" at {sizes[0]}"),
        (
            "one brochure edited, build",
            lambda r: f"{fmt(r['edit'])}, {len(r['rebuilt'])} PDFs made",
            "only its 6 PDFs: " + ("yes" if only_edited else "NO"),
        ),
        ("check, cold", lambda r: fmt(r["check_cold"]), verdict(best(first, "check_cold"), 2.0) + f" at {sizes[0]}"),
        ("check, nothing changed", lambda r: fmt(r["check_warm"]), verdict(worst("check_warm"), 1.0)),
        ("check, one brochure edited", lambda r: fmt(r["check_edit"]), verdict(worst("check_edit"), 2.0)),
        ("check after build", lambda r: fmt(r["check_after_build"]), verdict(worst("check_after_build"), 1.0)),
    ]
    lines = [
        "| measure | " + " | ".join(f"{s} brochures ({results[s]['pdfs']} PDFs)" for s in sizes) + " | target |",
        "|---" * (len(sizes) + 2) + "|",
        *(f"| {name} | " + " | ".join(cell(results[s]) for s in sizes) + f" | {target} |" for name, cell, target in rows),
    ]
    layout = [a for a, _ in details["times"]]
    write = [b for _, b in details["times"]]
    worker_mb, parent_mb = (kib / 1024 for kib in details["memory"])
    return "\n".join(
        [
            *lines,
            "",
            "| measure | result | target |",
            "|---|---|---|",
            f"| `--help` | {fmt(help_times, 3)} | {verdict(min(help_times), 0.15)} |",
            f"| preview: save → edition page with the new text | {fmt(reload)} | {verdict(min(reload), 2.0)} |",
            f"| layout per PDF | median {statistics.median(layout):.2f} s, max {max(layout):.2f} s | |",
            f"| write per PDF (finishing, preflight) | median {statistics.median(write):.2f} s, max {max(write):.2f} s | |",
            f"| peak memory per worker | {worker_mb:.0f} MB (parent {parent_mb:.0f} MB) | {verdict(worker_mb, 300, ' MB')} |",
        ]
    )


if __name__ == "__main__":
    main()
