"""The preview in a real headless browser (Debian's chromium driven by Playwright): edit, break and fix a brochure."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from brochure_press.editor.preview import PreviewServer

from .conftest import copy_project

CHROMIUM = Path("/usr/bin/chromium")
#: No network but loopback, no first-run work, no sandbox (tests may run as root).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Longest wait for one step in the browser; a reload normally takes a fraction of a second.
STEP_SECONDS = 8


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def playwright_or_skip() -> Any:
    """Playwright's sync API, or a failure in CI / a skip elsewhere naming what is missing."""
    reason = ""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "Playwright is not installed: run scripts/setup.sh (it installs the test extra)"
    if not reason and not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: run scripts/setup.sh (it installs Debian's chromium)"
    if reason:
        if in_ci():
            pytest.fail(f"the browser test cannot run in CI: {reason}")
        pytest.skip(reason)
    return sync_playwright


def test_preview_reloads_on_save_shows_errors_and_recovers(sample_dir: Path) -> None:
    sync_playwright = playwright_or_skip()
    source = sample_dir / "brochures" / "sample.yaml"
    original = source.read_text()
    with PreviewServer(sample_dir, 0) as server, sync_playwright() as playwright:
        server.start()
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(STEP_SECONDS * 1000)
            page.goto(server.url)
            assert "Sample leaflet" in page.inner_text("body")
            page.get_by_role("link", name="en", exact=True).first.click()
            page.wait_for_url("**/view/sample/en")
            page.get_by_text("You have rights.").wait_for()
            # Fonts come from the project: the browser has loaded the bundled Noto faces.
            assert page.evaluate("document.fonts.check('16px \"Noto Sans\"')")

            edited = original.replace("You have rights.", "You have every right.")
            source.write_text(edited)
            page.get_by_text("You have every right.").wait_for()

            source.write_text(edited.replace("  - panel: back", "\t- panel: back"))
            # An editor saving in place may show a moment of "the file is empty" first: wait for the real error.
            page.locator(".problems", has_text="brochures/sample.yaml:30:1").wait_for()
            assert "indent with spaces, not tabs" in page.locator(".problems").inner_text()

            source.write_text(edited)
            page.get_by_text("You have every right.").wait_for()
            assert page.locator(".problems").count() == 0
            assert page.url.endswith("/view/sample/en")
        finally:
            browser.close()


def test_the_start_page_draws_every_title_in_the_bundled_fonts(tmp_path: Path) -> None:
    """Each title of the start page is drawn, glyph by glyph, with a font the preview serves from fonts/: the
    browser reports the fonts it really used (none of its own, which lack most workers' scripts)."""
    sync_playwright = playwright_or_skip()
    root = copy_project(tmp_path / "project")
    with PreviewServer(root, 0) as server, sync_playwright() as playwright:
        server.start()
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)
        try:
            page = browser.new_page()
            page.goto(server.url)
            page.evaluate("document.fonts.ready")
            cdp = page.context.new_cdp_session(page)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            document = cdp.send("DOM.getDocument")["root"]["nodeId"]
            titles = cdp.send("DOM.querySelectorAll", {"nodeId": document, "selector": ".brochure [lang]"})["nodeIds"]
            used: dict[str, set[tuple[str, bool]]] = {}
            for node in titles:
                lang = cdp.send("DOM.getAttributes", {"nodeId": node})["attributes"]
                code = lang[lang.index("lang") + 1]
                fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
                used.setdefault(code, set()).update((f["familyName"], f["isCustomFont"]) for f in fonts)
        finally:
            browser.close()
    assert {"hi", "bn", "ml", "si", "ne", "am", "ar", "ur"} <= set(used)
    fallbacks = {code: sorted(family for family, bundled in fonts if not bundled) for code, fonts in used.items()}
    assert not any(fallbacks.values()), fallbacks


def test_a_missing_browser_fails_in_ci_and_skips_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tests.test_preview_browser as this

    monkeypatch.setattr(this, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"cannot run in CI: .*no-chromium is missing"):
        playwright_or_skip()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match=r"run scripts/setup\.sh"):
        playwright_or_skip()
