"""XLIFF 2.1 documents, the files translators' CAT tools exchange: written reproducibly, and read back from files
that may come from anywhere (no DTD, so no entity can expand) with every problem located by line and column."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from brochure_press.core.diagnostics import BuildError, Diagnostic, Location
from brochure_press.core.sources import Key

NAMESPACE = "urn:oasis:names:tc:xliff:document:2.0"
VERSION = "2.1"
#: Segment states from least to most finished (XLIFF 2.1, 4.3.1.42).
STATES = ("initial", "translated", "reviewed", "final")
MAX_XLIFF_BYTES = 20_000_000
_NMTOKEN = re.compile(r"^[\w.:-]+$")
#: A list index in a unit id, written as export writes it (ASCII digits, no leading zero).
_INDEX = re.compile(r"0|[1-9][0-9]*")
#: The namespace of this tool's own attributes: `bp:was` records the target a unit had when it was exported.
EXTENSION = "urn:brochure-press:xliff"
#: Inline elements whose text is part of a segment's text (annotations CAT tools add); any other is refused.
_ANNOTATION = f"{NAMESPACE} mrk"
#: A line and column in a file.
Place = tuple[int, int]
HINT = "export the file again with `brochure-press xliff export`, or check it in the CAT tool"


@dataclass(frozen=True)
class Note:
    """A note for the translator: its category (`legal`, `terminology`, `freshness`) and text."""

    category: str
    text: str


@dataclass(frozen=True)
class Unit:
    """One translatable text: its id (the key path), its source and target and how finished the target is; `at` and
    `target_at` say where it and its target stand (line, column) in a file that was read."""

    id: str
    name: str
    source: str
    target: str | None
    state: str
    notes: tuple[Note, ...] = ()
    at: Place = (0, 0)
    target_at: Place = (0, 0)
    #: The fingerprint of the target text in the sources when the unit was exported (None: not recorded).
    was: str | None = None


@dataclass(frozen=True)
class UnitFile:
    """The units of one source file (`<file>`), by its id (the brochure id) and path in the project."""

    id: str
    original: str
    units: tuple[Unit, ...]
    at: Place = (0, 0)


@dataclass(frozen=True)
class Document:
    """A whole XLIFF document: the languages translated from and into, and the files."""

    source_language: str
    target_language: str
    files: tuple[UnitFile, ...]
    at: Place = (0, 0)


def unit_id(key: Key) -> str:
    """A key path as a unit id, a valid NMTOKEN: `sections.2.blocks.0.text`."""
    return ".".join(str(part) for part in key)


def unit_key(identifier: str) -> Key:
    """The key path a unit id stands for."""
    return tuple(int(part) if _INDEX.fullmatch(part) else part for part in identifier.split("."))


def xliff_bytes(document: Document) -> bytes:
    """The document as XLIFF 2.1, indented, in the order given: the same document gives the same bytes."""
    attributes = {"srcLang": document.source_language, "trgLang": document.target_language}
    root = ET.Element("xliff", {"xmlns": NAMESPACE, "xmlns:bp": EXTENSION, "version": VERSION, **attributes})
    for each in document.files:
        file_element = ET.SubElement(root, "file", {"id": each.id, "original": each.original})
        for unit in each.units:
            was = {"bp:was": unit.was} if unit.was is not None else {}
            unit_element = ET.SubElement(file_element, "unit", {"id": unit.id, "name": unit.name, **was})
            if unit.notes:
                notes = ET.SubElement(unit_element, "notes")
                for note in unit.notes:
                    ET.SubElement(notes, "note", {"category": note.category}).text = note.text
            segment = ET.SubElement(unit_element, "segment", {"state": unit.state})
            ET.SubElement(segment, "source").text = unit.source
            if unit.target is not None:
                ET.SubElement(segment, "target").text = unit.target
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


@dataclass
class _Element:
    """An element as read, with its place in the file and its content (text and child elements, in order)."""

    tag: str
    attributes: dict[str, str]
    at: Place
    content: list[str | _Element] = field(default_factory=list)

    def children(self, name: str) -> list[_Element]:
        return [c for c in self.content if isinstance(c, _Element) and c.tag == f"{NAMESPACE} {name}"]

    def name(self) -> str:
        return self.tag.rpartition(" ")[2]


class _Problems:
    """The problems found in one file, each at its element."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.found: list[Diagnostic] = []

    def add(self, element: _Element, code: str, message: str, hint: str = HINT, what: str = "") -> None:
        where = Location(self.path, *element.at)
        self.found.append(Diagnostic("error", f"xliff-{code}", message, where, what, hint))


def _refuse_dtd(*_: Any) -> None:
    raise ValueError("the file declares a DTD: XLIFF files have none, and entities are never expanded")


def _tree(data: bytes, path: Path) -> _Element:
    """Parse XML into elements with their places; malformed XML and any DTD are located errors."""
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[_Element] = [_Element("", {}, (0, 0))]

    def start(tag: str, attributes: dict[str, str]) -> None:
        element = _Element(tag, attributes, (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))
        stack[-1].content.append(element)
        stack.append(element)

    def text(data: str) -> None:
        stack[-1].content.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda _: stack.pop()
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, ValueError) as exc:
        where = Location(path, parser.ErrorLineNumber, parser.ErrorColumnNumber + 1)
        message = f"not well-formed XML: {expat.ErrorString(exc.code)}" if isinstance(exc, expat.ExpatError) else str(exc)
        raise BuildError([Diagnostic("error", "xliff-syntax", message, where, hint=HINT)]) from None
    return next(c for c in stack[0].content if isinstance(c, _Element))


