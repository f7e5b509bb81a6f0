"""The web edition: pages per brochure and language, nothing loaded from elsewhere, light pages, the same bytes on
every run, the print texts; share cards of the right size; the print editions' QR codes read as the pages' addresses."""

from __future__ import annotations

import functools
import io
import re
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pikepdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from fontTools.ttLib import TTFont
from PIL import Image

from brochure_press.cli import main
from brochure_press.compose.inline import plain_text, writing
from brochure_press.compose.qr import page_url, qr_code, short_url
from brochure_press.core.campaignmodel import Campaign
from brochure_press.core.diagnostics import Location
from brochure_press.core.jobs import Job
from brochure_press.core.languages import brochure_languages
from brochure_press.core.policy import MAX_WEB_PAGE_BYTES, QR_MIN_SIZE_MM, QR_QUIET_ZONE, QR_READ_DPI
from brochure_press.core.project import load_project
from brochure_press.preflight.expectations import expectations
from brochure_press.preflight.printcheck import preflight
from brochure_press.preflight.qrcode import QR_MARKER, read_qr_codes
from brochure_press.preflight.structure import named_destinations
from brochure_press.render.job import make_pdf
from brochure_press.render.typeset import render
from brochure_press.web.cards import PX_PER_PT, SHAPES, STORY_CLEAR, card_html, key_message
from brochure_press.web.pages import WebPage, page_file, screen_html, screen_title
from brochure_press.web.site import build_site, weight_problems
from tests.conftest import copy_project, make_sample
from tests.test_preview_browser import CHROMIUM, CHROMIUM_ARGS, STEP_SECONDS, playwright_or_skip

PHONE = "+965 2530 8169"


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the text it shows."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def first(self, tag: str) -> dict[str, str]:
        return next(attrs for name, attrs in self.tags if name == tag)


def set_address(root: Path) -> None:
    """Publish the web edition of the project at `root` at a real-looking address instead of the placeholder."""
    campaign = root / "brochures" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("together-against-trafficking.example/", "stop-trafficking.kw/web/"))


def letters(text: str) -> str:
    """Text without spaces and combining marks, which PDFium's text extraction may move."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Mn")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real campaign's web edition, written once for this module."""
    root = copy_project(tmp_path_factory.mktemp("web"))
    assert main(["--project", str(root), "web"]) == 0
    return root


def pages(root: Path) -> dict[str, str]:
    return {p.relative_to(root / "output" / "web").as_posix(): p.read_text() for p in (root / "output" / "web").rglob("*.html")}


def test_a_page_per_brochure_and_language_with_its_language_and_direction(site: Path) -> None:
    project = load_project(site)
    campaign = project.campaign.model
    written = pages(site)
    expected = {"index.html"}
    for bid, source in project.brochures.items():
        for code in brochure_languages(campaign, source.model):
            path = page_file(bid, code)
            expected.add(path)
            html = Tags(written[path]).first("html")
            assert (html["lang"], html["dir"]) == (code, campaign.languages[code].direction)
    assert set(written) == expected
    assert Tags(written["employer-duties/ar/index.html"]).first("html") == {"lang": "ar", "dir": "rtl"}


def test_pages_hold_the_print_texts_and_help_lines_as_links(site: Path) -> None:
    project = load_project(site)
    campaign = project.campaign.model
    written = pages(site)
    for bid, source in project.brochures.items():
        for code in brochure_languages(campaign, source.model):
            html = written[page_file(bid, code)]
            assert str(screen_title(source.model.title[code], writing(campaign, code))) in html
            texts = [t for s in source.model.sections for b in s.blocks for t in (b.text, b.callout) if t]
            for text in texts:
                assert str(screen_html(text[code], writing(campaign, code))) in html
            tags = Tags(html)
            hrefs = [attrs.get("href", "") for name, attrs in tags.tags if name == "a"]
            assert "tel:+96525308169" in hrefs and "tel:112" in hrefs and "mailto:iomkuwait@iom.int" in hrefs
            h1 = re.search(r"<h1>(.*?)</h1>", html, re.S)
            shown = re.sub(r"<[^>]+>", "", h1.group(1)).replace("\N{NO-BREAK SPACE}", " ") if h1 else ""
            assert shown == plain_text(source.model.title[code])  # bound words aside


