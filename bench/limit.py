"""The physical limit of a build: warm worker processes doing WeasyPrint layout and write only, nothing else.

Run by bench.py: python bench/limit.py SPEC_JSON WORKERS; prints the seconds spent making every PDF once all the
workers have loaded WeasyPrint and the fonts.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from typing import Any

_worker: dict[str, Any] = {}


def start(fontconfig: str, barrier: Any) -> None:
    """Load WeasyPrint with the project's fonts only, then wait for the other workers."""
    os.environ["FONTCONFIG_FILE"] = fontconfig
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    _worker.update(HTML=HTML, fonts=FontConfiguration())
    barrier.wait()


def make(item: tuple[str, str, str, str]) -> None:
    path, variant, standard, base = item
    options = {"pdf_variant": f"pdf/{standard}"} if variant == "print" else {"pdf_tags": True}
    _worker["HTML"](filename=path, base_url=base).render(font_config=_worker["fonts"]).write_pdf(**options)


def main() -> None:
    spec, workers = json.loads(sys.argv[1]), int(sys.argv[2])
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers + 1)
    with context.Pool(workers, initializer=start, initargs=(spec["fontconfig"], barrier)) as pool:
        barrier.wait()
        begin = time.perf_counter()
        pool.map(make, [(*f, spec["base"]) for f in spec["files"]], chunksize=1)
        print(time.perf_counter() - begin)


if __name__ == "__main__":
    main()
