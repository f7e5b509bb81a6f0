"""The glossary enforced: avoided terms, variant spellings of fixed names and short first mentions, in every text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from brochure_press.compose.inline import plain_text
from brochure_press.core.campaignmodel import Campaign
from brochure_press.core.diagnostics import BuildError, Diagnostic, Location
from brochure_press.core.glossary import GLOSSARY_FILE, Glossary
from brochure_press.core.project import Source, read_source
from brochure_press.core.sources import Key, dotted, validate
from brochure_press.core.walk import texts

#: Arabic vowel marks (tashkeel), the superscript alef and tatweel: ignored when matching.
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "ء", "ئ": "ء"})


def load_glossary(root: Path) -> Source[Glossary] | None:
    """The project's glossary, validated; None when the project has none."""
    path = root / "brochures" / GLOSSARY_FILE
    if not path.exists():
        return None
    data, marks = read_source(root, path)
    return Source(path, validate(Glossary, data, marks, path), marks)


def _normal(text: str, script: str) -> str:
    """Text as matching sees it: Arabic-script text without vowel marks and with one alef and one hamza;
    every other script case-folded."""
    if script == "Arab":
        return _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    return text.casefold()


#: Scripts whose words stand alone, so that a term is matched as whole words; every other script attaches
#: particles, case endings and compounds to words (Arabic, Devanagari, Bengali, Malayalam, Ethiopic …), so a
#: term is matched wherever it occurs, inflected or compounded too.
WHOLE_WORD_SCRIPTS = frozenset({"Latn", "Cyrl", "Grek"})


@lru_cache(maxsize=1024)
def _mapped(text: str, script: str) -> tuple[str, tuple[int, ...]]:
    """`text` as matching sees it, and for each of its characters (and its end) the place in `text` it comes from:
    dropped vowel marks would otherwise shift every place after them. Kept for the texts seen last: every term is
    looked for in every text."""
    pieces, origin = [], []
    for index, char in enumerate(text):
        for piece in _normal(char, script):
            pieces.append(piece)
            origin.append(index)
    return "".join(pieces), (*origin, len(text))


@dataclass(frozen=True)
class Matcher:
    """Finds a term in texts of one script: whole words in scripts with spaces and cases, substrings in the
    others (see `WHOLE_WORD_SCRIPTS`)."""

    script: str

    def spans(self, term: str, text: str) -> list[tuple[int, int]]:
        """Where `term` is in `text`, as places in `text` itself: a match ends after the marks on its last letter."""
        needle = re.escape(_normal(term, self.script).strip())
        if not needle:  # a term of vowel marks alone would match between every two letters
            return []
        pattern = rf"(?<!\w){needle}(?!\w)" if self.script in WHOLE_WORD_SCRIPTS else needle
        normal, origin = _mapped(text, self.script)
        return [(origin[m.start()], origin[m.end()]) for m in re.finditer(pattern, normal) if m.end() > m.start()]

    def inside(self, span: tuple[int, int], phrases: list[str], text: str) -> bool:
        return any(s <= span[0] and span[1] <= e for phrase in phrases for s, e in self.spans(phrase, text))


def _column(source: Source[Any], key: Key, term: str) -> Location:
    """The place of `term` in the source file: on the text's own line(s) when it is written there as is."""
    where = source.location(*key)
    if not where.line:
        return where
    try:
        lines = source.path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return where
    for offset, line in enumerate(lines[where.line - 1 : where.line + 9]):
        start = where.column - 1 if offset == 0 else 0
        found = line.find(term, start)
        if found >= 0:
            return Location(where.path, where.line + offset, found + 1)
    return where


def _findings(source: Source[Any], source_id: str, glossary: Glossary, campaign: Campaign) -> Iterator[Diagnostic]:
    for key, text in texts(source.model):
        place = f"{source_id}:{dotted(key)}"
        for lang, value in text.root.items():
            if lang not in campaign.languages:
                continue
            matcher, plain = Matcher(campaign.languages[lang].script), plain_text(value)
            yield from _avoided(source, key, lang, plain, place, matcher, glossary)
            yield from _variants(source, key, lang, plain, matcher, glossary)


