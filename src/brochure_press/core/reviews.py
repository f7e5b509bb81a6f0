"""Who approved a pair: the lock's `reviewed` section remembers the pairs a reviewer accepted segment by segment
(state reviewed or final in an XLIFF import), so that an export marks them so again, while pairs approved wholesale
(`approve --all` of machine drafts) stay `translated`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from brochure_press.core.translations import REVIEWED, fingerprint, lock_data

#: Source id → language → fingerprint of a pair (`pair_print`) → the state the reviewer gave it.
Reviewed = dict[str, dict[str, dict[str, str]]]
#: The states a reviewer's acceptance is recorded with.
REVIEW_STATES = ("reviewed", "final")


def pair_print(source_text: str, target_text: str) -> str:
    """A short fingerprint of a source text and its translation together (64 bits: enough to tell pairs apart)."""
    return fingerprint(fingerprint(source_text) + fingerprint(target_text))[:16]


def _states(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(p): s for p, s in value.items() if s in REVIEW_STATES}


def read_reviewed(root: Path) -> Reviewed:
    """The recorded reviews; records the lock does not hold as written here are left out (a hand edit)."""
    section = lock_data(root).get(REVIEWED)
    if not isinstance(section, dict):
        return {}
    return {
        str(i): {str(lang): _states(prints) for lang, prints in languages.items()}
        for i, languages in section.items()
        if isinstance(languages, dict)
    }


def review_state(reviewed: Reviewed, source_id: str, target: str, source_text: str, target_text: str) -> str | None:
    """The state a reviewer gave this pair as it stands, if one did."""
    return reviewed.get(source_id, {}).get(target, {}).get(pair_print(source_text, target_text))


def record_reviews(reviewed: Reviewed, source_id: str, target: str, accepted: Mapping[str, str], current: Iterable[str]) -> None:
    """Record the pairs (by `pair_print`) a reviewer `accepted` with their state, keeping earlier records only for
    pairs the source still holds (`current`), so the section does not grow with every edit."""
    still = set(current)
    kept = {p: s for p, s in reviewed.get(source_id, {}).get(target, {}).items() if p in still}
    reviewed.setdefault(source_id, {})[target] = dict(sorted({**kept, **accepted}.items()))
