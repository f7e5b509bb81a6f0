"""The campaign's terminology (`brochures/glossary.yaml`): terms to use and to avoid, and fixed names."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import ConfigDict, Field, model_validator

from brochure_press.core.model import LANGUAGE_PATTERN, LanguageCode, NonEmpty, Strict

GLOSSARY_FILE = "glossary.yaml"
_LANGUAGE_KEY = re.compile(LANGUAGE_PATTERN)


class Avoid(Strict):
    """A term that is flagged wherever it occurs, with the reason shown to the editor."""

    term: NonEmpty
    why: NonEmpty
    #: Places where the term is right, as `SOURCE:KEY` (`campaign:hashtag`, `kuwait-efforts:title`).
    allow_in: list[NonEmpty] = Field(default_factory=list)
    #: Longer correct phrases containing the term; an occurrence inside one of them is not flagged.
    unless_part_of: list[NonEmpty] = Field(default_factory=list)


class TermForms(Strict):
    """How one language writes a term."""

    preferred: NonEmpty
    accepted: list[NonEmpty] = Field(default_factory=list)
    avoid: list[Avoid] = Field(default_factory=list)
    #: Advice for this language's writers and translators only (not enforced).
    note: NonEmpty | None = None


class NameForms(Strict):
    """How one language writes a fixed name."""

    preferred: Annotated[list[NonEmpty], Field(min_length=1)]
    first_mention: NonEmpty | None = None
    official: NonEmpty | None = None
    variants: list[NonEmpty] = Field(default_factory=list)
    #: Advice for this language's writers and translators only (not enforced).
    note: NonEmpty | None = None


def _languages_in_schema(schema: dict[str, Any]) -> None:
    """In the JSON Schema, the language blocks stand beside `id` and `what`, keyed by language code."""
    properties = schema.get("properties", {})
    languages = properties.pop("languages", None)
    if languages is not None:
        schema["patternProperties"] = languages["patternProperties"]


def _languages_apart(data: Any, fields: set[str]) -> Any:
    """Move the language-code keys of an entry (`en:`, `ar:` …) under `languages`."""
    if not isinstance(data, dict):
        return data
    languages = {k: v for k, v in data.items() if k not in fields and isinstance(k, str) and _LANGUAGE_KEY.match(k)}
    rest = {k: v for k, v in data.items() if k not in languages}
    return {**rest, "languages": languages}


class _Entry(Strict):
    """An entry of the glossary: what it is, and one block per language beside `id` and `what` in the file."""

    model_config = ConfigDict(json_schema_extra=_languages_in_schema)

    id: NonEmpty
    what: NonEmpty
    #: Advice for writers and translators of every language (not enforced); a language's own goes in its block.
    note: NonEmpty | None = None

    @model_validator(mode="before")
    @classmethod
    def _split(cls, data: Any) -> Any:
        return _languages_apart(data, {"id", "what", "note"})


class Term(_Entry):
    """A concept with a preferred wording in each language."""

    languages: dict[LanguageCode, TermForms] = Field(default_factory=dict)


class Name(_Entry):
    """An organisation, ministry, law or treaty that is written one way in each language."""

    languages: dict[LanguageCode, NameForms] = Field(default_factory=dict)


class Glossary(Strict):
    """The whole glossary file."""

    version: int = 1
    terms: list[Term] = Field(default_factory=list)
    names: list[Name] = Field(default_factory=list)
