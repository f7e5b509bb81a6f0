"""The campaign's languages as data: which languages a brochure and an edition have, and their settings."""

from __future__ import annotations

import difflib
from pathlib import Path

from pydantic import BaseModel

from brochure_press.core.campaignmodel import Campaign
from brochure_press.core.diagnostics import Diagnostic, Location
from brochure_press.core.model import Brochure, Language
from brochure_press.core.sources import KEY_MARK, Key, Marks, dotted, locate
from brochure_press.core.walk import texts

#: Digits of each digit system, 0 to 9, for shaping the digits of running text.
DIGITS: dict[str, str] = {
    "latn": "0123456789",
    "arab": "٠١٢٣٤٥٦٧٨٩",
    "arabext": "۰۱۲۳۴۵۶۷۸۹",
    "deva": "०१२३४५६७८९",
    "beng": "০১২৩৪৫৬৭৮৯",
    "mlym": "൦൧൨൩൪൫൬൭൮൯",
    "sinh": "෦෧෨෩෪෫෬෭෮෯",
    "ethi": "0123456789",
}
#: The CSS counter style that writes page numbers in each digit system.
COUNTER_STYLES: dict[str, str] = {
    "latn": "decimal",
    "arab": "arabic-indic",
    "arabext": "persian",
    "deva": "devanagari",
    "beng": "bengali",
    "mlym": "malayalam",
    "sinh": "decimal",
    "ethi": "decimal",
}


def source_language(campaign: Campaign) -> str:
    """The language every other is translated from: the first the campaign declares."""
    return next(iter(campaign.languages))


def language_scripts(campaign: Campaign) -> dict[str, str]:
    """Each language's script (ISO 15924), by language code."""
    return {code: language.script for code, language in campaign.languages.items()}


def brochure_languages(campaign: Campaign, brochure: Brochure) -> tuple[str, ...]:
    """The languages a brochure is written in: its own list, or the campaign's default languages."""
    if brochure.languages:
        return tuple(brochure.languages)
    return tuple(code for code, language in campaign.languages.items() if language.default)


def brochure_editions(campaign: Campaign, brochure: Brochure) -> list[str]:
    """The editions a brochure is built in: its own list, or every campaign edition its languages allow."""
    if brochure.editions:
        return list(brochure.editions)
    have = set(brochure_languages(campaign, brochure))
    return [name for name, spec in campaign.editions.items() if set(spec.languages) <= have]


def edition_languages(campaign: Campaign, edition: str) -> tuple[str, ...]:
    """The languages of an edition, in reading order."""
    return tuple(campaign.editions[edition].languages)


def edition_language(campaign: Campaign, edition: str) -> tuple[str, str]:
    """The document language and base direction of an edition (its first language's)."""
    code = campaign.editions[edition].languages[0]
    return code, campaign.languages[code].direction


def edition_style(campaign: Campaign, edition: str, code: str) -> Language:
    """A language's settings in an edition: its own, or the fonts and scale of the style the edition chooses."""
    return _styled(campaign.languages[code], campaign.editions[edition].styles.get(code))


def web_style(campaign: Campaign, code: str) -> Language:
    """A language's settings on the web pages and share cards: its own, or those of the style `web.styles` chooses."""
    return _styled(campaign.languages[code], campaign.web.styles.get(code))


def _styled(language: Language, chosen: str | None) -> Language:
    if chosen is None:
        return language
    style = language.styles[chosen]
    return language.model_copy(update={"fonts": style.fonts, "scale": style.scale})


def language_styles(campaign: Campaign, code: str) -> tuple[Language, ...]:
    """Every way a language is set: its own fonts and each of its styles (for checks that must hold in all)."""
    language = campaign.languages[code]
    styled = (language.model_copy(update={"fonts": s.fonts, "scale": s.scale}) for s in language.styles.values())
    return (language, *styled)


def unreviewed(brochure: Brochure, codes: tuple[str, ...]) -> tuple[str, ...]:
    """The languages among `codes` whose translation of the brochure is still a draft (not read by a native
    speaker): its proofs carry a "translation under review" mark and hand-off refuses it."""
    return tuple(code for code in codes if (t := brochure.translations.get(code)) is not None and t.status == "draft")


