"""`xliff import`: a translator's XLIFF written back into the sources. Every unit is matched to its text as it is
now and the new texts go through the checks `check` runs (glyphs, links, numbers and addresses, terminology, fit);
the YAML changes only in the texts that changed, the lock records the segments marked reviewed or final, and
nothing at all is written while anything is wrong."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from brochure_press.build.fits import fit_of
from brochure_press.compose.coverage import fallback_problems, glyph_problems
from brochure_press.compose.inline import clean
from brochure_press.core.diagnostics import BuildError, Diagnostic, Location, errors
from brochure_press.core.files import Staging, locked, read_bounded
from brochure_press.core.jobs import Job
from brochure_press.core.languages import brochure_editions, source_language, unreviewed
from brochure_press.core.model import Brochure, Text
from brochure_press.core.project import Project, Source, ensure_inside, load_project
from brochure_press.core.reviews import Reviewed, pair_print, read_reviewed, record_reviews
from brochure_press.core.sources import Key, dotted, parse_yaml, validate
from brochure_press.core.translations import (
    REVIEWED,
    Lock,
    fingerprint,
    lock_path,
    lock_sections,
    lock_text,
    read_lock,
    record_pairs,
    sources_by_id,
    unwritten,
)
from brochure_press.core.walk import texts
from brochure_press.core.xliffformat import HINT, MAX_XLIFF_BYTES, Document, Place, Unit, read_xliff, unit_key
from brochure_press.core.yamlsplice import set_texts
from brochure_press.editor.lint import emphasis_problems, text_problems
from brochure_press.editor.terminology import terminology_problems
from brochure_press.editor.xliffexport import target_fingerprint, target_language, written_in

#: Segment states that say a reviewer accepted the translation: importing them records the pair as approved.
APPROVING_STATES = frozenset({"reviewed", "final"})
#: Held while an import checks that the sources are as it read them and writes them (never in brochures/).
IMPORT_LOCK = Path(".cache") / "import"


@dataclass(frozen=True)
class Take:
    """A unit to import, matched to the text it translates."""

    source_id: str
    key: Key
    unit: Unit
    value: str


@dataclass(frozen=True)
class Imported:
    """What an import did: texts changed per file written, texts already as translated, units not yet translated
    (state initial), pairs approved, and warnings about the new texts."""

    language: str
    changed: dict[Path, int]
    unchanged: int
    untranslated: int
    approved: int
    warnings: list[Diagnostic]
    #: The brochures (their files) in which the language is still a draft, and its name.
    drafts: tuple[Path, ...] = ()
    name: str = ""
    #: The brochures in which the import recorded the language as reviewed, and by whom (`--reviewer`).
    marked: tuple[Path, ...] = ()
    reviewer: str | None = None

    def summary(self) -> list[str]:
        """What was done, in a few lines for the terminal, and how the language's review status stands."""
        lines = [f"{path.name}: {count} {self.language} texts written" for path, count in self.changed.items()]
        lines.append(f"{self.unchanged} unchanged, {self.untranslated} not yet translated (state initial) left as they were.")
        lines.append(f"{self.approved} newly approved in translations.lock (segments reviewed or final); check, then commit.")
        if self.marked:
            files = ", ".join(f"brochures/{path.name}" for path in self.marked)
            lines.append(f"{self.name} is now recorded as reviewed by {self.reviewer} in {files} (`translations:`).")
        elif self.reviewer:
            lines.append(f"--reviewer: {self.name} is a draft in none of the brochures of this file; nothing recorded.")
        if self.drafts:
            files = ", ".join(f"brochures/{path.name}" for path in self.drafts)
            lines.append(
                f"{self.name} is still a draft (not yet reviewed by a native speaker) in {files}: proofs, the job ticket "
                f"and hand-off go by that, whatever the segments say. Once a native speaker has reviewed the whole "
                f"language, import again with `--reviewer NAME`, or set `status: reviewed` and `reviewer: NAME` under "
                f"`translations: {self.language}:` there."
            )
        return lines


