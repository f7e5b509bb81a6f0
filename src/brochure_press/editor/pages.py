"""The pages of the live preview: index, each edition as HTML and as proof PDF, the web edition and its share cards,
errors with file and line."""

from __future__ import annotations

import threading
from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import quote, unquote

from fontTools.ttLib import TTFont

from brochure_press.build.run import pdf_of
from brochure_press.compose.fonts import font_files
from brochure_press.compose.layouts import compose
from brochure_press.compose.typography import language_css
from brochure_press.core.diagnostics import BuildError, Diagnostic, errors, unknown_brochures
from brochure_press.core.fontfiles import named_as_fonts
from brochure_press.core.jobs import Job
from brochure_press.core.languages import brochure_editions
from brochure_press.core.model import Edition
from brochure_press.core.project import CAMPAIGN_FILE, Project, load_sources
from brochure_press.editor.webpreview import WEB_PREFIX, WebPreview, web_links
from brochure_press.render.job import check_sources
from brochure_press.web.pages import INDEX

#: The only project folders the browser may load files from.
SERVED_FOLDERS = ("layouts", "fonts")

RELOAD_SCRIPT = """<script>
(() => {{
  const shown = "{version}";
  window.previewVersion = shown;
  const events = new EventSource("/events");
  events.onmessage = (event) => {{ if (event.data !== shown) {{ events.close(); location.reload(); }} }};
}})();
</script>"""

#: Screen-only additions to a layout's page; `html` in each selector outweighs the layout's own CSS, which loads later.
CHROME_CSS = """
html { background: #d9d9d6; }
html body { margin: 60px auto 32px; }
html body.edition-en, html body.edition-ar { width: 297mm; }
html body.edition-bilingual { width: 178mm; padding: 22mm 16mm; background: #fff; box-shadow: 0 1px 6px rgb(0 0 0 / 25%); }
html .sheet { background: #fff; margin-bottom: 32px; box-shadow: 0 1px 6px rgb(0 0 0 / 25%); }
html .draft-mark { pointer-events: none; z-index: 5; }
html .running { display: none; } /* running headers live in print page margins, which browsers lack */
.preview-bar { position: fixed; z-index: 10; top: 0; left: 0; right: 0; display: flex; gap: 1.2em; align-items: center;
  padding: 8px 16px; background: #1f3a5f; color: #fff; font: 14px/1.4 "Noto Sans", sans-serif; text-align: left; }
.preview-bar a { color: #fff; }
.preview-bar .here { font-weight: bold; text-decoration: none; }
.preview-bar .brand { opacity: 0.75; margin-inline-end: auto; }
.preview-problems { position: fixed; z-index: 10; bottom: 0; left: 0; right: 0; margin: 0; padding: 8px 16px;
  background: #fff4d6; border-top: 2px solid #d98a00; font: 13px/1.4 "Noto Sans", sans-serif; text-align: left; }
"""

PAGE_CSS = """
body { font: 15px/1.5 "Noto Sans", sans-serif; color: #1b1b1b; background: #f4f4f2; margin: 0; padding: 24px 40px; }
h1 { font-size: 22px; color: #1f3a5f; margin: 0 0 16px; }
.brochure { background: #fff; padding: 12px 18px; margin: 0 0 12px; border-inline-start: 5px solid #1f3a5f; max-width: 900px; }
.brochure h2 { font-size: 17px; margin: 0; }
.brochure [lang=ar] { font-size: 18px; }
.status { font-size: 12px; padding: 1px 6px; border-radius: 3px; background: #eee; margin-inline-start: 8px; }
.status.draft { background: #ffe2c2; }
.editions { margin: 6px 0 0; }
.editions a { margin-inline-end: 14px; }
.problems { background: #fff; border-inline-start: 5px solid #c62828; padding: 12px 18px; max-width: 1100px; }
.problems li { margin-bottom: 10px; }
.problems .error { color: #c62828; font-weight: bold; }
.problems .warning { color: #a05a00; font-weight: bold; }
.problems pre { background: #f4f4f2; padding: 4px 8px; margin: 4px 0 0; white-space: pre-wrap; }
.note { color: #555; }
"""


