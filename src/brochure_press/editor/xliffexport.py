"""`xliff export`: the texts of brochures as XLIFF 2.1 units for a translator into one language, each with its
key path, notes from the legal review and the glossary, and a state from the translation lock."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from brochure_press.core.campaignmodel import Campaign
from brochure_press.core.diagnostics import BuildError, Diagnostic, raise_if_errors
from brochure_press.core.files import write_atomic
from brochure_press.core.glossary import Glossary
from brochure_press.core.languages import brochure_languages, campaign_languages, source_language
from brochure_press.core.model import Brochure, Text
from brochure_press.core.project import Project, Source, load_project
from brochure_press.core.reviews import Reviewed, read_reviewed, review_state
from brochure_press.core.sources import dotted
from brochure_press.core.translations import (
    TODO,
    Lock,
    Status,
    changes,
    chosen_sources,
    fingerprint,
    read_lock,
    sources_by_id,
    unwritten,
)
from brochure_press.core.walk import texts
from brochure_press.core.xliffformat import STATES, Document, Note, Unit, UnitFile, unit_id, xliff_bytes
from brochure_press.editor.terminology import load_glossary
from brochure_press.editor.xliffnotes import legal_notes, terminology_notes

#: Folders of the project that hold its sources: an export never writes into them.
SOURCE_FOLDERS = ("brochures", "layouts", "fonts")
#: Characters XML 1.0 cannot hold, even escaped (and lone surrogates, which no encoding can).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: The segment state of a translation that is approved as it stands, by the review status of its language.
REVIEWED_STATES = {"draft": "translated", "reviewed": "reviewed", "approved": "final"}
STALE_NOTE = (
    "The English changed since this translation was approved; the old translation is kept as a starting point. "
    "Update it and mark the segment translated, or it is not imported."
)


def written_in(project: Project) -> dict[str, tuple[str, ...]]:
    """The languages each source (`campaign` and the brochures, by id) is written in."""
    campaign = project.campaign.model
    brochures = {i: brochure_languages(campaign, s.model) for i, s in project.brochures.items()}
    return {project.campaign.path.stem: campaign_languages(campaign, [s.model for s in project.brochures.values()])} | brochures


def target_language(campaign: Campaign, language: str) -> str:
    """`language`, checked to be one the campaign translates into."""
    original = source_language(campaign)
    if language in campaign.languages and language != original:
        return language
    others = ", ".join(code for code in campaign.languages if code != original)
    why = f"`{language}` is the language translated from" if language == original else f"no language `{language}`"
    raise BuildError([Diagnostic("error", "xliff-language", f"{why} in campaign.yaml", hint=f"translate into one of: {others}")])


def translation_sources(project: Project, language: str, ids: Sequence[str]) -> dict[str, Source[Any]]:
    """The sources to translate: those named (`campaign` for campaign.yaml), or every one written in `language`."""
    languages = written_in(project)
    if not ids:
        return {i: s for i, s in sources_by_id(project).items() if language in languages[i]}
    chosen = chosen_sources(project, ids)
    if missing := [i for i in chosen if language not in languages[i]]:
        raise BuildError(
            [
                Diagnostic(
                    "error",
                    "xliff-language",
                    f"`{i}` is not written in `{language}`",
                    chosen[i].location("languages"),
                    hint=f"add `{language}` to its `languages:` first",
                )
                for i in missing
            ]
        )
    return chosen


def target_fingerprint(text: str | None) -> str:
    """What an export records of a target as the sources have it (none yet: the empty text), for the import to
    tell whether it changed since."""
    return fingerprint(text or "")[:16]


def _state(text: Text, target: str, status: Status | None, review: str | None, segment: str | None) -> tuple[str, str | None]:
    """A unit's segment state and target: `initial` without a target where none is written, `initial` with
    the old one where the source changed since approval, `translated` where it awaits approval, else the state a
    reviewer gave the segment in an import (`segment`) or, failing that, the state of its language's review."""
    written = text.get(target)
    if written is None or unwritten(text):
        return "initial", None
    if status == "stale":
        return "initial", written
    if status is not None:
        return "translated", written
    language = REVIEWED_STATES.get(review or "approved", "final")
    return max(language, segment or language, key=STATES.index), written


