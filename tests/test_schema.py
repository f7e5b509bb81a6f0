"""The committed JSON Schemas match the model, and every source file points at its schema."""

from __future__ import annotations

from brochure_press.core.schema import schema_texts

from .conftest import REPO


def test_committed_schemas_are_current() -> None:
    for name, text in schema_texts().items():
        committed = (REPO / "schema" / name).read_text(encoding="utf-8")
        assert committed == text, f"schema/{name} is stale: run `python -m brochure_press.core.schema schema`"


def test_every_source_references_its_schema() -> None:
    for path in sorted((REPO / "brochures").glob("*.yaml")):
        name = {"campaign.yaml": "campaign", "glossary.yaml": "glossary"}.get(path.name, "brochure")
        assert path.read_text(encoding="utf-8").startswith(f"# yaml-language-server: $schema=../schema/{name}.schema.json\n"), (
            path
        )
    layouts = sorted((REPO / "layouts").glob("*/layout.yaml"))
    assert layouts
    for path in layouts:
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schema/layout.schema.json\n"), (
            path
        )
