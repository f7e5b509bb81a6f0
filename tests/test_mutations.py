"""Every field of campaign.yaml, replaced by wrong types and extremes: located messages, never an internal error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from brochure_press.core.diagnostics import BuildError
from brochure_press.editor.check import check

from .conftest import REPO

#: Values no field expects: other types, extremes, nothing.
WRONG: tuple[Any, ...] = ([1, 2], {"x": 1}, 10**400, -1, "", "x" * 100_000, None, 1.5e308, True)


def leaves(node: Any, key: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for name, value in node.items():
            yield from leaves(value, (*key, name))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, (*key, index))
    yield key


def replaced(data: Any, key: tuple[Any, ...], value: Any) -> Any:
    if not key:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[key[0]] = replaced(data[key[0]], key[1:], value)
    return copy


CAMPAIGN = yaml.safe_load((REPO / "brochures" / "campaign.yaml").read_text())
#: Each field with the wrong values in turn, sampled so that every field and every wrong value is tried.
CASES = [(key, WRONG[i % len(WRONG)]) for i, key in enumerate(leaves(CAMPAIGN))]


def test_the_cases_cover_every_field() -> None:
    assert len(CASES) > 60 and {type(v) for _, v in CASES} >= {list, dict, int, str, type(None), float, bool}


@pytest.mark.parametrize(("key", "value"), CASES, ids=[".".join(map(str, k)) or "(whole file)" for k, _ in CASES])
def test_a_wrong_campaign_field_gets_located_messages(sample_dir: Path, key: tuple[Any, ...], value: Any) -> None:
    path = sample_dir / "brochures" / "campaign.yaml"
    path.write_text(yaml.safe_dump(replaced(CAMPAIGN, key, value), allow_unicode=True, width=10**6))
    try:
        report = check(sample_dir, fit=False)
    except BuildError as exc:
        problems = exc.diagnostics
    else:
        problems = report.diagnostics
    assert all(d.location is not None for d in problems if d.severity == "error")
