"""JSON Schemas of the source files, generated from the model, for editors' YAML completion."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from brochure_press.core.campaignmodel import Campaign
from brochure_press.core.glossary import Glossary
from brochure_press.core.model import Brochure, Layout

SCHEMAS: dict[str, type[BaseModel]] = {
    "brochure.schema.json": Brochure,
    "campaign.schema.json": Campaign,
    "layout.schema.json": Layout,
    "glossary.schema.json": Glossary,
}


def schema_texts() -> dict[str, str]:
    """File name → JSON text of every schema."""
    return {name: json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2) + "\n" for name, model in SCHEMAS.items()}


def write_schemas(folder: Path) -> None:
    """Write the schemas into `folder` (the project's `schema/`)."""
    folder.mkdir(exist_ok=True)
    for name, text in schema_texts().items():
        (folder / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_schemas(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("schema"))