def test_nothing_is_loaded_from_another_host_and_every_link_resolves(site: Path) -> None:
    web = site / "output" / "web"
    project = load_project(site)
    source_links = {
        m
        for s in project.brochures.values()
        for text in s.path.read_text().split("\n")
        for m in re.findall(r"\]\((https?://[^)]+)\)", text)
    }
    for path, html in pages(site).items():
        folder = (web / path).parent
        tags = Tags(html)
        assert not [t for t, _ in tags.tags if t in ("script", "img", "iframe", "object", "embed")], path
        # Links in the head name the page's addresses for search engines and sharing; a browser loads none of them.
        assert {a["rel"] for t, a in tags.tags if t == "link"} <= {"canonical", "alternate"}, path
        assert not [a for _, a in tags.tags if "src" in a or "srcset" in a], path
        for name, attrs in tags.tags:
            href = attrs.get("href")
            if name != "a" or href is None:
                continue
            if href.startswith(("tel:", "mailto:")):
                continue
            if href.startswith("#"):
                assert f' id="{href[1:]}"' in html, f"{path}: {href} leads nowhere"
                continue
            if href.startswith(("http://", "https://", "//")):
                assert href in source_links, f"{path}: {href} is not a link written in a brochure"
                continue
            assert (folder / href).is_file(), f"{path}: {href} leads nowhere"
        for url in re.findall(r"url\(\"?([^\")]+)\"?\)", html):
            assert not re.match(r"[a-z]+:|//", url), f"{path}: {url} is not in the site"
            assert (folder / url).is_file(), f"{path}: {url} is missing"


def test_pages_are_light_and_fonts_hold_only_the_characters_of_their_page(site: Path) -> None:
    web = site / "output" / "web"
    for path, html in pages(site).items():
        fonts = [(web / path).parent / url for url in re.findall(r'url\("([^"]+\.woff2)"\)', html)]
        weight = len(html.encode()) + sum(f.stat().st_size for f in fonts)
        assert weight <= MAX_WEB_PAGE_BYTES, f"{path} weighs {weight} bytes"
        body = html.split("</head>")[1]
        # What the page draws: its text, with spaces as HTML collapses them, and a marker before each list item.
        text = "".join(Tags(body).text) + ("\N{BULLET} " if "<li" in body else "")
        shown = {ord(" " if c in "\n\t\r" else c) for c in text if unicodedata.category(c) != "Cf"}
        assert {ord(" "), ord("\N{BULLET}")} <= shown
        covered: set[int] = set()
        for font in fonts:
            assert font.read_bytes()[:4] == b"wOF2", f"{font.name} is not WOFF2"  # the format the CSS names
            cmap = set(TTFont(font)["cmap"].getBestCmap())
            assert cmap and cmap <= shown, f"{font.name} on {path} has {sorted(map(chr, cmap - shown))[:10]} the page lacks"
            covered |= cmap
        assert shown <= covered, f"no font of {path} draws {sorted(map(chr, shown - covered))}"
    assert weight > 20_000  # fonts are there: a page without them would pass the limit trivially


def test_a_page_over_the_limit_is_named_in_a_warning(site: Path) -> None:
    project = load_project(site)
    heavy = WebPage("kuwait-efforts/ar/index.html", "x" * (MAX_WEB_PAGE_BYTES + 1), "ar", "rtl", ())
    [warning] = weight_problems(project, [heavy, replace(heavy, html="light")])
    assert (warning.severity, warning.code) == ("warning", "web-weight")
    assert warning.message == "kuwait-efforts/ar/index.html weighs 256,001 bytes with its fonts, more than 256,000 (250 KB)"


