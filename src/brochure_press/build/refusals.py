"""Why brochures may not go to the printer as they stand, told in one line per brochure: draft, no legal review,
unreviewed translations, unfinished or stale texts, each with what would help."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from brochure_press.core.diagnostics import Diagnostic
from brochure_press.core.languages import brochure_editions, edition_languages, legally_reviewed, unreviewed
from brochure_press.core.project import Project
from brochure_press.core.wording import counted

#: How many language codes a line names before it says "…".
SHOWN_CODES = 4


def _codes(codes: Sequence[str]) -> str:
    return ", ".join([*codes[:SHOWN_CODES], "…"] if len(codes) > SHOWN_CODES else codes)


def unreviewed_languages(project: Project, brochure: str) -> tuple[str, ...]:
    """The languages of a brochure's editions whose translation is still a draft, in the campaign's order."""
    campaign = project.campaign.model
    model = project.brochures[brochure].model
    codes = {code for edition in brochure_editions(campaign, model) for code in edition_languages(campaign, edition)}
    return unreviewed(model, tuple(c for c in campaign.languages if c in codes))


def _legal_review(project: Project, brochure: str) -> str:
    review = project.brochures[brochure].model.review
    missing = [] if review is None else [k for k in ("reviewer", "date", "sources") if not getattr(review, k)]
    return "no legal review" + (f" ({', '.join(missing)} missing)" if missing else "")


def refusal(project: Project, brochure: str, unfinished: Sequence[Diagnostic] = ()) -> Diagnostic | None:
    """Every reason one brochure is not handed to the printer, in one error at its `status`, with a hint for each
    reason; None when there is none. `unfinished` are the build's refusals of its print files (TODO texts, stale
    translations, a draft the policy refuses)."""
    source = project.brochures[brochure]
    reasons: list[str] = []
    hints: list[str] = []
    if source.model.status == "draft":
        reasons.append("draft")
        hints.append("set `status: approved` after review")
    if not legally_reviewed(source.model):
        reasons.append(_legal_review(project, brochure))
        hints.append("record the lawyer's check as `review: {reviewer: …, date: YYYY-MM-DD, sources: […]}`")
    languages = unreviewed_languages(project, brochure)
    if languages:
        reasons.append(f"{counted(len(languages), 'translation')} not reviewed ({_codes(languages)})")
        hints.append("once a native speaker has reviewed one, set its `status: reviewed` and `reviewer:` in `translations:`")
    todo = len({d.field.rpartition(".")[0] for d in unfinished if d.code == "todo"})  # a text, not each language
    stale = sum(d.code == "translation-stale" for d in unfinished)
    if todo:
        reasons.append(f"{counted(todo, 'text')} still to be written")
    if stale:
        reasons.append(f"{counted(stale, 'stale translation')}")
    if todo or stale:
        hints.append(f"`brochure-press check {brochure}` shows where")
    if not reasons:
        return None
    hint = "; ".join(hints) + "; or pass --allow-draft to send drafts marked DRAFT"
    message = f"{brochure}: {'; '.join(reasons)}; not handed to the printer"
    return Diagnostic("error", "handoff-refused", message, source.location("status"), hint=hint)


def refusals(
    project: Project, brochures: Sequence[str], unfinished: Mapping[str, Sequence[Diagnostic]] | None = None
) -> list[Diagnostic]:
    """One error for each brochure that may not go to the printer, naming all its reasons, and the brochures that
    may go alone."""
    found = {b: d for b in brochures if (d := refusal(project, b, (unfinished or {}).get(b, ()))) is not None}
    ready = [b for b in brochures if b not in found]
    alone = f"; or hand off the others alone: `brochure-press handoff {' '.join(ready)}`" if ready else ""
    return [replace(d, hint=d.hint + alone) for d in found.values()]


def from_project(root: Path, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics with their files named from the project's folder (`brochures/sample.yaml`), wherever the
    command ran."""
    return [
        replace(d, location=replace(d.location, path=d.location.path.relative_to(root)))
        if d.location and d.location.path.is_relative_to(root)
        else d
        for d in diagnostics
    ]