class _Found:
    """Problems of an XLIFF file, each at its place in it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Diagnostic] = []

    def add(self, at: Place, code: str, message: str, hint: str = HINT, what: str = "") -> None:
        self.problems.append(Diagnostic("error", f"xliff-{code}", message, Location(self.path, *at), what, hint))


def _read(path: Path) -> bytes:
    try:
        return read_bounded(path, MAX_XLIFF_BYTES)
    except OSError as exc:
        hint = "give the path of the XLIFF file the translator sent"
        raise BuildError(
            [Diagnostic("error", "xliff-unreadable", f"cannot read it: {exc.strerror}", Location(path), hint=hint)]
        ) from None


def _languages(document: Document, project: Project, found: _Found) -> str:
    """The target language, after checking both languages of the document against the campaign."""
    campaign = project.campaign.model
    original = source_language(campaign)
    if document.source_language != original:
        hint = f"export from `{original}`: the texts are translated from it"
        found.add(document.at, "language", f"srcLang is `{document.source_language}`, not `{original}`", hint)
    try:
        return target_language(campaign, document.target_language)
    except BuildError as exc:
        found.problems += [replace(d, location=Location(found.path, *document.at)) for d in exc.diagnostics]
        raise BuildError(found.problems) from None


def _changed_since(unit: Unit, text: Text, target: str) -> bool:
    """Whether the target in the sources changed since the unit was exported (and is not what the unit brings)."""
    now = text.get(target)
    return unit.was is not None and unit.was != target_fingerprint(now) and (now or "").strip() != (unit.target or "").strip()


def matched(document: Document, project: Project, found: _Found, overwrite: bool = False) -> tuple[list[Take], int]:
    """The units to import, each matched to its current text, and how many are not translated yet (state initial).
    Units of unknown files or texts, whose source is no longer the current source text, that lack a visible target,
    or whose target in the sources changed since the export (unless `overwrite`) are problems."""
    target = _languages(document, project, found)
    original = source_language(project.campaign.model)
    name = project.campaign.model.languages[original].name
    sources, languages = sources_by_id(project), written_in(project)
    takes, untranslated = [], 0
    for each in document.files:
        source = sources.get(each.id)
        if source is None or target not in languages[each.id]:
            why = f"no brochure `{each.id}`" if source is None else f"`{each.id}` is not written in `{target}`"
            found.add(each.at, "file", f"{why} in this project", f"export from this project: one of {', '.join(sources)}")
            continue
        known = dict(texts(source.model))
        for unit in each.units:
            text, where = known.get(unit_key(unit.id)), f"{each.id}:{unit.name or unit.id}"
            if text is None:
                found.add(unit.at, "unit", f"no text `{unit.id}` in {source.path.name}", what=where)
            elif fingerprint(unit.source) != fingerprint(text[original]):
                message = f"stale source: the {name} text changed since the export, now “{text[original]}”"
                found.add(
                    unit.at,
                    "stale",
                    message,
                    "export again and translate the new text (a CAT tool's memory keeps the rest)",
                    where,
                )
            elif unit.state == "initial":
                untranslated += 1
            elif not clean(unit.target or "").strip():
                found.add(
                    unit.target_at,
                    "target",
                    f"segment marked {unit.state} has no target text"
                    + (" but invisible characters" if (unit.target or "").strip() else ""),
                    "write the translation, or set the state to initial",
                    where,
                )
            elif not overwrite and _changed_since(unit, text, target):
                place = source.location(*unit_key(unit.id), target)
                found.add(
                    unit.target_at,
                    "changed",
                    f"the text at {place.path.name}:{place.line} changed since the export, now “{text.get(target)}”",
                    "keep it: set this segment to initial, or export again; replace it: import with --overwrite",
                    where,
                )
            else:
                takes.append(Take(each.id, unit_key(unit.id), unit, (unit.target or "").strip()))
    return takes, untranslated


def _about(diagnostic: Diagnostic, source: Source[Any], key: Key, target: str) -> bool:
    """Whether a finding of the checks is about the `target` text at `key`."""
    on_text = diagnostic.field == dotted(key) and diagnostic.location == source.location(*key, target)
    return diagnostic.field == dotted((*key, target)) or on_text


def _checked(
    project: Project, source_id: str, source: Source[Any], takes: list[Take], target: str, path: Path
) -> list[Diagnostic]:
    """What `check` finds in the imported texts of one source, each moved to its unit in the XLIFF file."""
    campaign = project.campaign.model
    found = glyph_problems(source, campaign, project.fonts_dir) + fallback_problems(source, campaign, project.fonts_dir)
    found += text_problems(source, campaign) + emphasis_problems(source, campaign)
    found += terminology_problems(project.root, {source_id: source}, campaign)
    return [
        replace(d, location=Location(path, *take.unit.target_at), field=f"{source_id}:{dotted((*take.key, target))}")
        for take in takes
        for d in found
        if _about(d, source, take.key, target)
    ]


def _fit_problems(project: Project, sources: dict[str, Source[Any]], target: str) -> list[Diagnostic]:
    """Whether the editions in `target` of the brochures whose texts changed still fit (all of them when
    campaign.yaml changed), laid out from the new texts."""
    campaign_id = project.campaign.path.stem
    changed = list(project.brochures) if campaign_id in sources else list(sources)
    campaign = project.campaign.model
    jobs = [
        Job(brochure, edition, "print")
        for brochure in changed
        for edition in brochure_editions(campaign, project.brochures[brochure].model)
        if target in campaign.editions[edition].languages and campaign.editions[edition].layout in project.layouts
    ]
    return [d for job in jobs for d in fit_of(project, job)[1].problems]


def _with(project: Project, sources: dict[str, Source[Any]]) -> Project:
    """The project with some of its sources replaced."""
    campaign_id = project.campaign.path.stem
    brochures = {i: s for i, s in sources.items() if i != campaign_id}
    return replace(project, campaign=sources.get(campaign_id, project.campaign), brochures=project.brochures | brochures)


def _spliced(
    originals: dict[str, bytes], changes: list[Take], target: str, order: list[str], marks: Mapping[str, Mapping[Key, str]]
) -> dict[str, str]:
    """The new text of every source file read in `originals`: the file as it was read (its line ends kept), with
    the changed texts and the review `marks` set."""
    return {
        i: set_texts(
            data.decode("utf-8-sig"),
            {**{(*t.key, target): t.value for t in changes if t.source_id == i}, **marks.get(i, {})},
            order,
        )
        for i, data in originals.items()
    }


def review_marks(project: Project, ids: Iterable[str], target: str, reviewer: str | None) -> dict[str, dict[Key, str]]:
    """What `--reviewer NAME` sets: in each brochure of the import whose `translations:` holds `target` as a draft,
    its `status: reviewed` and `reviewer: NAME`."""
    if reviewer is None:
        return {}
    drafts = [i for i in ids if i in project.brochures and unreviewed(project.brochures[i].model, (target,))]
    return {i: {("translations", target, "status"): "reviewed", ("translations", target, "reviewer"): reviewer} for i in drafts}


def _encoded(original: bytes, text: str) -> bytes:
    """A source's new text as bytes, with the byte-order mark the file had."""
    return (b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b"") + text.encode()