def _avoided(
    source: Source[Any], key: Key, lang: str, plain: str, place: str, matcher: Matcher, glossary: Glossary
) -> Iterator[Diagnostic]:
    for term in glossary.terms:
        forms = term.languages.get(lang)
        for avoid in forms.avoid if forms else ():
            if place in avoid.allow_in:
                continue
            for span in matcher.spans(avoid.term, plain):
                if not matcher.inside(span, avoid.unless_part_of, plain):
                    yield Diagnostic(
                        "warning",
                        "glossary-avoid",
                        f"`{plain[span[0] : span[1]]}`: {avoid.why}",
                        _column(source, (*key, lang), plain[span[0] : span[1]]),
                        dotted((*key, lang)),
                        f"write `{forms.preferred}` (glossary: {term.id})" if forms else "",
                    )


def _variants(source: Source[Any], key: Key, lang: str, plain: str, matcher: Matcher, glossary: Glossary) -> Iterator[Diagnostic]:
    for name in glossary.names:
        forms = name.languages.get(lang)
        for variant in forms.variants if forms else ():
            for span in matcher.spans(variant, plain):
                if forms and not matcher.inside(span, forms.preferred, plain):
                    yield Diagnostic(
                        "warning",
                        "glossary-name",
                        f"`{plain[span[0] : span[1]]}` is not how {name.what} is written",
                        _column(source, (*key, lang), plain[span[0] : span[1]]),
                        dotted((*key, lang)),
                        f"write `{forms.preferred[0]}` (glossary: {name.id})",
                    )


def _first_mentions(source: Source[Any], glossary: Glossary, campaign: Campaign) -> Iterator[Diagnostic]:
    """A warning where a name with a `first_mention` is first named in a source, in a language, by a short form:
    the first text in file order that holds a preferred form must hold the full one."""
    ordered = sorted(texts(source.model), key=lambda item: source.location(*item[0]))
    for name in glossary.names:
        for lang, forms in name.languages.items():
            if forms.first_mention is None or lang not in campaign.languages:
                continue
            matcher = Matcher(campaign.languages[lang].script)
            for key, text in ordered:
                plain = plain_text(text.root.get(lang, ""))
                if any(matcher.spans(form, plain) for form in [*forms.preferred, forms.first_mention]):
                    if not matcher.spans(forms.first_mention, plain):
                        yield source.diagnostic(
                            (*key, lang),
                            "warning",
                            "glossary-first-mention",
                            f"the first mention of {name.what} is not its full form",
                            f"write `{forms.first_mention}` here (glossary: {name.id})",
                        )
                    break


def terminology_problems(root: Path, sources: dict[str, Source[Any]], campaign: Campaign) -> list[Diagnostic]:
    """Every avoided term and variant name in the given sources; problems of the glossary itself if it is broken."""
    try:
        glossary = load_glossary(root)
    except BuildError as exc:
        return exc.diagnostics
    if glossary is None:
        return []
    found = [d for source_id, source in sources.items() for d in _findings(source, source_id, glossary.model, campaign)]
    first = [d for source in sources.values() for d in _first_mentions(source, glossary.model, campaign)]
    return _empty_terms(glossary, campaign) + found + first


def _empty_terms(glossary: Source[Glossary], campaign: Campaign) -> list[Diagnostic]:
    """An error for each term or name that is nothing once matching drops vowel marks (it could never be found)."""
    forms: list[tuple[Key, str, str]] = []
    for i, term in enumerate(glossary.model.terms):
        for lang, written in term.languages.items():
            forms += [(("terms", i, lang, "avoid", j, "term"), lang, a.term) for j, a in enumerate(written.avoid)]
    for i, name in enumerate(glossary.model.names):
        for lang, named in name.languages.items():
            forms += [(("names", i, lang, "variants", j), lang, v) for j, v in enumerate(named.variants)]
    return [
        glossary.diagnostic(
            key,
            "error",
            "glossary-empty",
            f"`{text}` is only marks or spaces: it would be found in every text",
            "write the term with its letters",
        )
        for key, lang, text in forms
        if lang in campaign.languages and not _normal(text, campaign.languages[lang].script).strip()
    ]
