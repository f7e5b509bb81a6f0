"""Dates that move with the text: the lock records, per brochure, the fingerprint of all its texts at its
`revised:` date (`approve` writes it), and `check` warns when the texts changed while the date stayed. Neither file
times nor git are asked: the record travels with the lock."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from brochure_press.core.diagnostics import Diagnostic
from brochure_press.core.model import Brochure
from brochure_press.core.project import Source
from brochure_press.core.sources import dotted
from brochure_press.core.translations import REVISED, fingerprint, lock_data
from brochure_press.core.walk import texts

_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Revision:
    """A brochure's `revised:` date and the fingerprint of its texts on that date."""

    date: dt.date
    texts: str

    def as_json(self) -> dict[str, str]:
        return {"date": self.date.isoformat(), "texts": self.texts}


def texts_fingerprint(model: BaseModel) -> str:
    """SHA-256 of every text of a source in every language, by key path: a change to any of them changes it, a
    change of layout, comments or quoting in the YAML does not."""
    digest = hashlib.sha256()
    for key, text in texts(model):
        for code, value in sorted(text.root.items()):
            digest.update(f"{dotted(key)}\0{code}\0{fingerprint(value)}\n".encode())
    return digest.hexdigest()


def _revision(value: Any) -> Revision | None:
    """A record as the lock holds it; None for one that is not (an older tool's, or a hand edit: it is redone)."""
    if not isinstance(value, dict) or not isinstance(value.get("texts"), str) or not _FINGERPRINT.match(value["texts"]):
        return None
    try:
        return Revision(dt.date.fromisoformat(str(value.get("date"))), value["texts"])
    except ValueError:
        return None


def read_revisions(root: Path) -> dict[str, Revision]:
    """The recorded revisions, by brochure id."""
    section = lock_data(root).get(REVISED)
    found = {str(i): _revision(v) for i, v in section.items()} if isinstance(section, dict) else {}
    return {i: r for i, r in found.items() if r is not None}


def changed_since(model: Brochure, recorded: Revision | None) -> bool:
    """Whether a brochure's texts changed since the record of its `revised:` date, the date itself unmoved (a later
    date is the editor's own: a record made before it says nothing)."""
    return recorded is not None and model.revised <= recorded.date and texts_fingerprint(model) != recorded.texts


def revision_problems(source: Source[Brochure], recorded: Revision | None) -> list[Diagnostic]:
    """A warning at `revised:` when the texts changed after that date: the slug line, ticket and bundle name would
    carry a date that no longer tells this version from the last."""
    if not changed_since(source.model, recorded):
        return []
    return [
        source.diagnostic(
            ("revised",),
            "warning",
            "revised-date",
            f"the texts changed after `revised: {source.model.revised}`; the slug line, job ticket and bundle name "
            "still carry that date",
            f"set `revised:` to the date of the change, or run `brochure-press approve {source.path.stem}`, which offers to",
        )
    ]


def recorded_revisions(
    known: Mapping[str, Revision], models: Mapping[str, Brochure], dates: Mapping[str, dt.date]
) -> dict[str, dict[str, str]]:
    """The records to write: the known ones, with each of `models` recorded as it is now at its date in `dates`
    (its new `revised:`), or at its own `revised:`."""
    records = {i: r.as_json() for i, r in known.items()}
    for i, model in models.items():
        records[i] = Revision(dates.get(i, model.revised), texts_fingerprint(model)).as_json()
    return dict(sorted(records.items()))