def _unchanged(current: dict[str, Source[Any]], originals: dict[str, bytes]) -> None:
    """Stop when a source was saved since the import read it: splicing the old text would lose that save."""
    saved = [i for i, data in originals.items() if current[i].path.read_bytes() != data]
    if saved:
        raise BuildError(
            [
                Diagnostic(
                    "error",
                    "xliff-saved",
                    f"{current[i].path.name} was saved while the import ran; nothing was written",
                    Location(current[i].path),
                    hint="run the import again",
                )
                for i in saved
            ]
        )


def _parsed(current: dict[str, Source[Any]], new_texts: dict[str, str]) -> dict[str, Source[Any]]:
    """The sources read from their new texts and validated as the project reads them."""
    parsed: dict[str, Source[Any]] = {}
    for i, text in new_texts.items():
        path = current[i].path
        data, marks = parse_yaml(text, path)
        parsed[i] = Source(path, validate(type(current[i].model), data, marks, path), marks)
    return parsed


def _approved(
    lock: Lock, reviewed: Reviewed, takes: list[Take], sources: dict[str, Source[Any]], original: str, target: str
) -> int:
    """Record in the lock the imported pairs whose segments a reviewer accepted (TODO texts never), and that a
    reviewer did; how many were not approved as they stand before."""
    approving = [t for t in takes if t.unit.state in APPROVING_STATES]
    count = 0
    for i in dict.fromkeys(t.source_id for t in approving):
        known = dict(texts(sources[i].model))
        accepted = {t.key: t.unit.state for t in approving if t.source_id == i and not unwritten(known[t.key])}
        count += record_pairs(lock, i, {key: known[key] for key in accepted}, original, target)
        model = sources[i].model
        if isinstance(model, Brochure) and accepted and unreviewed(model, (target,)):  # elsewhere the language says it
            prints = {pair_print(known[key][original], known[key][target]): state for key, state in accepted.items()}
            current = (pair_print(t[original], t[target]) for t in known.values() if t.get(original) and t.get(target))
            record_reviews(reviewed, i, target, prints, current)
    return count