@cache
def _face(path: Path, mtime: int) -> str:
    font = TTFont(path, lazy=True)
    family = font["name"].getBestFamilyName()
    weight = font["OS/2"].usWeightClass
    style = "italic" if font["OS/2"].fsSelection & 1 else "normal"
    font.close()
    source = f'url("/fonts/{path.name}?v={mtime}")'
    return f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; src: {source}; }}\n'


def font_faces(fonts_dir: Path) -> str:
    """@font-face rules for the bundled fonts, so a browser draws pages with the fonts print uses; each URL
    carries the file's modification time, so browsers may cache it until the font changes."""
    return "".join(_face(p, p.stat().st_mtime_ns) for p in font_files(fonts_dir)) if fonts_dir.is_dir() else ""


class Site:
    """The pages of the preview, made from the project folder as it is at the current version."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.version = 0
        self.stopping = False
        self._changed = threading.Condition()
        self._loaded: tuple[int, Project | None, list[Diagnostic]] | None = None
        self._pdfs: dict[tuple[int, str, str], bytes | str] = {}
        self._typesetting = threading.Lock()
        self.web = WebPreview()

    def bump(self) -> None:
        """A watched file changed: every page is out of date."""
        with self._changed:
            self.version += 1
            self._pdfs.clear()
            self._changed.notify_all()

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()

    def wait(self, version: int, timeout: float) -> int:
        """The version once it differs from `version`, or after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != version or self.stopping, timeout)
            return self.version

    def load(self) -> tuple[int, Project | None, list[Diagnostic]]:
        """The project at the current version (loaded once per version) and the problems of its sources."""
        with self._changed:
            version = self.version
            if self._loaded and self._loaded[0] == version:
                return self._loaded
        project, problems = load_sources(self.root)
        with self._changed:
            self._loaded = (version, project, problems)
        return version, project, problems

    def _files(self, brochure: str) -> set[Path]:
        """The sources one brochure is made from, its fonts among them."""
        brochures = self.root / "brochures"
        fonts = named_as_fonts(self.root / "fonts")
        return {brochures / CAMPAIGN_FILE, brochures / f"{brochure}.yaml", *(self.root / "layouts").glob("*/layout.yaml"), *fonts}

    def _page(self, title: str, body: str, version: int, lang: str = "en") -> str:
        return (
            f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{font_faces(self.root / 'fonts')}{PAGE_CSS}</style></head>\n<body>\n{body}\n"
            f"{RELOAD_SCRIPT.format(version=version)}\n</body></html>\n"
        )

    def _where(self, diagnostic: Diagnostic) -> str:
        if diagnostic.location is None:
            return ""
        path = diagnostic.location.path
        shown = path.relative_to(self.root) if path.is_relative_to(self.root) else path
        return str(type(diagnostic.location)(shown, diagnostic.location.line, diagnostic.location.column))

    def _problem_list(self, problems: list[Diagnostic]) -> str:
        items = []
        for d in problems:
            line = ""
            inside = d.location and d.location.path.resolve().is_relative_to(self.root.resolve())
            if d.location and d.location.line and inside and d.location.path.is_file():  # never quote a file outside
                lines = d.location.path.read_text(encoding="utf-8", errors="replace").splitlines()
                if d.location.line <= len(lines):
                    pointer = " " * max(d.location.column - 1, 0) + "^"
                    line = f"<pre>{escape(lines[d.location.line - 1])}\n{pointer}</pre>"
            field = f"{escape(d.field)}: " if d.field else ""
            hint = f" (hint: {escape(d.hint)})" if d.hint else ""
            where = self._where(d)
            where = f'<code class="where">{escape(where)}</code>: ' if where else ""
            items.append(
                f'<li>{where}<span class="{d.severity}">{d.severity}</span>: {field}{escape(d.message)}{hint}{line}</li>'
            )
        return "<ul>" + "".join(items) + "</ul>"

    def error_page(self, problems: list[Diagnostic], version: int) -> str:
        body = (
            '<h1>The preview cannot be shown</h1><div class="problems">'
            f'{self._problem_list(problems)}<p class="note">Fix the file and save it: this page comes back by itself.</p></div>'
            '<p><a href="/">All brochures</a></p>'
        )
        return self._page("Problems – brochure-press preview", body, version)

    def index(self) -> str:
        """The list of brochures with a link to each edition's page and proof PDF."""
        version, project, problems = self.load()
        parts = ["<h1>brochure-press preview</h1>"]
        if problems:
            parts.append(f'<div class="problems">{self._problem_list(problems)}</div>')
        if project is not None:
            for brochure, source in project.brochures.items():
                model, url = source.model, quote(brochure)
                links = "".join(
                    f'<a href="/view/{url}/{e}">{e}</a><a href="/proof/{url}/{e}">{e} proof PDF</a>'
                    for e in brochure_editions(project.campaign.model, model)
                )
                links += "".join(f'<a href="{quote(href)}">{escape(label)}</a>' for label, href in web_links(project, brochure))
                status = f'<span class="status {model.status}">{model.status}</span>'
                languages = project.campaign.model.languages
                titled = [(code, title) for code, title in model.title.root.items() if code in languages]
                first, *others = titled or [("en", brochure)]  # a title in no known language: the brochure's id
                translated = "".join(
                    f'<div lang="{code}" dir="{languages[code].direction}">{escape(title)}</div>' for code, title in others
                )
                parts.append(
                    f'<div class="brochure"><h2 lang="{first[0]}">{escape(first[1])}{status}</h2>{translated}'
                    f'<div class="editions"><code>{escape(brochure)}</code> · {links}</div></div>'
                )
            web = f'<a href="{WEB_PREFIX}{INDEX}">The web edition</a>'
            parts.append(f"<p>{web} (as <code>brochure-press web</code> writes it)</p>")
            parts.append(f"<style>{language_css(project.campaign.model.languages)}</style>")
        return self._page("brochure-press preview", "\n".join(parts), version)

    def _bar(self, brochure: str, edition: str, editions: list[Edition], kind: str) -> str:
        url = quote(brochure)
        links = " ".join(
            f'<a class="{"here" if e == edition and kind == "view" else ""}" href="/view/{url}/{e}">{e}</a>' for e in editions
        )
        proof = f'<a class="{"here" if kind == "proof" else ""}" href="/proof/{url}/{edition}">proof PDF</a>'
        brand = f'<span class="brand">brochure-press preview · <strong>{escape(brochure)}</strong></span>'
        home = '<a href="/">all brochures</a>'
        return f'<nav class="preview-bar" lang="en" dir="ltr">{brand}{home} <span>{links}</span> {proof}</nav>'

    def _ready(self, brochure: str, edition: str) -> tuple[int, Project | None, list[Diagnostic], str]:
        """The project, the problems elsewhere, and an error page ('' when the edition can be shown)."""
        version, project, problems = self.load()
        own = [d for d in problems if d.location is None or d.location.path in self._files(brochure)]
        if own or project is None:
            return version, project, problems, self.error_page(own or problems, version)
        if unknown := unknown_brochures([brochure], project.brochures):
            return version, project, problems, self.error_page(unknown, version)
        editions = brochure_editions(project.campaign.model, project.brochures[brochure].model)
        if edition not in editions:
            missing = Diagnostic(
                "error", "unknown-edition", f"{brochure} has no `{edition}` edition", hint=f"one of: {', '.join(editions)}"
            )
            return version, project, problems, self.error_page([missing], version)
        return version, project, problems, ""

    def edition_page(self, brochure: str, edition: str) -> str:
        """One edition as the browser can show it: the proof HTML with fonts, a navigation bar and live reload."""
        version, project, problems, error = self._ready(brochure, edition)
        if error or project is None:
            return error
        try:
            html = compose(project, brochure, edition, "proof").html
        except BuildError as exc:
            return self.error_page(exc.diagnostics, version)
        editions = brochure_editions(project.campaign.model, project.brochures[brochure].model)
        head = f'<base href="/"><style>{font_faces(project.fonts_dir)}{CHROME_CSS}</style>'
        tail = self._bar(brochure, edition, editions, "view")
        if problems:
            tail += (
                f'<div class="preview-problems">{len(problems)} problem(s) in other files: see <a href="/">the list</a>.</div>'
            )
        tail += RELOAD_SCRIPT.format(version=version)
        html = html.replace("<head>", f"<head>{head}", 1) if "<head>" in html else head + html
        return html.replace("</body>", f"{tail}</body>", 1) if "</body>" in html else html + tail

    def proof_page(self, brochure: str, edition: str) -> str:
        """A page holding the proof PDF, reloaded with it."""
        version, project, _, error = self._ready(brochure, edition)
        if error or project is None:
            return error
        editions = brochure_editions(project.campaign.model, project.brochures[brochure].model)
        body = (
            f"{self._bar(brochure, edition, editions, 'proof')}"
            f'<iframe title="proof PDF" src="/pdf/{quote(brochure)}/{edition}.pdf?v={version}" '
            'style="position: fixed; top: 40px; left: 0; width: 100%; height: calc(100% - 40px); border: 0"></iframe>'
        )
        return self._page(f"{brochure} {edition} proof", body + f"<style>{CHROME_CSS}</style>", version)

    def pdf(self, brochure: str, edition: str) -> bytes | str:
        """The proof PDF of one edition, made in memory once per version; an error page when it cannot be made."""
        version, project, _, error = self._ready(brochure, edition)
        if error or project is None:
            return error
        key = (version, brochure, edition)
        with self._typesetting:
            if key not in self._pdfs:
                job = Job(brochure, edition, "proof")
                try:
                    problems = errors(check_sources(project, [job]).problems)
                    self._pdfs[key] = self.error_page(problems, version) if problems else pdf_of(project, job)
                except BuildError as exc:
                    self._pdfs[key] = self.error_page(exc.diagnostics, version)
            return self._pdfs[key]

    def web_file(self, path: str) -> tuple[bytes | str, str] | None:
        """A file of the web edition at `path` below its root: a page (with live reload), a font subset or a
        share card, with its content type; an error page while the sources have errors; None for no such file."""
        version, project, problems = self.load()
        if project is None or errors(problems):
            return self.error_page(problems, version), "text/html; charset=utf-8"
        try:
            if path.startswith("fonts/"):
                font = self.web.font(path)
                return (font, "font/woff2") if font else None
            if path.startswith("cards/"):
                card = self.web.card(project, version, path)
                return (card, "image/png") if card else None
            page = self.web.page(project, path, RELOAD_SCRIPT.format(version=version))
            return (page, "text/html; charset=utf-8") if page else None
        except BuildError as exc:
            return self.error_page(exc.diagnostics, version), "text/html; charset=utf-8"

    def static_file(self, path: str) -> Path | None:
        """A file of the served folders named by a URL path, or None (never anything outside them)."""
        parts = unquote(path).lstrip("/").split("/", 1)
        if len(parts) != 2 or parts[0] not in SERVED_FOLDERS or "\x00" in parts[1]:
            return None
        folder = (self.root / parts[0]).resolve()
        target = (folder / parts[1]).resolve()
        return target if target.is_relative_to(folder) and target.is_file() else None
