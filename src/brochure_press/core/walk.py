"""Walking a source model: every translatable text with its key path."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from brochure_press.core.model import Text


def texts(model: BaseModel, key: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Text]]:
    """Every text pair in a model with its key path."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            path = (*key, name) if index is None else (*key, name, index)
            if isinstance(item, Text):
                yield path, item
            elif isinstance(item, BaseModel):
                yield from texts(item, path)
