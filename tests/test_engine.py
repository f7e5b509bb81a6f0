"""The engine as the tool relies on it: pinned and declared libraries, their versions in the cache key, and the
private WeasyPrint hooks failing loudly when they are gone or no longer called."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from brochure_press.build import cache
from brochure_press.core.diagnostics import BuildError, Location
from brochure_press.render import engine, tagging
from brochure_press.render.typeset import VariantOptions, render, write_pdf

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "src" / "brochure_press"


def requirements() -> dict[str, Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    found = (Requirement(line) for line in project["dependencies"])
    return {importlib.metadata.distribution(r.name).metadata["Name"].lower(): r for r in found}


def imported_modules() -> set[str]:
    """The top-level names of every absolute import in the package, in every form."""
    names = set()
    for path in SOURCES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"brochure_press", "__future__"}


def test_every_imported_library_is_a_declared_dependency() -> None:
    declared = set(requirements())
    distributions = importlib.metadata.packages_distributions()
    providers = {module: {name.lower() for name in distributions.get(module, [module])} for module in imported_modules()}
    assert "pydyf" in providers
    assert not {module: names for module, names in providers.items() if not declared & names}


@pytest.mark.parametrize("name", ["weasyprint", "pydyf", "pikepdf", "pypdfium2"])
def test_the_engine_is_pinned_to_the_installed_release_series(name: str) -> None:
    """`>=S,<S+1` where S is the installed version cut to the pin's length: 70 for WeasyPrint 70.0, 0.13 for
    pydyf 0.13.0, 10.18 for pikepdf 10.18.0."""
    specifier = requirements()[name].specifier
    installed = importlib.metadata.version(name)
    lower = next(spec.version for spec in specifier if spec.operator == ">=")
    series = [int(part) for part in installed.split(".")[: lower.count(".") + 1]]
    assert lower == ".".join(map(str, series))
    assert specifier.contains(installed)
    assert not specifier.contains(".".join(map(str, [*series[:-1], series[-1] + 1])))


def test_the_cache_key_follows_every_library_that_shapes_the_bytes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    versions = engine.engine_versions()
    assert {"weasyprint", "pydyf", "pikepdf", "libpango-1.0.so.0", "libharfbuzz.so.0", engine.SUBSETTER} <= set(versions)
    assert versions["weasyprint"] == importlib.metadata.version("weasyprint")
    assert versions["libharfbuzz.so.0"] != "absent"
    (tmp_path / "a.yaml").write_text("a: 1\n")
    before = cache.input_key(tmp_path, [tmp_path / "a.yaml"], "")
    for library in ("pydyf", "libharfbuzz.so.0", engine.SUBSETTER):
        cache._tool_fingerprint.cache_clear()
        monkeypatch.setattr(cache, "engine_versions", lambda library=library: {**versions, library: "other"})
        assert cache.input_key(tmp_path, [tmp_path / "a.yaml"], "") != before, library
    cache._tool_fingerprint.cache_clear()


def test_a_tagged_pdf_calls_the_wrapped_tree_builder() -> None:
    document = render("<html lang=en><p>Call 8169</p></html>", REPO, Location(REPO / "layouts"))
    calls = tagging.hook_calls()
    assert write_pdf(document, VariantOptions(pdf_variant=None, pdf_tags=True)).startswith(b"%PDF")
    assert tagging.hook_calls() > calls


def test_the_tree_builder_gone_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.pdf import tags

    monkeypatch.delattr(tags, "_build_box_tree")
    with pytest.raises(BuildError) as error:
        tagging.install()
    assert [d.code for d in error.value.diagnostics] == ["engine"]
    assert tagging.HOOK in str(error.value) and "pyproject.toml" in str(error.value)


def test_the_tree_builder_not_called_is_an_engine_error() -> None:
    tagging.install()
    with pytest.raises(BuildError, match=re.escape(tagging.HOOK)):
        tagging.tagged_write(lambda: b"%PDF-1.7 written without the hook")


def test_a_page_without_its_box_is_an_engine_error() -> None:
    with pytest.raises(BuildError, match=re.escape("Page._page_box")):
        engine.page_box(object())


def test_a_hook_is_wrapped_once_and_a_hook_gone_is_an_engine_error() -> None:
    class Owner:
        @staticmethod
        def hook() -> str:
            return "drawn"

    wrapped: list[object] = []

    def wrap(original: Any) -> Any:
        wrapped.append(original)
        return lambda: f"{original()} and recorded"

    for _ in range(2):
        engine.wrap_once(Owner, "hook", "weasyprint.x.hook", "nothing is recorded", wrap)
    assert Owner.hook() == "drawn and recorded" and len(wrapped) == 1
    with pytest.raises(BuildError, match=re.escape("no longer has or calls `weasyprint.x.gone`: nothing is recorded")):
        engine.wrap_once(Owner, "gone", "weasyprint.x.gone", "nothing is recorded", wrap)
