"""Reading YAML sources with line marks, and turning schema errors into located diagnostics."""

from __future__ import annotations

import contextlib
import difflib
import re
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from brochure_press.core.diagnostics import BuildError, Diagnostic, Location
from brochure_press.core.files import FileTooLarge, read_bounded
from brochure_press.core.model import LANGUAGE_PATTERN

Key = tuple[str | int, ...]
Marks = dict[Key, Location]
#: Marks of keys themselves are stored under the key path followed by this element; plain paths mark values.
KEY_MARK = ":key"
M = TypeVar("M", bound=BaseModel)

LANGUAGE_KEY = re.compile(LANGUAGE_PATTERN)
MAX_SOURCE_BYTES = 1_000_000
MAX_NODES = 50_000


def _mark(path: Path, node: yaml.Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _fail(path: Path, code: str, message: str, hint: str, node: yaml.Node | None = None, field: str = "") -> BuildError:
    where = _mark(path, node) if node is not None else Location(path)
    return BuildError([Diagnostic("error", code, message, where, field, hint)])


class _Builder:
    """Turns a composed YAML node tree into plain data plus a map from key path to location."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.marks: Marks = {}
        self.seen: set[int] = set()
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, key: Key) -> Any:
        if id(node) in self.seen:
            raise _fail(
                self.path,
                "alias",
                "anchors and aliases (& and *) are not supported",
                "write the value out in full",
                node,
                dotted(key),
            )
        self.seen.add(id(node))
        if len(self.seen) > MAX_NODES:
            raise _fail(self.path, "too-large", f"more than {MAX_NODES} values in one file", "split the file", node)
        self.marks.setdefault(key, _mark(self.path, node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, key)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*key, i)) for i, item in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node)
        except (ValueError, OverflowError) as exc:
            raise _fail(
                self.path, "yaml-value", f"cannot read `{node.value[:40]}`: {exc}", "quote the value", node, dotted(key)
            ) from None

    def _mapping(self, node: yaml.MappingNode, key: Key) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise _fail(
                    self.path,
                    "bad-key",
                    "keys must be plain words",
                    "remove the '<<' merge or complex key",
                    key_node,
                    dotted(key),
                )
            name = key_node.value
            if name in result:
                first = self.marks[(*key, name, KEY_MARK)]
                raise _fail(
                    self.path,
                    "duplicate-key",
                    f"key `{name}` appears twice (first at line {first.line})",
                    "keep one of them",
                    key_node,
                    dotted((*key, name)),
                )
            self.marks[(*key, name, KEY_MARK)] = _mark(self.path, key_node)
            result[name] = self.build(value_node, (*key, name))
        return result


def dotted(key: Key) -> str:
    """A key path as editors write it: `sections[2].blocks[0].text`."""
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in key).lstrip(".")


def read_yaml(path: Path) -> tuple[Any, Marks]:
    """Load one YAML file into plain data and the location of every key."""
    try:
        raw = read_bounded(path, MAX_SOURCE_BYTES)
    except FileTooLarge as exc:
        raise _fail(path, "too-large", str(exc.strerror), "split it or remove pasted material") from None
    except OSError as exc:
        raise _fail(path, "unreadable", f"cannot read the file: {exc.strerror}", "check the path") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        raise BuildError(
            [
                Diagnostic(
                    "error",
                    "encoding",
                    "the file is not valid UTF-8",
                    Location(path, line, column),
                    hint="save it as UTF-8 in your editor",
                )
            ]
        ) from None
    return parse_yaml(text, path)


def _unclosed_quote(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int] | None:
    """The line and column (0-based) where a quoted text that runs over its line opens, when that caused a syntax
    error: a missing closing quote, which YAML reports only lines later or at the end of the file. Every text of a
    source is written on one line."""
    if exc.context == "while scanning a quoted scalar" and exc.context_mark:
        return exc.context_mark.line, exc.context_mark.column
    error_line = exc.problem_mark.line if exc.problem_mark else len(text)
    found = None
    with contextlib.suppress(yaml.YAMLError):
        for token in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if token.start_mark.line > error_line:
                break
            if isinstance(token, yaml.ScalarToken) and token.style and token.end_mark.line > token.start_mark.line:
                found = token.start_mark.line, token.start_mark.column
    return found


def parse_yaml(text: str, path: Path) -> tuple[Any, Marks]:
    """Parse the text of one YAML file (named `path` in its marks) into plain data and the location of every key."""
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if opened := _unclosed_quote(text, exc):
            line, column = opened
            quote = text.splitlines()[line][column]
            where = Location(path, line + 1, column + 1)
            message = f"the text opened with {quote} here is not closed on its line, so YAML read on into the next lines"
            hint = f"end the text with {quote} on this line"
            raise BuildError([Diagnostic("error", "yaml-quote", message, where, hint=hint)]) from None
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        source_line = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
        hint = "indent with spaces, not tabs" if "\t" in source_line else "check indentation, colons and quotes on this line"
        raise BuildError([Diagnostic("error", "yaml-syntax", str(exc.problem or exc), where, hint=hint)]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        raise BuildError(
            [
                Diagnostic(
                    "error",
                    "control-character",
                    f"the file contains the control character U+{exc.character:04X}",
                    Location(path, line, column),
                    hint="delete it; it is invisible in most editors",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise _fail(path, "yaml-syntax", str(exc), "check the file's syntax") from None
    except RecursionError:
        raise _fail(path, "too-deep", "the file nests too deeply", "check brackets and indentation") from None
    if node is None:
        raise _fail(path, "empty", "the file is empty", "start from an existing brochure or run `brochure-press new`")
    builder = _Builder(path)
    try:
        data = builder.build(node, ())
    except RecursionError:
        raise _fail(path, "too-deep", "the file nests too deeply", "check brackets and indentation") from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        raise BuildError([Diagnostic("error", "yaml-value", str(exc.problem), where, hint="quote the value")]) from None
    return data, builder.marks


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes an annotation may hold, looking through Optional, list and Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, dict, tuple):
        return [m for arg in typing.get_args(annotation) for m in _unwrap(arg)]
    return [annotation] if isinstance(annotation, type) and issubclass(annotation, BaseModel) else []


def _fields_at(model: type[BaseModel], loc: Key) -> list[str]:
    """Field names of the model found by following `loc` from `model`."""
    current: list[type[BaseModel]] = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt = [m for c in current if part in c.model_fields for m in _unwrap(c.model_fields[part].annotation)]
        if not nxt:
            break
        current = nxt
    return sorted({name for c in current for name in c.model_fields})


def _indented_out(data: Any, key: Key) -> str:
    """The key path of the mapping an unknown key seems to belong to, when it was indented one level too little:
    a mapping beside it has keys like it (`en:`) but not this one (`ar:`)."""
    if not LANGUAGE_KEY.match(str(key[-1])):
        return ""
    parent: Any = data
    for part in key[:-1]:
        parent = parent[part]
    for name, sibling in parent.items() if isinstance(parent, dict) else ():
        if isinstance(sibling, dict) and key[-1] not in sibling and sibling and all(LANGUAGE_KEY.match(str(k)) for k in sibling):
            return dotted((*key[:-1], name))
    return ""


def _hint(model: type[BaseModel], error: Any, key: Key, data: Any) -> str:
    kind = error["type"]
    if not key:
        return "see README, section 'The YAML format'"
    if kind == "extra_forbidden" and (owner := _indented_out(data, key)):
        return f"`{key[-1]}:` is indented as if it were a key of its own; indent it like the other languages of `{owner}`"
    if kind == "extra_forbidden":
        allowed = _fields_at(model, key[:-1])
        close = difflib.get_close_matches(str(key[-1]), allowed, n=1)
        return f"did you mean `{close[0]}`?" if close else f"allowed keys: {', '.join(allowed)}"
    if kind == "missing":
        return f"add `{key[-1]}:` here"
    if kind == "literal_error":
        return f"use one of: {error['ctx']['expected']}"
    if kind == "string_pattern_mismatch":
        return "phone numbers look like `+965 2530 8169`; e-mail like `name@example.org`"
    if kind in ("list_type", "tuple_type"):
        return "write a list, one `- item` per line"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "write keys below this one, indented"
    if kind in ("string_type", "string_too_short"):
        return "write the text after the colon; quote it if it starts with a special character"
    if kind == "date_type":
        return "write a date as YYYY-MM-DD, without quotes"
    return "see README, section 'The YAML format'"


def data_path(data: Any, loc: tuple[Any, ...]) -> Key:
    """The part of a pydantic error location that names keys and items of the data (not union tags)."""
    path: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        in_dict = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            current = current[part]
            path.append(part)
        elif i == len(loc) - 1 and isinstance(part, str) and isinstance(current, dict):
            path.append(part)
    return tuple(path)


def locate(marks: Marks, key: Key, prefer_key: bool = False, default: Location | None = None) -> Location | None:
    """The location of the deepest known element of `key`: its value, or its key when `prefer_key`."""
    for n in range(len(key), -1, -1):
        for candidate in ((*key[:n], KEY_MARK), key[:n]) if prefer_key else (key[:n],):
            if candidate in marks:
                return marks[candidate]
    return default


def validate(model: type[M], data: Any, marks: Marks, path: Path) -> M:
    """Validate plain data against a model; raise every problem, each with its location."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        diagnostics = []
        for error in exc.errors():
            key = data_path(data, error["loc"])
            at = locate(marks, key, prefer_key=error["type"] in ("extra_forbidden", "missing"), default=Location(path))
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden" and key:
                message = f"unknown key `{key[-1]}`"
            elif error["type"] == "missing" and key:
                message = f"required key `{key[-1]}` is missing"
            diagnostics.append(Diagnostic("error", error["type"], message, at, dotted(key), _hint(model, error, key, data)))
        raise BuildError(diagnostics) from None


def load(model: type[M], path: Path) -> M:
    """Read and validate one source file."""
    data, marks = read_yaml(path)
    return validate(model, data, marks, path)
