"""Refresh docs/preview.png, the README's picture of the preview: `.venv/bin/python scripts/screenshot.py`."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from brochure_press.editor.preview import PreviewServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.test_preview_browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PAGE = "view/employer-duties/en"
TARGET = ROOT / "docs" / "preview.png"


def main() -> None:
    with PreviewServer(ROOT, 0) as server, sync_playwright() as playwright:
        server.start()
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 860})
            page.goto(server.url + PAGE)
            page.evaluate("document.fonts.ready")
            png = page.screenshot()
        finally:
            browser.close()
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    TARGET.parent.mkdir(exist_ok=True)
    image.save(TARGET, optimize=True)
    print(f"{TARGET.relative_to(ROOT)}: {TARGET.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
