"""Writing texts back into a YAML source in place: only the scalars that change are rewritten (or added), so the
comments, key order, quoting and layout of everything else stay as they were, byte for byte."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import yaml

from brochure_press.core.sources import Key

#: One edit of a file's text: replace text[start:end] by the new text.
Edit = tuple[int, int, str]


def quoted(value: str) -> str:
    """A text as one double-quoted YAML scalar on one line, as the sources write their texts."""
    dumped = yaml.dump(value, Dumper=yaml.SafeDumper, default_style='"', allow_unicode=True, width=math.inf)
    return str(dumped).removesuffix("\n")


def _mapping(root: yaml.Node | None, key: Key) -> yaml.MappingNode:
    """The mapping node at a key path (which must lead to one)."""
    node = root
    for part in key:
        if node is None:
            raise KeyError(key)
        if isinstance(part, int) and isinstance(node, yaml.SequenceNode):
            node = node.value[part]
        elif isinstance(node, yaml.MappingNode):
            node = next(v for k, v in node.value if k.value == part)
        else:
            raise KeyError(key)
    if not isinstance(node, yaml.MappingNode):
        raise KeyError(key)
    return node


def _end(text: str, node: yaml.Node) -> int:
    """Where a value ends in the text, without the line breaks a block scalar takes in."""
    start: int = node.start_mark.index
    return start + len(text[start : node.end_mark.index].rstrip())


def _insertion(text: str, mapping: yaml.MappingNode, code: str, value: str, order: Sequence[str]) -> Edit:
    """Add `code: value` to a text's mapping, after the languages that come before it in `order` (after all of
    them when it is not in `order`): a line of its own in a block mapping, one more entry in a flow mapping."""
    rank = order.index(code) if code in order else len(order)
    before = [(k, v) for k, v in mapping.value if k.value in order and order.index(k.value) < rank]
    key_node, value_node = (before or mapping.value)[-1]
    if mapping.flow_style:
        at = _end(text, value_node)
        return at, at, f", {code}: {quoted(value)}"
    newline = "\r\n" if "\r\n" in text else "\n"
    at = text.find("\n", _end(text, value_node))
    at = len(text) if at < 0 else at - (text[at - 1] == "\r")
    return at, at, f"{newline}{' ' * key_node.start_mark.column}{code}: {quoted(value)}"


def set_texts(text: str, values: Mapping[Key, str], order: Sequence[str] = ()) -> str:
    """The YAML `text` with each text at a key path ending in its language code set to its value: the scalar
    replaced where the language is written, added after the languages before it in `order` where it is not."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    edits: list[Edit] = []
    for key, value in values.items():
        mapping = _mapping(root, key[:-1])
        existing = next((v for k, v in mapping.value if k.value == key[-1]), None)
        if existing is None:
            edits.append(_insertion(text, mapping, str(key[-1]), value, order))
        else:
            edits.append((existing.start_mark.index, _end(text, existing), quoted(value)))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def set_date(text: str, key: str, date: dt.date) -> str:
    """The YAML `text` with the date at top-level `key` replaced by `date` (YYYY-MM-DD), everything else as it was."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    node = next(v for k, v in _mapping(root, ()).value if k.value == key)
    return text[: node.start_mark.index] + date.isoformat() + text[_end(text, node) :]
