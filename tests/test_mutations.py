"""Every field of campaign.yaml, replaced by wrong types and extremes: an error at that field (or, where the value
is right after all, what check says instead), every error located, never an internal error."""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
import yaml

from brochure_press.core.diagnostics import BuildError, Diagnostic
from brochure_press.core.sources import dotted
from brochure_press.editor.check import check

from .conftest import REPO, make_sample

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


#: libyaml's emitter where PyYAML has it: the pure-Python one took half of each case's time.
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
CAMPAIGN = yaml.safe_load((REPO / "brochures" / "campaign.yaml").read_text())
#: Each field with the wrong values in turn, sampled so that every field and every wrong value is tried.
CASES = [(key, WRONG[i % len(WRONG)]) for i, key in enumerate(leaves(CAMPAIGN))]


LONG = WRONG[5]
LANGUAGES = set(CAMPAIGN["languages"])
#: Free texts without a length limit: 100,000 letters are taken as written (the panels' fit check measures them):
#: a name kept together, a particle kept with the next word, the skip link, the draft mark, a language's names
#: (an item's index is `[0]`, which fnmatch reads as `[[]*]`).
FREE_TEXT = (
    "languages.*.keep_together[[]*]",
    "languages.*.particles[[]*]",
    "languages.*.skip_link",
    "languages.*.draft",
    "languages.*.page_of",
    "languages.*.name",
    "languages.*.native_name",
    "languages.*.under_review",
    "order.delivery.notes",
)
#: Values of WRONG that are right for a field (an optional one left out, a flag set), and the error check then gives
#: elsewhere ("" when none): an unknown font family in a stack (a language's or a style's, `fonts.body[0]`) leaves the
#: texts it should set without glyphs; a language made a default is missing from every brochure.
RIGHT: dict[tuple[str, Any], str] = {
    ("order.stock", None): "",
    ("languages.*.native_name", None): "",
    ("order.finishing.*.creasing", True): "",
    ("languages.*.default", True): "missing-translation",
    ("languages.*.fonts.*[[]*]", LONG): "missing-glyph",
}
#: Known gaps, wrong values check lets pass ("" for no error at all); each should become an error at its field.
#: An unknown font family goes unreported when the rest of the stack has every glyph (Noto Sans sets all English).
#: A style of `null` for a language code is taken for a missing translation and left out, so the edition uses the
#: language's usual faces (while a build's strict validation rejects it).
GAPS: dict[tuple[str, Any], str] = {
    ("languages.en.fonts.body[[]0]", LONG): "",
    ("editions.*.styles.*", None): "",
}


def translation(key: tuple[Any, ...]) -> bool:
    """Whether `key` is one language's entry of a translatable text (`hashtag.ar`)."""
    parent: Any = CAMPAIGN
    for part in key[:-1]:
        parent = parent[part]
    texts = isinstance(parent, dict) and all(isinstance(value, str) for value in parent.values())
    return bool(key) and texts and "en" in parent and set(parent) <= LANGUAGES


def expected(key: tuple[Any, ...], value: Any) -> str | None:
    """The code of the error check must give somewhere, "" for none at all, None for an error at the field itself.
    An empty translation other than the English is a missing one, which a campaign text may be (English is used)."""
    path = dotted(key)
    for (pattern, right), code in (GAPS | RIGHT).items():
        if fnmatch(path, pattern) and type(value) is type(right) and value == right:
            return code
    if value == LONG and (translation(key) or any(fnmatch(path, pattern) for pattern in FREE_TEXT)):
        return ""
    if translation(key) and key[-1] != "en" and (value is None or value == ""):
        return ""
    return None


def at_field(diagnostic: Diagnostic, key: tuple[Any, ...]) -> bool:
    """Whether an error is about the field at `key`: the field, a part of it, or the text it is a translation of."""
    field, path = diagnostic.field or "", dotted(key)
    return field == path or field.startswith((f"{path}.", f"{path}[")) or (translation(key) and field == dotted(key[:-1]))


def test_the_cases_cover_every_field() -> None:
    assert len(CASES) > 60 and {type(v) for _, v in CASES} >= {list, dict, int, str, type(None), float, bool}
    assert sum(expected(key, value) is None for key, value in CASES) > 0.85 * len(CASES)  # most must be errors there


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One sample project for the module's cases (a process's): each rewrites only its campaign.yaml, and check without
    the fit writes nothing, so the fonts' coverage is read once."""
    return make_sample(tmp_path_factory.mktemp("mutations") / "project")


@pytest.mark.parametrize(("key", "value"), CASES, ids=[".".join(map(str, k)) or "(whole file)" for k, _ in CASES])
def test_a_wrong_campaign_field_gets_located_messages(project: Path, key: tuple[Any, ...], value: Any) -> None:
    path = project / "brochures" / "campaign.yaml"
    path.write_text(yaml.dump(replaced(CAMPAIGN, key, value), Dumper=DUMPER, allow_unicode=True, width=10**6))
    try:
        report = check(project, fit=False)
    except BuildError as exc:
        problems = exc.diagnostics
    else:
        problems = report.diagnostics
    errors = [d for d in problems if d.severity == "error"]
    assert all(d.location is not None for d in errors)
    code = expected(key, value)
    if code is None:
        assert any(at_field(d, key) for d in errors), [str(d) for d in errors]
    elif code:
        assert any(d.code == code for d in errors), [str(d) for d in errors]
    else:
        assert errors == []
