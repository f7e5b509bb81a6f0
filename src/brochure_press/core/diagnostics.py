"""Diagnostics: located problems collected across stages and raised together."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]
#: What a problem is about, which decides the exit code: `source` (the YAML, the command line, the files an
#: editor controls: exit 2), `layout` (laying out the sources: exit 1), `preflight` (a finished PDF: exit 1).
Kind = Literal["source", "layout", "preflight"]
#: Kinds of error that fail a build rather than reject its input.
FAILURE_KINDS: frozenset[Kind] = frozenset({"layout", "preflight"})


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file (1-based line and column)."""

    path: Path
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return str(self.path)
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem: where, what, and how to fix it."""

    severity: Severity
    code: str
    message: str
    location: Location | None = None
    field: str = ""
    hint: str = ""
    kind: Kind = "source"

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        what = f"{self.field}: " if self.field else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{where}{self.severity}: {what}{self.message}{hint}"


class PageProblem(NamedTuple):
    """A problem on one page of a finished PDF (page None: the whole file), before it is tied to the file."""

    page: int | None
    severity: Severity
    code: str
    message: str
    hint: str = ""


class BuildError(Exception):
    """Raised by library code with every diagnostic it collected; survives pickling between processes."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(list(diagnostics))
        self.diagnostics = list(diagnostics)

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics)


def shown(path: Path) -> Path:
    """A path as short as it can be from the current folder."""
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def displayed(diagnostic: Diagnostic) -> Diagnostic:
    """The diagnostic with its file as short as it can be from the current folder."""
    where = diagnostic.location
    return dataclasses.replace(diagnostic, location=where and dataclasses.replace(where, path=shown(where.path)))


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics that stop a build."""
    return [d for d in diagnostics if d.severity == "error"]


def is_failure(diagnostics: list[Diagnostic]) -> bool:
    """Whether the errors include a failure of the build itself (layout, preflight), not only bad input."""
    return any(d.kind in FAILURE_KINDS for d in errors(diagnostics))


def raise_if_errors(diagnostics: list[Diagnostic]) -> None:
    """Raise a BuildError carrying all diagnostics when any of them is an error."""
    if errors(diagnostics):
        raise BuildError(diagnostics)


def unknown_brochures(wanted: Iterable[str], known: Iterable[str]) -> list[Diagnostic]:
    """An error for each wanted brochure that is not a known one, naming the known ones as the hint."""
    names = list(known)
    hint = f"one of: {', '.join(names)}"
    unknown = [b for b in wanted if b not in names]
    return [Diagnostic("error", "unknown-brochure", f"no brochure `{b}` in brochures/", hint=hint) for b in unknown]