def _unwritable(source: Source[Any]) -> list[Diagnostic]:
    """An error for each text holding a character XML cannot carry (a control character typed as an escape):
    no CAT tool could read the file."""
    return [
        source.diagnostic(
            (*key, lang),
            "error",
            "xliff-character",
            f"character U+{ord(found.group()):04X} (a control character or lone surrogate) cannot be written to XLIFF",
            "delete it from the text: printing removes it anyway",
        )
        for key, text in texts(source.model)
        for lang, value in text.root.items()
        if (found := NOT_XML.search(value))
    ]


def _units(
    source: Source[Any],
    source_id: str,
    target: str,
    campaign: Campaign,
    lock: Lock,
    glossary: Glossary | None,
    reviewed: Reviewed,
) -> list[Unit]:
    """A unit for every text of a source whose source text is written, in the order of the file."""
    original = source_language(campaign)
    statuses = {c.key: c.status for c in changes(source, source_id, lock, campaign) if c.target == target}
    translation = source.model.translations.get(target) if isinstance(source.model, Brochure) else None
    lines = source.path.read_text(encoding="utf-8-sig").splitlines()
    units = []
    for key, text in texts(source.model):
        english = text.get(original)
        if english is None or TODO.search(english):
            continue
        segment = review_state(reviewed, source_id, target, english, text[target]) if text.get(target) else None
        state, written = _state(text, target, statuses.get(key), translation.status if translation else None, segment)
        notes = legal_notes(lines, source.marks, key) + terminology_notes(glossary, campaign, original, english, target)
        notes += [Note("freshness", STALE_NOTE)] if statuses.get(key) == "stale" else []
        was = target_fingerprint(text.get(target))
        units.append(Unit(unit_id(key), dotted(key), english, written, state, tuple(notes), was=was))
    return units


def export_xliff(project: Project, language: str, ids: Sequence[str] = ()) -> Document:
    """The XLIFF document for translating the named sources (default: all written in `language`) into it."""
    campaign = project.campaign.model
    target = target_language(campaign, language)
    sources = translation_sources(project, target, ids)
    raise_if_errors([d for source in sources.values() for d in _unwritable(source)])
    lock, glossary, reviewed = read_lock(project.root), load_glossary(project.root), read_reviewed(project.root)
    files = tuple(
        UnitFile(
            source_id,
            f"brochures/{source.path.name}",
            tuple(_units(source, source_id, target, campaign, lock, glossary.model if glossary else None, reviewed)),
        )
        for source_id, source in sources.items()
    )
    return Document(source_language(campaign), target, files)


def output_problems(root: Path, path: Path) -> list[Diagnostic]:
    """Why the XLIFF may not be written to `path`: into the project's sources, or over anything but a regular file."""
    target = path.resolve()
    guarded = [folder for folder in SOURCE_FOLDERS if target.is_relative_to((root / folder).resolve())]
    hint = "write it beside the project, e.g. `-o hi.xlf`, or give `-o -` for standard output"
    if guarded:
        why = f"is inside {guarded[0]}/, which holds the project's sources"
    elif path.exists() and not path.is_file():
        why = "is not a regular file"
    else:
        return []
    return [Diagnostic("error", "xliff-output", f"-o {path}: {why}", field="--output", hint=hint)]


def write_xliff(path: Path, root: Path, language: str, ids: Sequence[str] = ()) -> int:
    """Write the XLIFF file for translating the named sources of the project at `root` into `language`
    (atomically; `-` is standard output); how many units it has."""
    if str(path) != "-":
        raise_if_errors(output_problems(root, path))
    document = export_xliff(load_project(root, missing_ok=True), language, ids)
    if str(path) == "-":
        sys.stdout.buffer.write(xliff_bytes(document))
        sys.stdout.flush()
    else:
        write_atomic(path, xliff_bytes(document))
    return sum(len(each.units) for each in document.files)
