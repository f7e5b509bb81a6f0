"""Translation freshness: fingerprints of the texts approved together, per language, in a lock file, and the
status of each translation against its source text."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from brochure_press.core.campaignmodel import Campaign
from brochure_press.core.diagnostics import BuildError, Diagnostic, Location, unknown_brochures
from brochure_press.core.files import FileTooLarge, read_bounded, write_atomic
from brochure_press.core.languages import source_language
from brochure_press.core.model import Text
from brochure_press.core.project import Project, Source, ensure_inside
from brochure_press.core.sources import Key, dotted
from brochure_press.core.walk import texts

LOCK_FILE = "translations.lock"
LOCK_VERSION = 1
#: A lock is a few hundred bytes per brochure and language: anything near this size is no lock.
MAX_LOCK_BYTES = 16 * 1024 * 1024
ABOUT = (
    "SHA-256 fingerprints of the texts of each block approved together, per source file, key path and language. "
    "Written by `brochure-press approve`, read by `brochure-press check`; do not edit by hand."
)
#: Marks text an editor still has to write (the `new` scaffold uses it); such pairs are neither new nor approvable.
TODO = re.compile(r"\bTODO\b")
#: The lock's section of the fingerprints of each brochure's texts at its `revised:` date (`core.revisions`).
REVISED = "revised"
#: The lock's section of the pairs a reviewer approved segment by segment in an XLIFF import (`core.reviews`).
REVIEWED = "reviewed"
#: The lock's sections besides `sources`, in the order they are written: source id → a record, one line each.
SECTIONS = (REVISED, REVIEWED)
#: Records of the sections besides `sources`, by section and source id.
Sections = Mapping[str, Mapping[str, Any]]
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")

#: stale: the source text changed since approval; review: the translation changed; rewritten: both; new: never approved.
Status = Literal["stale", "review", "rewritten", "new"]
#: Source id (file name without .yaml) → dotted key path → language → fingerprint of the approved text.
Lock = dict[str, dict[str, dict[str, str]]]


@dataclass(frozen=True)
class Pair:
    """The fingerprints of a source text and one translation of it, where they stand now."""

    key: Key
    source: str
    target: str

    @property
    def path(self) -> str:
        return dotted(self.key)


@dataclass(frozen=True)
class Approval:
    """What `approve` recorded for one source."""

    source: str
    recorded: int
    changed: Counter[str]
    unwritten: int


def fingerprint(text: str) -> str:
    """SHA-256 of a text as a reader sees it (Unicode NFC, no surrounding space)."""
    return hashlib.sha256(unicodedata.normalize("NFC", text.strip()).encode()).hexdigest()


def unwritten(text: Text) -> bool:
    """Whether any language of a text still carries a TODO marker."""
    return any(TODO.search(value) for value in text.root.values())


def pairs(model: BaseModel, source: str, target: str, skip: Collection[Key] = ()) -> list[Pair]:
    """Fingerprints of every written text of a model in `source` and `target`, in document order, leaving out
    `skip`, unwritten texts and texts that lack either language."""
    return [
        Pair(key, fingerprint(text[source]), fingerprint(text[target]))
        for key, text in texts(model)
        if key not in skip and not unwritten(text) and text.get(source) is not None and text.get(target) is not None
    ]


def approved_pairs(entries: Mapping[str, Mapping[str, str]], source: str, target: str) -> dict[str, tuple[str, str]]:
    """The recorded (source, target) fingerprints of every key path that has both languages."""
    return {path: (e[source], e[target]) for path, e in entries.items() if source in e and target in e}


def _same_pair(recorded: tuple[str, str], pair: Pair) -> bool:
    return recorded == (pair.source, pair.target)


def _same_target(recorded: tuple[str, str], pair: Pair) -> bool:
    return recorded[1] == pair.target


def _same_source(recorded: tuple[str, str], pair: Pair) -> bool:
    return recorded[0] == pair.source


def _take(remaining: dict[str, tuple[str, str]], pair: Pair, same: Callable[[tuple[str, str], Pair], bool]) -> bool:
    """Remove from `remaining` a recorded pair that is the `same` as `pair`, preferring the one at its own key path."""
    if pair.path in remaining and same(remaining[pair.path], pair):
        del remaining[pair.path]
        return True
    key = next((k for k, recorded in remaining.items() if same(recorded, pair)), None)
    if key is not None:
        del remaining[key]
    return key is not None


def statuses(current: Sequence[Pair], approved: Mapping[str, tuple[str, str]]) -> dict[Key, Status]:
    """The status of every pair that is not approved as it stands. Pairs are matched to the lock by their
    fingerprints first (so inserted or moved blocks keep their approval), then by key path."""
    remaining = dict(approved)
    unmatched = [pair for pair in current if not _take(remaining, pair, _same_pair)]
    result: dict[Key, Status] = {}
    for pair in unmatched:
        if _take(remaining, pair, _same_target):
            result[pair.key] = "stale"
        elif _take(remaining, pair, _same_source):
            result[pair.key] = "review"
    for pair in unmatched:
        if pair.key not in result:
            result[pair.key] = "rewritten" if remaining.pop(pair.path, None) else "new"
    return {pair.key: result[pair.key] for pair in unmatched}


def _quote(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


@dataclass(frozen=True)
class Change:
    """A translation that is not approved as it stands: where, how it changed, and both texts now."""

    source_id: str
    key: Key
    status: Status
    original: str
    target: str
    original_text: str
    target_text: str


def changes(source: Source[Any], source_id: str, lock: Lock, campaign: Campaign, skip: Collection[Key] = ()) -> list[Change]:
    """Every translation of a source that is stale, changed or new since approval, language by language."""
    original = source_language(campaign)
    by_key = dict(texts(source.model))
    entries = lock.get(source_id, {})
    found = []
    for target in campaign.languages:
        if target == original:
            continue
        current = pairs(source.model, original, target, skip)
        for key, status in statuses(current, approved_pairs(entries, original, target)).items():
            text = by_key[key]
            found.append(Change(source_id, key, status, original, target, text[original], text[target]))
    return found


def _diagnostic(source: Source[Any], change: Change, campaign: Campaign) -> Diagnostic:
    src, tgt = campaign.languages[change.original].name, campaign.languages[change.target].name
    approve = f"then run `brochure-press approve {change.source_id}`"
    if change.status == "stale":
        where = change.target
        message = f"stale {tgt}: the {src} changed since the pair was approved, now {_quote(change.original_text)}"
        hint = f"update the {tgt} to say what the {src} says now, {approve}"
    elif change.status == "review":
        where = change.target
        message = f"the {tgt} changed since it was approved, now {_quote(change.target_text)}; it needs review"
        hint = f"have the new {tgt} reviewed, {approve}"
    elif change.status == "rewritten":
        where, message = change.original, f"{src} and {tgt} both changed since the pair was approved; it needs review"
        hint = f"check that the {tgt} translates the {src}, {approve}"
    else:
        where, message = change.original, f"new text pair, not yet approved in {tgt}: {_quote(change.original_text)}"
        hint = f"have the {tgt} reviewed, {approve}"
    key = (*change.key, where)
    return Diagnostic("warning", f"translation-{change.status}", message, source.location(*key), dotted(key), hint)


def freshness_problems(
    source: Source[Any], source_id: str, lock: Lock, campaign: Campaign, skip: Collection[Key] = ()
) -> list[Diagnostic]:
    """A warning, at its place in the source, for every translation that is stale, changed or new since approval."""
    return [_diagnostic(source, change, campaign) for change in changes(source, source_id, lock, campaign, skip)]


def todo_problems(source: Source[Any], campaign: Campaign, skip: Collection[Key] = ()) -> list[Diagnostic]:
    """A warning for every text still marked TODO, at its place in the source."""
    return [
        source.diagnostic(
            (*key, lang),
            "warning",
            "todo",
            f"{campaign.languages[lang].name} text still to be written",
            "replace the TODO text with the real one",
        )
        for key, text in texts(source.model)
        if key not in skip
        for lang, value in text.root.items()
        if lang in campaign.languages and TODO.search(value)
    ]


#: Codes of the findings that stop a brochure's print files (not its proofs) unless the build allows drafts.
PRINT_STOPPERS = frozenset({"translation-stale", "todo"})


def unfinished_problems(source: Source[Any], source_id: str, lock: Lock, campaign: Campaign, stop: bool) -> list[Diagnostic]:
    """Stale translations and texts still marked TODO, worded as `check` words them: errors when `stop` (print
    files are made), warnings otherwise."""
    stale = [_diagnostic(source, c, campaign) for c in changes(source, source_id, lock, campaign) if c.status == "stale"]
    found = stale + todo_problems(source, campaign)
    return [replace(d, severity="error") for d in found] if stop else found


def lock_path(root: Path) -> Path:
    """Where the lock file of a project lives: `brochures/translations.lock`."""
    return root / "brochures" / LOCK_FILE


def _invalid(path: Path, why: str, line: int = 0, column: int = 0) -> BuildError:
    return BuildError(
        [
            Diagnostic(
                "error",
                "translation-lock",
                f"the translation lock is not valid: {why}",
                Location(path, line, column),
                hint="restore it from version control (`git checkout brochures/translations.lock`), "
                "or delete it and run `brochure-press approve --all` to approve every text as it is now",
            )
        ]
    )


#: Halves of a UTF-16 pair written alone as JSON escapes: no text can hold them, and writing them fails.
_SURROGATE = re.compile("[\ud800-\udfff]")


def lock_data(root: Path) -> dict[str, Any]:
    """The lock file's JSON object, checked to be one of this version; an empty one when the file does not exist."""
    path = lock_path(root)
    if not path.exists():
        return {"version": LOCK_VERSION, "sources": {}}
    if not path.resolve().is_relative_to(root.resolve()):  # its content would be shown in messages
        raise _invalid(path, f"{path.relative_to(root)} leads outside the project (to {path.resolve()})")
    try:
        data = json.loads(read_bounded(path, MAX_LOCK_BYTES).decode("utf-8"))
    except FileTooLarge as exc:
        raise _invalid(path, str(exc.strerror)) from None
    except OSError as exc:
        raise _invalid(path, f"cannot read it: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise _invalid(path, "it is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _invalid(path, exc.msg, exc.lineno, exc.colno) from None
    except (RecursionError, ValueError) as exc:  # nested too deeply, or a number too long to read
        raise _invalid(path, f"it cannot be read ({str(exc)[:80]})") from None
    if not isinstance(data, dict) or data.get("version") != LOCK_VERSION or not isinstance(data.get("sources"), dict):
        raise _invalid(path, f"expected an object with `version: {LOCK_VERSION}` and `sources`")
    return data


def read_lock(root: Path) -> Lock:
    """The approved fingerprints; an empty lock when the file does not exist yet."""
    path = lock_path(root)
    data = lock_data(root)
    lock: Lock = {}
    if _SURROGATE.search(json.dumps(data["sources"], ensure_ascii=False)):
        raise _invalid(path, "a name in it holds a lone surrogate (\\ud800–\\udfff), which is no character")
    for source_id, entries in data["sources"].items():
        if not isinstance(entries, dict):
            raise _invalid(path, f"`{source_id}` is not an object")
        lock[source_id] = {}
        for key, value in entries.items():
            valid = isinstance(value, dict) and len(value) >= 2
            if not valid or not all(isinstance(v, str) and _FINGERPRINT.match(v) for v in value.values()):
                raise _invalid(path, f"`{source_id}` → `{key}` needs a SHA-256 fingerprint for each of two or more languages")
            lock[source_id][str(key)] = {str(code): str(v) for code, v in value.items()}
    return lock


def lock_text(lock: Lock, sections: Sections | None = None) -> str:
    """The lock file's JSON: sources sorted by id, one pair per line in document order, so diffs stay small; then
    each of the other `sections` that has records, one line per source."""
    out = ["{", f'  "about": {json.dumps(ABOUT)},', f'  "version": {LOCK_VERSION},', '  "sources": {']
    sources = sorted(lock.items())
    for i, (source_id, entries) in enumerate(sources):
        out.append(f"    {json.dumps(source_id)}: {{")
        for j, (key, prints) in enumerate(entries.items()):
            comma = "," if j < len(entries) - 1 else ""
            out.append(f"      {json.dumps(key, ensure_ascii=False)}: {json.dumps(prints)}{comma}")
        out.append("    }" + ("," if i < len(sources) - 1 else ""))
    out.append("  }")
    for name in SECTIONS:
        records = sorted((sections or {}).get(name, {}).items())
        if records:
            out[-1] += ","
            out.append(f"  {json.dumps(name)}: {{")
            last = len(records) - 1
            out += [
                f"    {json.dumps(i)}: {json.dumps(r, sort_keys=True)}{',' if n < last else ''}"
                for n, (i, r) in enumerate(records)
            ]
            out.append("  }")
    return "\n".join([*out, "}", ""])


def sources_by_id(project: Project) -> dict[str, Source[Any]]:
    """Every source whose texts can be approved: `campaign` and the brochures, by file name without .yaml."""
    return {project.campaign.path.stem: project.campaign, **project.brochures}


def record(lock: Lock, source_id: str, model: BaseModel, campaign: Campaign) -> Approval:
    """Put the current written texts of one source into the lock as approved together."""
    original = source_language(campaign)
    entries = lock.get(source_id, {})
    changed: Counter[str] = Counter()
    for target in campaign.languages:
        if target != original:
            current = pairs(model, original, target)
            changed.update(statuses(current, approved_pairs(entries, original, target)).values())
    written = [(key, text) for key, text in texts(model) if not unwritten(text) and len(text.root) > 1 and original in text.root]
    lock[source_id] = {dotted(key): {code: fingerprint(value) for code, value in text.root.items()} for key, text in written}
    return Approval(source_id, len(written), changed, sum(unwritten(text) for _, text in texts(model)))


def record_pairs(lock: Lock, source_id: str, pairs: Mapping[Key, Text], original: str, target: str) -> int:
    """Record the `target` translation of each text as approved together with its source text as it is now; how
    many were not approved as they stand before. The other languages of a text keep their approval where its source
    text is unchanged, and lose it where it changed (one entry per key path cannot hold two source texts): they
    count as new, never as approved."""
    entries = lock.setdefault(source_id, {})
    recorded = 0
    for key, text in pairs.items():
        source_print = fingerprint(text[original])
        entry = entries.get(dotted(key), {})
        kept = entry if entry.get(original) == source_print else {}
        entries[dotted(key)] = {**kept, original: source_print, target: fingerprint(text[target])}
        recorded += entries[dotted(key)] != entry
    return recorded


def lock_sections(root: Path) -> dict[str, dict[str, Any]]:
    """The lock file's sections besides `sources`, as it holds them."""
    data = lock_data(root)
    return {name: data[name] for name in SECTIONS if isinstance(data.get(name), dict)}


def write_lock(root: Path, lock: Lock, sections: Sections | None = None) -> Path:
    """Write the lock file atomically (never through a folder that leads out of the project); returns its path.
    Its other sections are kept as the file holds them, but for those given in `sections`."""
    path = lock_path(root)
    ensure_inside(root, path.parent)
    write_atomic(path, lock_text(lock, {**lock_sections(root), **(sections or {})}).encode())
    return path


def chosen_sources(project: Project, ids: Iterable[str], everything: bool = False) -> dict[str, Source[Any]]:
    """The sources `approve` works on, by id; an unknown id is an error naming the known ones."""
    known = sources_by_id(project)
    wanted = list(known) if everything else list(dict.fromkeys(ids))
    if unknown := unknown_brochures(wanted, known):
        raise BuildError(unknown)
    return {source_id: known[source_id] for source_id in wanted}


def pending(project: Project, ids: Iterable[str], everything: bool = False) -> list[Change]:
    """What `approve` would record that is not approved yet: every stale, changed or new translation."""
    lock, campaign = read_lock(project.root), project.campaign.model
    return [c for i, s in chosen_sources(project, ids, everything).items() for c in changes(s, i, lock, campaign)]


def approve(project: Project, ids: Iterable[str], everything: bool = False, sections: Sections | None = None) -> list[Approval]:
    """Record the current texts of the named sources (or of every source) as approved, and write the lock (with
    the records of other `sections` when given)."""
    chosen = chosen_sources(project, ids, everything)
    known = sources_by_id(project)
    lock = {k: v for k, v in read_lock(project.root).items() if not everything or k in known}
    campaign = project.campaign.model
    done = [record(lock, source_id, source.model, campaign) for source_id, source in chosen.items()]
    write_lock(project.root, lock, sections)
    return done
