"""Reading a proof back as its readers receive it: the text PDFium (Chrome, Edge, Android viewers) and poppler
(`pdftotext -raw`, most Linux viewers) extract, compared word for word with the text it was typeset from."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import pypdfium2 as pdfium
import tinyhtml5

from brochure_press.core.diagnostics import PageProblem
from brochure_press.core.policy import MIN_READ_BACK_SHARE
from brochure_press.pdf.textpositions import PDFIUM_LOCK

#: The engines a proof is read back with.
ENGINES = ("pdfium", "poppler")
#: A hyphenation point: a soft hyphen (and the line break after it), or PDFium's mark for a hyphen it found at a
#: line's end (U+FFFE, the line break left out); the word goes on after it.
HYPHENATION = re.compile("[\u00ad\ufffe]\\s*")
#: Elements whose text runs on with their neighbours' (everything else starts and ends a word).
INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "i", "mark", "q", "s", "small", "span"})
INLINE |= frozenset({"strong", "sub", "sup", "u", "wbr"})
UNREAD = frozenset({"script", "style", "template", "head", "title"})
XHTML = "{http://www.w3.org/1999/xhtml}"
POPPLER_SECONDS = 60
MISSED_SHOWN = 6


def words(text: str) -> list[str]:
    """Whitespace-separated words, punctuation and symbols trimmed at both ends, NFC; hyphenation points joined."""
    found = []
    for raw in HYPHENATION.sub("", unicodedata.normalize("NFC", text)).split():
        start, end = 0, len(raw)
        while start < end and unicodedata.category(raw[start])[0] in "PSZC":
            start += 1
        while end > start and unicodedata.category(raw[end - 1])[0] in "PSZC":
            end -= 1
        if start < end:
            found.append(raw[start:end])
    return found


def source_words(html: str) -> dict[str, list[str]]:
    """The words of an HTML document by the language (`lang`, inherited) each is written in, parsed as WeasyPrint
    parses it; parts hidden from readers (`aria-hidden="true"`, artifacts in the PDF) left out. Words end at
    white space, not where a language does."""
    chunks: list[tuple[str, str]] = []

    def visit(element: Any, lang: str) -> None:
        tag = element.tag.removeprefix(XHTML) if isinstance(element.tag, str) else ""
        if not tag or tag in UNREAD or element.get("aria-hidden") == "true":
            return
        lang = element.get("lang", lang)
        gap = "" if tag in INLINE else " "
        chunks.append((lang, gap + (element.text or "")))
        for child in element:
            visit(child, lang)
            chunks.append((lang, child.tail or ""))
        chunks.append((lang, gap))

    visit(tinyhtml5.parse(html), "")
    texts: dict[str, list[str]] = {}
    word: list[str] = []
    langs: Counter[str] = Counter()
    for lang, chunk in [*chunks, ("", " ")]:
        for char in chunk:
            if not char.isspace():
                word.append(char)
                langs[lang.split("-")[0]] += char.isalnum()
            elif word:  # a word is in the language most of its letters are in: `በ<span lang="en">PAM</span>` is Amharic
                texts.setdefault(max(langs, key=langs.__getitem__), []).extend(words("".join(word)))
                word.clear()
                langs.clear()
    return {lang: found for lang, found in texts.items() if lang and found}


def pdfium_text(data: bytes) -> str:
    """The text of every page as PDFium extracts it, pages separated by line breaks."""
    pages = []
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            for page in document:
                textpage = page.get_textpage()
                pages.append(textpage.get_text_range())
                textpage.close()
                page.close()
        finally:
            document.close()
    return "\n".join(pages)


def poppler_text(data: bytes) -> str | None:
    """The text `pdftotext -raw` extracts (content-stream order), or None when poppler is not installed or fails."""
    program = shutil.which("pdftotext")
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, "-raw", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, timeout=POPPLER_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def extracted(data: bytes) -> dict[str, str | None]:
    """The text each engine extracts from a PDF (None: the engine is not available)."""
    return {"pdfium": pdfium_text(data), "poppler": poppler_text(data)}


def missing_words(expected: Iterable[str], text: str) -> Counter[str]:
    """The expected words (with how many times) that the extracted text does not give verbatim."""
    return Counter(expected) - Counter(words(text))


def read_back_share(expected: list[str], text: str) -> float:
    """The share of `expected` words found verbatim in the extracted text (each occurrence counted)."""
    if not expected:
        return 1.0
    return 1 - sum(missing_words(expected, text).values()) / len(expected)


def read_back(html: str, data: bytes) -> dict[str, dict[str, float]]:
    """Per language of the HTML and per engine available, the share of its words a PDF made from it reads back."""
    texts = {engine: text for engine, text in extracted(data).items() if text is not None}
    return {
        lang: {engine: read_back_share(found, text) for engine, text in texts.items()}
        for lang, found in source_words(html).items()
    }


def read_back_problems(data: bytes, expected: Mapping[str, list[str]]) -> list[PageProblem]:
    """An error for each language of which the text poppler (`pdftotext -raw`; PDFium when poppler is missing)
    extracts gives less than MIN_READ_BACK_SHARE of the words it was typeset from verbatim."""
    engine, text = "pdftotext -raw", poppler_text(data)
    if text is None:
        engine, text = "PDFium", pdfium_text(data)
    problems = []
    for lang, found in expected.items():
        share = read_back_share(found, text)
        if share < MIN_READ_BACK_SHARE:
            missed = ", ".join(word for word, _ in missing_words(found, text).most_common(MISSED_SHOWN))
            message = (
                f"`{lang}` read back with {engine}: {share:.1%} of its {len(found)} words verbatim, "
                f"less than {MIN_READ_BACK_SHARE:.0%} (missed: {missed})"
            )
            hint = (
                "readers get other words than were written; building the same sources again gives the same file: "
                "look at the words missed in the proof, and report the file and its language to the maintainers"
            )
            problems.append(PageProblem(None, "error", "read-back", message, hint))
    return problems


def lowest(shares: Mapping[str, Mapping[str, float]]) -> float:
    """The lowest share over languages and engines (1.0 when there is nothing to read)."""
    return min((share for engines in shares.values() for share in engines.values()), default=1.0)