def import_xliff(root: Path, path: Path, overwrite: bool = False, reviewer: str | None = None) -> Imported:
    """Write the translations of an XLIFF file into the sources of the project at `root`; a target changed in the
    sources since the export is an error unless `overwrite`. With a `reviewer`, the language is recorded as
    reviewed by them in the brochures of the file where it was a draft."""
    document, project, found = read_xliff(_read(path), path), load_project(root, missing_ok=True), _Found(path)
    takes, untranslated = matched(document, project, found, overwrite)
    if found.problems:
        raise BuildError(found.problems)
    target, current = document.target_language, sources_by_id(project)
    changes = [t for t in takes if dict(texts(current[t.source_id].model))[t.key].get(target) != t.value]
    marks = review_marks(project, dict.fromkeys(t.source_id for t in takes), target, reviewer)
    originals = {i: current[i].path.read_bytes() for i in dict.fromkeys([*(t.source_id for t in changes), *marks])}
    new_texts = _spliced(originals, changes, target, list(project.campaign.model.languages), marks)
    new_sources = _parsed(current, new_texts)
    diagnostics = [
        d for i, s in new_sources.items() for d in _checked(project, i, s, [t for t in changes if t.source_id == i], target, path)
    ]
    updated = _with(project, new_sources)
    if new_sources and not errors(diagnostics):
        diagnostics += _fit_problems(updated, new_sources, target)
    if errors(diagnostics):
        raise BuildError(diagnostics)
    ensure_inside(root, project.output_dir, project.output_dir / IMPORT_LOCK.parent, lock_path(root).parent)
    with locked(project.output_dir / IMPORT_LOCK), Staging() as staging:
        _unchanged(current, originals)
        lock, sections, reviewed = read_lock(root), lock_sections(root), read_reviewed(root)
        before = lock_text(lock, sections)
        original = source_language(project.campaign.model)
        approved = _approved(lock, reviewed, takes, sources_by_id(updated), original, target)
        after = lock_text(lock, {**sections, REVIEWED: reviewed})
        for i, text in new_texts.items():
            staging.add(current[i].path, _encoded(originals[i], text))
        if after != before:
            staging.add(lock_path(root), after.encode())
        staging.commit()
    changed = Counter(current[t.source_id].path for t in changes)
    touched = [updated.brochures[i] for i in dict.fromkeys(t.source_id for t in takes) if i in updated.brochures]
    drafts = tuple(source.path for source in touched if unreviewed(source.model, (target,)))
    name = project.campaign.model.languages[target].name
    marked = tuple(current[i].path for i in marks)
    return Imported(
        target, dict(changed), len(takes) - len(changes), untranslated, approved, diagnostics, drafts, name, marked, reviewer
    )
