"""Read every built proof back with PDFium and poppler, and report per language the share of the words it was
typeset from that each engine extracts verbatim (whitespace-separated, punctuation trimmed, NFC).

Run after `brochure-press build --variant proof`: .venv/bin/python bench/readback.py [PROJECT] [--words]
(`--words` lists the words each engine misses).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from brochure_press.build.plan import plan
from brochure_press.compose.layouts import compose
from brochure_press.core.project import load_sources
from brochure_press.pdf.readback import ENGINES, extracted, missing_words, read_back_share, source_words

MISSED_SHOWN = 12


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path, default=Path.cwd())
    parser.add_argument("--words", action="store_true", help="list the words each engine misses")
    args = parser.parse_args()
    project, problems = load_sources(args.project.resolve())
    if project is None:
        raise SystemExit("\n".join(str(p) for p in problems))
    totals: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for job in plan(project, variants=["proof"]):
        path = job.path(project.output_dir)
        if not path.is_file():
            continue
        expected = source_words(compose(project, job.brochure, job.edition, job.variant).html)
        texts = extracted(path.read_bytes())
        for lang, found in expected.items():
            cells = []
            for engine in ENGINES:
                text = texts[engine]
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
    print("\nper language (all proofs):")
    for lang, engines in sorted(totals.items()):
        shares = "  ".join(f"{e} {sum(v[0::2]) / sum(v[1::2]):6.1%}" for e, v in engines.items())
        print(f"  {lang:3} {shares}")


if __name__ == "__main__":
    main()
