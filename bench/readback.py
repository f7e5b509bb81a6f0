"""Read every built proof (or print file) back with PDFium, poppler and pdf.js, and report per language the share of
the words it was typeset from that each engine extracts verbatim (whitespace-separated, punctuation trimmed, NFC).

Run after `brochure-press build`: .venv/bin/python bench/readback.py [PROJECT] [--words] [--variant print]
(`--words` lists the words each engine misses). pdf.js (Firefox's viewer) is read with Node.js once
`npm ci --prefix bench/pdfjs` has installed it; without it, its column says `-`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

from brochure_press.build.plan import plan
from brochure_press.compose.layouts import compose
from brochure_press.core.project import load_sources
from brochure_press.pdf.readback import extracted, missing_words, read_back_share, source_words

MISSED_SHOWN = 12
#: The script that prints the text pdf.js gives of a PDF, beside its node_modules.
PDFJS = Path(__file__).with_name("pdfjs") / "text.mjs"


def pdfjs_text(path: Path) -> str | None:
    """The text pdf.js extracts, or None when Node.js or pdfjs-dist is not installed."""
    node = shutil.which("node")
    if node is None or not (PDFJS.parent / "node_modules" / "pdfjs-dist").is_dir():
        return None
    done = subprocess.run([node, str(PDFJS), str(path)], capture_output=True, text=True, check=False)
    return done.stdout if done.returncode == 0 else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path, default=Path.cwd())
    parser.add_argument("--words", action="store_true", help="list the words each engine misses")
    parser.add_argument("--variant", choices=("proof", "print"), default="proof", help="the files read (default: proofs)")
    args = parser.parse_args()
    project, problems = load_sources(args.project.resolve())
    if project is None:
        raise SystemExit("\n".join(str(p) for p in problems))
    totals: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for job in plan(project, variants=[args.variant]):
        path = job.path(project.output_dir)
        if not path.is_file():
            continue
        expected = source_words(compose(project, job.brochure, job.edition, job.variant).html)
        texts = extracted(path.read_bytes()) | {"pdf.js": pdfjs_text(path)}
        for lang, found in expected.items():
            cells = []
            for engine, text in texts.items():
                if text is None:
                    cells.append(f"{engine} -")
                    continue
                share = read_back_share(found, text)
                totals[lang][engine] += [share * len(found), len(found)]
                cells.append(f"{engine} {share:6.1%}")
                if args.words and share < 1:
                    missed = missing_words(found, text).most_common(MISSED_SHOWN)
                    cells.append("missed " + " ".join(word for word, _ in missed))
            print(f"{job.name:48} {lang:3} {len(found):5} words  " + "  ".join(cells))
    print(f"\nper language (every {args.variant} file):")
    for lang, engines in sorted(totals.items()):
        shares = "  ".join(f"{e} {sum(v[0::2]) / sum(v[1::2]):6.1%}" for e, v in engines.items())
        print(f"  {lang:3} {shares}")


if __name__ == "__main__":
    main()
