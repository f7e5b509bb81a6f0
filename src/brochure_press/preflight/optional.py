"""Optional content (layers) that is off by default: art in a print file that no proof shows, yet a RIP may print
or drop as it likes. Hidden art in a print file is an error."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pikepdf

from brochure_press.core.diagnostics import PageProblem

#: Forms inside forms: deeper nesting than this is not followed (as in content.MAX_DEPTH).
MAX_DEPTH = 16
HINT = "export the art without layers, or delete the hidden layer, so that what is seen is what prints"

Key = tuple[int, int]


def _key(obj: Any) -> Key:
    return obj.objgen if isinstance(obj, pikepdf.Object) and obj.is_indirect else (id(obj), -1)


def _groups(value: Any) -> list[pikepdf.Object]:
    if isinstance(value, pikepdf.Array):
        return [v for v in value if isinstance(v, pikepdf.Dictionary)]
    return [value] if isinstance(value, pikepdf.Dictionary) else []


def hidden_groups(pdf: pikepdf.Pdf) -> dict[Key, str]:
    """The optional content groups the file's default configuration turns off, by object, with their names."""
    properties = pdf.Root.get("/OCProperties")
    config = properties.get("/D") if isinstance(properties, pikepdf.Dictionary) else None
    if not isinstance(config, pikepdf.Dictionary):
        return {}
    every = _groups(properties.get("/OCGs")) if isinstance(properties, pikepdf.Dictionary) else []
    if str(config.get("/BaseState", "/ON")) == "/OFF":
        on = {_key(g) for g in _groups(config.get("/ON"))}
        off = [g for g in every if _key(g) not in on]
    else:
        off = _groups(config.get("/OFF"))
    return {_key(g): str(g.get("/Name", "unnamed")) for g in off}


def _hidden_by(marker: Any, hidden: dict[Key, str]) -> str | None:
    """The name of the hidden group that hides what `marker` (an OCG or an OCMD) marks, if it is hidden."""
    if not isinstance(marker, pikepdf.Dictionary):
        return None
    if str(marker.get("/Type", "")) == "/OCMD":
        groups = _groups(marker.get("/OCGs"))
        policy = str(marker.get("/P", "/AnyOn"))
        off = [g for g in groups if _key(g) in hidden]
        if groups and (len(off) == len(groups) or (policy == "/AllOn" and off)):
            return hidden[_key(off[0])]
        return None
    return hidden.get(_key(marker))


class _Finder:
    """Counts what each page marks as hidden optional content, through its forms."""

    def __init__(self, hidden: dict[Key, str]) -> None:
        self.hidden = hidden
        self.found: Counter[str] = Counter()
        self.active: list[Key] = []

    def walk(self, source: Any, resources: Any, depth: int) -> None:
        if depth > MAX_DEPTH or _key(source) in self.active:
            return
        self.active.append(_key(source))
        try:
            instructions = pikepdf.parse_content_stream(source)
        except (pikepdf.PdfError, TypeError, ValueError):
            instructions = []  # reported by the content walker
        properties = resources.get("/Properties") if isinstance(resources, pikepdf.Dictionary) else None
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        for instruction in instructions:
            op, operands = str(instruction.operator), list(getattr(instruction, "operands", []))
            if op == "BDC" and len(operands) == 2 and str(operands[0]) == "/OC":
                marker = operands[1]
                if isinstance(marker, pikepdf.Name) and isinstance(properties, pikepdf.Dictionary):
                    marker = properties.get(str(marker))
                self._note(_hidden_by(marker, self.hidden))
            elif op == "Do" and operands and isinstance(xobjects, pikepdf.Dictionary):
                xobject = xobjects.get(str(operands[0]))
                if isinstance(xobject, pikepdf.Stream):
                    self._note(_hidden_by(xobject.get("/OC"), self.hidden))
                    if str(xobject.get("/Subtype", "")) == "/Form":
                        self.walk(xobject, xobject.get("/Resources", resources), depth + 1)
        self.active.pop()

    def _note(self, name: str | None) -> None:
        if name is not None:
            self.found[name] += 1


def hidden_content_problems(pdf: pikepdf.Pdf) -> list[PageProblem]:
    """An error for every page that paints content in an optional content group that is off by default."""
    hidden = hidden_groups(pdf)
    if not hidden:
        return []
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        finder = _Finder(hidden)
        finder.walk(page, page.obj.get("/Resources"), 0)
        for name, count in finder.found.items():
            times = f" ({count} times)" if count > 1 else ""
            message = f"art in the layer “{name}” is hidden (optional content, off by default){times}"
            problems.append(PageProblem(number, "error", "hidden-content", message, HINT))
    return problems