def test_two_runs_in_two_folders_write_the_same_bytes(tmp_path: Path) -> None:
    """The sample's site (English and Arabic pages, their font subsets, share cards) written by this process and by
    a fresh one, with its own hash seed, in another folder: the same files, byte for byte."""
    here, elsewhere = make_sample(tmp_path / "one"), make_sample(tmp_path / "elsewhere" / "two")
    build_site(load_project(here))
    command = [sys.executable, "-m", "brochure_press", "--project", str(elsewhere), "web"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    first, second = here / "output" / "web", elsewhere / "output" / "web"
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    assert [n for n in names if (first / n).read_bytes() != (second / n).read_bytes()] == []
    assert "sample/ar/index.html" in names
    assert any(n.endswith(".woff2") for n in names) and any(n.endswith(".png") for n in names)


def test_share_cards_have_their_sizes_and_say_the_hotline_and_hashtag(site: Path) -> None:
    project = load_project(site)
    campaign = project.campaign.model
    cards = site / "output" / "web" / "cards"
    for shape, size in SHAPES.items():
        for code in ("en", "ar"):
            image = Image.open(cards / f"DRAFT-employer-duties.{code}.{shape}.png")
            assert image.size == size and image.info.keys() <= {"dpi"}
    message = key_message(project.brochures["employer-duties"].model)
    for code in ("en", "ar"):
        html = card_html(project, "employer-duties", code, "story")
        for expected in (campaign.hashtag[code], message[code]):
            assert str(screen_html(expected, writing(campaign, code))) in html
        # As laid out: the hotline, and (for English, whose text PDFium extracts as written) the message.
        text = pdfium.PdfDocument(render(html, site, Location(Path("card.html.j2"))).write_pdf())[0].get_textpage()
        shown = text.get_text_bounded()
        assert PHONE in shown and campaign.emergency.phone in shown
        # The address a reader types is at least 40 px high (a card of W px is laid out on a page of W × 0.75 pt).
        url = short_url(page_url(campaign, "employer-duties", code))
        address = shown.index(url[:20])
        assert pdfium.raw.FPDFText_GetFontSize(text.raw, address) * PX_PER_PT >= 40
        # It breaks after a slash only: a line ending `employer-` would be read as a hyphenated word (PDFium marks a
        # line that ends at a hyphen with U+0002).
        lines, typed = [], ""
        for line in shown[address:].replace("\x02", "-\n").splitlines():
            if typed == url:
                break
            lines.append(line.strip())
            typed += line.strip()
        assert typed == url and all(line.endswith("/") for line in lines[:-1]), lines
        if code == "en":
            assert letters(plain_text(message[code])) in letters(shown)
    # Stories: an app's controls cover the top 250 px and the bottom 340 px; nothing but the background there.
    story = Image.open(cards / "DRAFT-employer-duties.ar.story.png")
    top, bottom = STORY_CLEAR
    for box in ((0, 0, story.width, top), (0, story.height - bottom, story.width, story.height)):
        assert len(story.crop(box).getcolors()) == 1, box
    assert len(story.crop((0, top, story.width, story.height - bottom)).getcolors(1 << 16)) > 1


def test_check_warns_while_the_address_is_a_placeholder(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--project", str(sample_dir), "check"])
    assert "web.base_url: the web edition's address https://together-against-trafficking.example/ is a placeholder" in (
        capsys.readouterr().out
    )
    set_address(sample_dir)
    main(["--project", str(sample_dir), "check"])
    assert "placeholder" not in capsys.readouterr().out


@pytest.mark.parametrize("edition", ["ar", "bilingual"])
def test_the_printed_qr_code_reads_as_the_web_page(sample_dir: Path, edition: str) -> None:
    campaign_file = sample_dir / "brochures" / "campaign.yaml"
    campaign_file.write_text(
        campaign_file.read_text().replace("together-against-trafficking.example/", "stop-trafficking.kw/web/")
    )
    project = load_project(sample_dir)
    url = page_url(project.campaign.model, "sample", "ar" if edition == "ar" else "en")
    assert url == f"https://stop-trafficking.kw/web/sample/{'ar' if edition == 'ar' else 'en'}/"
    data, _ = make_pdf(project, Job("sample", edition, "print"))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = named_destinations(pdf)[QR_MARKER][0]
    # The trifold's back panel is on the outside sheet; the bilingual code follows the help lines at the end.
    assert page == 1 if edition == "ar" else PHONE in pdfium.PdfDocument(data)[page - 1].get_textpage().get_text_bounded()
    assert url in read_qr_codes(data, page)  # beside the Arabic one in the bilingual edition (test_designer)
    # At least 20 mm with its quiet zone, measured on the rendered page.
    document = pdfium.PdfDocument(data)
    found = zxingcpp.read_barcodes(document[page - 1].render(scale=QR_READ_DPI / 72).to_pil())
    corners = found[0].position
    width_mm = abs(corners.top_right.x - corners.top_left.x) / QR_READ_DPI * 25.4
    modules = 17 + 4 * qr_code(url, "print").version
    assert width_mm * (modules + 2 * QR_QUIET_ZONE) / modules >= QR_MIN_SIZE_MM
    assert qr_code(url, "print").error in ("M", "Q", "H")
    # Vector in 100 % K, overprinting: no image on the page; the stroke with the most path pieces (the module rows)
    # is DeviceCMYK black, under an overprinting graphics state.
    with pikepdf.open(io.BytesIO(data)) as pdf:
        target = pdf.pages[page - 1]
        assert not target.get_images()
        states = target.Resources.ExtGState
        strokes, colour, pieces, overprint, saved = [], [0.0], 0, False, []
        for operands, operator in pikepdf.parse_content_stream(target):
            op = str(operator)
            if op in ("SCN", "SC", "RG", "K", "G"):
                colour = [float(v) for v in operands]
            elif op == "q":
                saved.append((colour, overprint))
            elif op == "Q":
                colour, overprint = saved.pop()
            elif op == "gs" and "/OP" in states[operands[0]]:
                overprint = bool(states[operands[0]].OP)
            elif op in ("m", "l", "re", "h"):
                pieces += 1
            elif op in ("f", "f*", "n", "S", "s", "B", "b"):
                strokes.append((pieces, colour if op == "S" else None, overprint))
                pieces = 0
        assert max(strokes, key=lambda stroke: stroke[0])[1:] == ([0, 0, 0, 1], True)
    # Preflight reads the code and names a file whose code leads elsewhere.
    expected = expectations(project, edition, brochure="sample")
    assert not [d for d in preflight(data, Path("sample.print.pdf"), expected).diagnostics if "qr" in d.code]
    wrong = replace(expected, qr_urls={**expected.qr_urls, QR_MARKER: url + "x"})
    codes = [d.code for d in preflight(data, Path("sample.print.pdf"), wrong).diagnostics]
    assert "preflight-qr-wrong" in codes


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` served over HTTP on the loopback interface, at the address this yields."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


#: Marks every element of the body that holds text of its own (white space between its children too).
MARK_TEXT_JS = """() => document.querySelectorAll('body, body *').forEach(e => {
  if ([...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE)) e.dataset.holdsText = '';
})"""


def platform_fonts(cdp: Any, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium draws each element matching `selector` with (one entry per element and font)."""
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]
    return [font for node in nodes for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]


def drawing(cdp: Any, selector: str) -> set[str]:
    """The families Chromium draws the elements matching `selector` with."""
    return {font["familyName"] for font in platform_fonts(cdp, selector)}


def system_fonts(cdp: Any) -> dict[str, int]:
    """Glyphs a page draws from fonts it did not bring (the machine's), by family, as Chromium reports them for
    each element that holds text (MARK_TEXT_JS)."""
    found: dict[str, int] = {}
    for font in platform_fonts(cdp, "[data-holds-text]"):
        if not font["isCustomFont"]:
            found[font["familyName"]] = found.get(font["familyName"], 0) + font["glyphCount"]
    return found


#: The faces a page declares that failed to load (fetched and refused, or never fetched).
BROKEN_FACES_JS = """[...document.fonts].filter(face => face.status === 'error')
  .map(face => `${face.family} ${face.weight} ${face.style}`)"""


def test_every_page_passes_axe_core_in_chromium_and_loads_only_its_own_files(site: Path) -> None:
    """axe-core finds nothing; the browser asks for nothing but the site's files, and draws every glyph (spaces and
    list markers too) from the page's own subsets, never from the machine's fonts. Phone numbers are drawn in one
    face, the one print gives them: Noto Sans Sinhala's half-em spaces had spread them (`+965  2530  8169`)."""
    sync_playwright = playwright_or_skip()
    axe = files("axe_playwright_python") / "axe.min.js"
    violations: dict[str, list[tuple[str, str, list[str]]]] = {}
    machine_fonts: dict[str, dict[str, int]] = {}
    phones: dict[str, set[str]] = {}
    requested: list[str] = []
    failed: list[str] = []
    with served(site / "output" / "web") as address, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)
        try:
            # The pages' security policy forbids scripts; axe-core is a script the test adds, so the browser lets it in.
            context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
            page = context.new_page()
            page.set_default_timeout(STEP_SECONDS * 1000)
            page.on("request", lambda request: requested.append(request.url))
            page.on("requestfailed", lambda request: failed.append(f"{request.url}: {request.failure}"))
            cdp = context.new_cdp_session(page)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            for path in sorted(pages(site)):
                page.goto(f"{address}/{path}", wait_until="load")
                page.evaluate("document.fonts.ready.then(() => true)")  # every face the page uses has loaded, or failed
                broken = page.evaluate(BROKEN_FACES_JS)
                assert not broken, (path, broken, failed)
                page.evaluate(MARK_TEXT_JS)
                machine_fonts[path] = system_fonts(cdp)
                phones[path] = drawing(cdp, ".phone")
                page.add_script_tag(path=str(axe))
                result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                violations[path] = [
                    (v["id"], v["impact"], [str(n["target"]) for n in v["nodes"]][:3]) for v in result["violations"]
                ]
        finally:
            browser.close()
    assert violations == {path: [] for path in violations}
    assert machine_fonts == {path: {} for path in violations}
    # Arabic's face draws Latin runs itself, as does Urdu's on the web (Naskh); Nastaliq, Sinhala, Devanagari… do not.
    faces = {"ar": {"IBM Plex Sans Arabic"}, "ur": {"Scheherazade New"}}
    assert phones == {path: faces.get(path.split("/")[-2] if "/" in path else "en", {"IBM Plex Sans"}) for path in phones}
    project = load_project(site)
    languages = [brochure_languages(project.campaign.model, b.model) for b in project.brochures.values()]
    assert len(violations) == 1 + sum(len(codes) for codes in languages) == 17  # the index and every page
    assert {urlsplit(url).netloc for url in requested} == {urlsplit(address).netloc}
    assert any(url.endswith(".woff2") for url in requested)


def test_language_links_send_regular_faces_only_and_urdu_pages_are_set_in_naskh(site: Path) -> None:
    written = pages(site)
    hindi = written[page_file("foreign-labour-rights", "hi")]
    faces = set(re.findall(r'src: url\("\.\./\.\./fonts/([A-Za-z]+-[A-Za-z]+)\.', hindi))
    # Bengali, Malayalam, Sinhala and Amharic show only in the language links, named in themselves.
    for family in ("NotoSansBengali", "NotoSansMalayalam", "NotoSansSinhala", "NotoSansEthiopic"):
        assert f"{family}-Regular" in faces and f"{family}-Bold" not in faces, faces
    assert {"NotoSansDevanagari-Regular", "NotoSansDevanagari-Bold"} <= faces  # the page's own text, headings bold
    assert "বাংলা" in hindi and "اردو" in hindi
    urdu = written[page_file("foreign-labour-rights", "ur")]
    assert "ScheherazadeNew-Regular" in urdu and "NotoNastaliqUrdu" not in urdu  # web.styles: {ur: naskh}
    index = written["index.html"]
    assert "NotoNastaliqUrdu" not in index and "NotoSansDevanagari-Bold" not in index


#: A phone held upright, as wide as the narrowest in common use, in CSS pixels.
PHONE_WIDTH = 360
#: What the reader sees of a page: its body text size, whether it scrolls sideways, and what sticks out.
LAYOUT_JS = """() => {
  const body = document.querySelector('main p:not([class]), main li');
  const out = [...document.querySelectorAll('body *')].filter(e => {
    const box = e.getBoundingClientRect();
    return box.width && getComputedStyle(e).position !== 'absolute' && (box.right > innerWidth + 1 || box.left < -1);
  });
  // The lines of each title, subtitle and heading as drawn: a character drawn below the one before it starts a line.
  const titles = [];
  for (const title of document.querySelectorAll('h1, h2, h3, .subtitle')) {
    const walker = document.createTreeWalker(title, NodeFilter.SHOW_TEXT);
    const lines = [];
    let line = '', before = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        if (/\\s/.test(node.data[i])) { line += ' '; continue; }
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getClientRects()[0];
        if (!box) continue;
        if (before && box.top >= before.bottom - 1) { lines.push(line.trim()); line = ''; }
        line += node.data[i];
        before = box;
      }
    }
    titles.push([...lines, line.trim()]);
  }
  return {body: parseFloat(getComputedStyle(body).fontSize),
          sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
          out: out.slice(0, 3).map(e => e.tagName + ' ' + e.textContent.slice(0, 30)),
          titles};
}"""


def against_sense(campaign: Campaign, path: str, titles: list[list[str]]) -> list[list[str]]:
    """The titles and headings of a page (as `LAYOUT_JS` reads their lines) with a line that starts with a dash, or on a
    brochure's page one that ends on a particle of its language."""
    particles = set(campaign.languages[path.split("/")[1]].particles) if path != "index.html" else set()
    return [
        lines
        for lines in titles
        if any(line.startswith(("\u2013", "\u2014")) for line in lines[1:])
        or any(line.split()[-1:] and line.split()[-1] in particles for line in lines[:-1])
    ]


def test_pages_follow_the_readers_text_size_and_never_scroll_sideways(site: Path) -> None:
    """Chromium at 360 px with the usual 16 px default font and with 32 px (text enlarged to 200 %), and at 180 px
    with 16 px (200 % zoom): body text doubles with the setting and nothing leaves the screen; at 360 px no title or
    heading line starts with a dash or ends on a particle; the help lines keep a border in forced-colours mode, and
    print leaves the navigation out."""
    sync_playwright = playwright_or_skip()
    campaign = load_project(site).campaign.model
    paths = sorted(pages(site))
    seen: dict[tuple[int, int], dict[str, dict[str, Any]]] = {}
    with served(site / "output" / "web") as address, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)
        try:
            for width, default in ((PHONE_WIDTH, 16), (PHONE_WIDTH, 32), (PHONE_WIDTH // 2, 16)):
                context = browser.new_context(viewport={"width": width, "height": 800})
                page = context.new_page()
                page.set_default_timeout(STEP_SECONDS * 1000)
                cdp = context.new_cdp_session(page)
                cdp.send("Page.enable")
                cdp.send("Page.setFontSizes", {"fontSizes": {"standard": default, "fixed": default}})
                for path in paths:
                    page.goto(f"{address}/{path}", wait_until="load")
                    page.evaluate("document.fonts.ready.then(() => true)")
                    seen.setdefault((width, default), {})[path] = page.evaluate(LAYOUT_JS)
                context.close()
            page = browser.new_page(viewport={"width": PHONE_WIDTH, "height": 800})
            page.goto(f"{address}/{page_file('foreign-labour-rights', 'ar')}", wait_until="load")
            page.emulate_media(forced_colors="active")
            border = "getComputedStyle(document.querySelector(%r)).borderTopStyle"
            assert [page.evaluate(border % box) for box in (".hotline", ".emergency")] == ["solid", "solid"]
            page.emulate_media(forced_colors="none", media="print")
            assert page.evaluate("getComputedStyle(document.querySelector('.languages')).display") == "none"
        finally:
            browser.close()
    large, zoomed = seen[PHONE_WIDTH, 32], seen[PHONE_WIDTH // 2, 16]
    assert {path: large[path]["body"] / zoomed[path]["body"] for path in paths} == {path: 2 for path in paths}
    for (width, default), layout in seen.items():
        assert {path: shown["out"] for path, shown in layout.items() if shown["sideways"]} == {}, (width, default)
        # At 200 % zoom (180 px) a title's word with its dash may be wider than the line, which then breaks where it must.
        if width == PHONE_WIDTH:
            sense = {path: against_sense(campaign, path, shown["titles"]) for path, shown in layout.items()}
            assert sense == {path: [] for path in paths}, (width, default)
    # The web scale: no language's body text is smaller than English's, whatever print needs to fit its panels.
    english = zoomed[page_file("foreign-labour-rights", "en")]["body"]
    assert english >= 18
    assert {path: shown["body"] for path, shown in zoomed.items() if shown["body"] < english} == {}


def test_pages_say_how_they_are_shared_from_the_campaigns_address(site: Path) -> None:
    project = load_project(site)
    campaign = project.campaign.model
    base = campaign.web.base_url
    written = pages(site)
    for path, html in written.items():
        tags = Tags(html.split("</head>")[0])
        meta = {a.get("property") or a.get("name"): a.get("content", "") for t, a in tags.tags if t == "meta"}
        links = [(a["rel"], a.get("hreflang"), a["href"]) for t, a in tags.tags if t == "link"]
        assert meta["og:title"] and meta["og:description"] == meta["description"], path
        assert meta["og:locale"] == Tags(html).first("html")["lang"] and meta["twitter:card"] == "summary_large_image"
        assert meta["og:image"].startswith(base) and meta["og:image"].endswith(".square.png"), path
        assert (site / "output" / "web" / meta["og:image"].removeprefix(base)).is_file(), meta["og:image"]
        [canonical] = [href for rel, _, href in links if rel == "canonical"]
        assert canonical == meta["og:url"] == base + path.removesuffix("index.html")
        alternates = {code: href for rel, code, href in links if rel == "alternate"}
        if path != "index.html":
            bid, lang = path.split("/")[:2]
            codes = brochure_languages(campaign, project.brochures[bid].model)
            assert alternates == {code: page_url(campaign, bid, code) for code in codes if code != lang}
    hindi = Tags(written[page_file("foreign-labour-rights", "hi")]).tags
    assert ("link", {"rel": "alternate", "hreflang": "en", "href": base + "foreign-labour-rights/en/"}) in hindi


def test_an_unreviewed_translation_says_so_first_in_its_language_and_in_english(site: Path) -> None:
    project = load_project(site)
    campaign = project.campaign.model
    brochure = project.brochures["foreign-labour-rights"].model
    written = pages(site)
    for code in brochure_languages(campaign, brochure):
        body = written[page_file("foreign-labour-rights", code)].split("<body>")[1]
        notes = re.findall(r'<p class="draft-banner" role="note">(.*?)</p>', body)
        if code in brochure.translations:
            under_review = [campaign.languages[c].under_review for c in (code, "en")]
            assert [re.findall(r">([^<]+)<", note) for note in notes] == [under_review], code
            assert body.index("draft-banner") < body.index("wordmark")  # first in the header
        else:
            assert notes == [campaign.languages[code].draft]  # a reviewed language of a draft brochure