def legally_reviewed(brochure: Brochure) -> bool:
    """Whether the brochure's legal review is recorded (reviewer, date, sources)."""
    return brochure.review is not None and brochure.review.recorded


def draft_edition(campaign: Campaign, brochure: Brochure, edition: str) -> bool:
    """Whether an edition of a brochure is a draft: the brochure is, its legal review is not recorded, or one of
    its languages is unreviewed."""
    return draft_language(brochure, *edition_languages(campaign, edition))


def draft_language(brochure: Brochure, *codes: str) -> bool:
    """Whether a brochure in some languages (its web page, its share cards) is a draft: the brochure is, its legal
    review is not recorded, or its translation into one of the languages is unreviewed."""
    return brochure.status == "draft" or not legally_reviewed(brochure) or bool(unreviewed(brochure, codes))


def campaign_languages(campaign: Campaign, brochures: list[Brochure]) -> tuple[str, ...]:
    """The languages the campaign's own texts must have: every language one of the brochures is written in."""
    used = {code for b in brochures for code in brochure_languages(campaign, b)}
    used |= {code for code, lang in campaign.languages.items() if lang.default}
    return tuple(code for code in campaign.languages if code in used)


def by_script(campaign: Campaign) -> dict[str, str]:
    """Script → the first language written in it, to label runs of that script inside another language's text."""
    out: dict[str, str] = {}
    for code, lang in campaign.languages.items():
        out.setdefault(lang.script, code)
    return out


def _close(word: str, known: list[str]) -> str:
    swapped = [code for code in known if sorted(code) == sorted(word)]  # `ra` for `ar`: letters typed in turn
    close = swapped or difflib.get_close_matches(word, known, n=1, cutoff=0.5)
    return f"did you mean `{close[0]}`?" if close else f"the campaign's languages: {', '.join(known)}"


def unknown_languages(campaign: Campaign, model: BaseModel, marks: Marks, path: Path) -> list[Diagnostic]:
    """A located error for every text written in a language the campaign does not declare."""
    known = list(campaign.languages)
    problems = []
    for key, text in texts(model):
        for code in text.languages:
            if code not in campaign.languages:
                where = locate(marks, (*key, code), prefer_key=True, default=Location(path))
                problems.append(
                    Diagnostic(
                        "error",
                        "unknown-language",
                        f"unknown language `{code}`",
                        where,
                        dotted((*key, code)),
                        _close(code, known),
                    )
                )
    return problems


def missing_texts(model: BaseModel, required: tuple[str, ...]) -> list[Key]:
    """The key path, ending in the language code, of every text that lacks a `required` language."""
    return [(*key, code) for key, text in texts(model) for code in required if text.get(code) is None]


def _misplaced(key: Key, marks: Marks) -> Location | None:
    """Where the language key of a missing text stands instead, when an indentation slip put it one level up."""
    for depth in range(len(key) - 2, -1, -1):
        where = marks.get((*key[:depth], key[-1], KEY_MARK))
        if where is not None:
            return where
    return None


def missing_text_problem(key: Key, marks: Marks, path: Path, campaign: Campaign) -> Diagnostic:
    """The error for one missing text, named by its language (the source text, or a translation of it), with the
    same words in `build` and `check`; an indentation slip that put the language key elsewhere is named as such."""
    code = str(key[-1])
    language = campaign.languages[code].name if code in campaign.languages else f"`{code}`"
    where = marks.get(key) or locate(marks, key[:-1]) or Location(path)
    hint = f"write the {language} text after `{code}:`" if key in marks else f"add `{code}: …` beside the other languages"
    if (elsewhere := _misplaced(key, marks)) is not None:
        hint = f"`{code}:` at line {elsewhere.line} is indented as if it belonged to an outer key; indent it like the others"
    original = code == source_language(campaign)
    message = f"the {language} text is missing" if original else f"the {language} translation is missing"
    return Diagnostic("error", "missing-translation", message, where, dotted(key[:-1]), hint)