def _text(element: _Element, problems: _Problems) -> str:
    """The text of a source or target: its characters and those of annotations inside it, however deeply nested."""
    parts: list[str] = []
    pending: list[str | _Element] = list(reversed(element.content))
    while pending:
        part = pending.pop()
        if isinstance(part, str):
            parts.append(part)
        elif part.tag == _ANNOTATION:
            pending.extend(reversed(part.content))
        else:
            problems.add(
                part,
                "inline",
                f"inline element <{part.name()}> in <{element.name()}>: these texts carry no inline codes",
                "write the text plainly; bold, italic and links stay as written in the source (**, *, [text](link))",
            )
    return "".join(parts)


def _target_parts(parts: list[_Element]) -> list[_Element] | None:
    """The elements whose text makes a unit's target: each segment's target, and each `<ignorable>`'s target or,
    without one, its source (the whitespace between segments); None when no segment has a target."""
    if not any(p.children("target") for p in parts if p.name() == "segment"):
        return None
    chosen = [(p.children("target") or (p.children("source") if p.name() == "ignorable" else []))[:1] for p in parts]
    return [element for each in chosen for element in each]


def _unit(element: _Element, problems: _Problems) -> Unit | None:
    identifier = element.attributes.get("id", "")
    if not _NMTOKEN.match(identifier):
        problems.add(element, "unit-id", f"unit id `{identifier}` is missing or not a valid NMTOKEN")
        return None
    parts = [p for p in element.content if isinstance(p, _Element) and p.name() in ("segment", "ignorable")]
    segments = [p for p in parts if p.name() == "segment"]
    if not segments:
        problems.add(element, "segment", f"unit `{identifier}` has no <segment>", what=identifier)
        return None
    states = [s.attributes.get("state", "initial") for s in segments]
    for segment, state in zip(segments, states, strict=True):
        if state not in STATES:
            problems.add(segment, "state", f"unknown segment state `{state}`", f"use one of: {', '.join(STATES)}", identifier)
    sources = [s for p in parts for s in p.children("source")]
    targets = _target_parts(parts)
    if len(sources) != len(parts):
        problems.add(element, "source", f"unit `{identifier}` lacks a <source> in a segment", what=identifier)
        return None
    return Unit(
        identifier,
        element.attributes.get("name", ""),
        "".join(_text(s, problems) for s in sources),
        "".join(_text(t, problems) for t in targets) if targets is not None else None,
        min(states, key=lambda s: STATES.index(s) if s in STATES else 0),
        at=element.at,
        target_at=next((t.at for t in targets or () if t.tag == f"{NAMESPACE} target"), element.at),
        was=element.attributes.get(f"{EXTENSION} was"),
    )


def _file(element: _Element, problems: _Problems) -> UnitFile:
    units: dict[str, Unit] = {}
    for unit_element in element.children("unit"):
        unit = _unit(unit_element, problems)
        if unit is not None and unit.id in units:
            problems.add(unit_element, "duplicate", f"unit `{unit.id}` appears twice in this file", what=unit.id)
        elif unit is not None:
            units[unit.id] = unit
    for group in element.children("group"):
        problems.add(group, "group", "<group> is not used in these files", HINT)
    return UnitFile(element.attributes.get("id", ""), element.attributes.get("original", ""), tuple(units.values()), element.at)


def read_xliff(data: bytes, path: Path) -> Document:
    """Read an XLIFF 2 document; raise every problem found, each at its line and column."""
    if len(data) > MAX_XLIFF_BYTES:
        raise BuildError([Diagnostic("error", "xliff-size", f"the file is over {MAX_XLIFF_BYTES} bytes", Location(path))])
    root = _tree(data, path)
    problems = _Problems(path)
    version = root.attributes.get("version", "")
    if root.name() != "xliff":
        problems.add(root, "root", f"not an XLIFF document: the root element is <{root.name()}>")
    elif root.tag != f"{NAMESPACE} xliff" or not version.startswith("2."):
        problems.add(root, "version", f"XLIFF version `{version}`, not 2.x", "have the CAT tool save XLIFF 2.0 or 2.1")
    if problems.found:
        raise BuildError(problems.found)
    for attribute in ("srcLang", "trgLang"):
        if not root.attributes.get(attribute):
            problems.add(root, "language", f"<xliff> has no `{attribute}`")
    files = tuple(_file(f, problems) for f in root.children("file"))
    counts = Counter(f.id for f in files)
    for element, each in zip(root.children("file"), files, strict=True):
        if counts[each.id] > 1:
            problems.add(element, "duplicate", f"file `{each.id}` appears more than once", what=each.id)
    if problems.found:
        raise BuildError(problems.found)
    return Document(root.attributes["srcLang"], root.attributes["trgLang"], files, root.at)
