"""Notes for translators: the legal-review comments written above a text in its source file, and the glossary
terms its source text uses, with how the target language writes them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from brochure_press.compose.inline import plain_text
from brochure_press.core.campaignmodel import Campaign
from brochure_press.core.glossary import Glossary, Name, NameForms, Term, TermForms
from brochure_press.core.sources import KEY_MARK, Key, Marks
from brochure_press.core.xliffformat import Note
from brochure_press.editor.terminology import Matcher

#: The comments in sources that record what a lawyer still has to confirm: `# legal review: …`.
LEGAL_REVIEW = re.compile(r"^legal review\s*:\s*", re.IGNORECASE)


def _comments_above(lines: list[str], line: int) -> Iterator[str]:
    """The comment lines directly above a (1-based) line, nearest first."""
    index = line - 2
    while index >= 0 and lines[index].lstrip().startswith("#"):
        yield lines[index].strip().removeprefix("#").strip()
        index -= 1


def legal_notes(lines: list[str], marks: Marks, key: Key) -> list[Note]:
    """The legal-review comments above a text, or above the list item (section, block, bullet) that holds it."""
    places = [key[:n] for n in range(1, len(key) + 1) if n == len(key) or isinstance(key[n - 1], int)]
    starts = sorted({marks[m].line for place in places for m in ((*place, KEY_MARK), place) if m in marks})
    comments = dict.fromkeys(c for line in starts for c in reversed(list(_comments_above(lines, line))))
    return [Note("legal", LEGAL_REVIEW.sub("", c)) for c in comments if LEGAL_REVIEW.match(c)]


def _term_wording(forms: TermForms, language: str) -> str:
    wording = f"in {language} write “{forms.preferred}”"
    wording += f" (also correct: {', '.join(forms.accepted)})" if forms.accepted else ""
    return wording + "".join(f"; avoid “{a.term}”: {a.why}" for a in forms.avoid)


def _name_wording(forms: NameForms, language: str) -> str:
    wording = f"in {language} write {' or '.join(f'“{p}”' for p in forms.preferred)}"
    wording += f" (official: “{forms.official}”)" if forms.official else ""
    return wording + (f"; not {', '.join(f'“{v}”' for v in forms.variants)}" if forms.variants else "")


def _entry_note(entry: Term | Name, found: str, target: str, language: str) -> str:
    """How the target language writes a glossary entry found in the source text as `found`."""
    forms = entry.languages.get(target)
    if isinstance(forms, TermForms):
        wording = _term_wording(forms, language)
    elif isinstance(forms, NameForms):
        wording = _name_wording(forms, language)
    else:
        kind = "term" if isinstance(entry, Term) else "form"
        wording = f"the glossary has no {language} {kind} yet: write it the same way in every text"
    advice = [entry.note, forms.note if forms else None]
    note = "".join(f" Note: {a}" for a in advice if a)
    return f"“{found}” ({entry.what}): {wording}.{note}"


def _english_forms(entry: Term | Name, original: str) -> list[str]:
    """The forms of a glossary entry in the source language, longest first."""
    forms = entry.languages.get(original)
    if isinstance(forms, TermForms):
        written = [forms.preferred, *forms.accepted]
    elif isinstance(forms, NameForms):
        written = [*forms.preferred, *([forms.official] if forms.official else [])]
    else:
        written = []
    return sorted(written, key=len, reverse=True)


def terminology_notes(glossary: Glossary | None, campaign: Campaign, original: str, text: str, target: str) -> list[Note]:
    """A note for each glossary term and fixed name the source text uses: how the target language writes it."""
    if glossary is None:
        return []
    matcher, plain, language = Matcher(campaign.languages[original].script), plain_text(text), campaign.languages[target].name
    entries: list[Term | Name] = [*glossary.terms, *glossary.names]
    notes = []
    for entry in entries:
        found = next((form for form in _english_forms(entry, original) if matcher.spans(form, plain)), None)
        if found is None:
            continue
        notes.append(Note("terminology", _entry_note(entry, found, target, language)))
    return notes
