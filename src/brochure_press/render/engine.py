"""The layout engine as the tool relies on it: the versions that shape a PDF's bytes, and the private WeasyPrint
hooks the tool uses, failing loudly when a new WeasyPrint no longer has or calls them."""

from __future__ import annotations

import ctypes
import importlib.metadata
from collections.abc import Callable
from functools import cache
from typing import Any

from brochure_press.core.diagnostics import BuildError, Diagnostic

#: Python packages whose version changes the bytes of a written PDF: layout and PDF writing, font subsetting,
#: images, hyphenation, CSS, and the finishing step.
BYTE_SHAPERS = ("weasyprint", "pydyf", "pikepdf", "fonttools", "pillow", "pyphen", "tinycss2", "cssselect2", "brotli")
#: Native libraries WeasyPrint shapes and subsets with, and the function that names each one's version.
NATIVE = (("libpango-1.0.so.0", "pango_version_string"), ("libharfbuzz.so.0", "hb_version_string"))
#: HarfBuzz's subsetter: present, WeasyPrint subsets fonts with it; absent, with fontTools (other bytes).
SUBSETTER = "libharfbuzz-subset.so.0"
#: What to do when the engine is not the one the tool was written against.
#: Set on a wrapper `wrap_once` installs, so that installing twice wraps once.
WRAPPED = "_brochure_press_wrapped"
ENGINE_HINT = "install the tested WeasyPrint (see pyproject.toml) with scripts/setup.sh"


def _native_version(library: str, function: str) -> str:
    try:
        version = getattr(ctypes.CDLL(library), function)
    except (OSError, AttributeError):
        return "absent"
    version.restype = ctypes.c_char_p
    return str(version().decode())


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


@cache
def engine_versions() -> dict[str, str]:
    """Name → version of every library that shapes the bytes of a PDF; read without importing WeasyPrint."""
    versions = {name: _package_version(name) for name in BYTE_SHAPERS}
    versions |= {library: _native_version(library, function) for library, function in NATIVE}
    try:
        ctypes.CDLL(SUBSETTER)
        versions[SUBSETTER] = "present"
    except OSError:
        versions[SUBSETTER] = "absent"
    return versions


def engine_error(hook: str, consequence: str) -> BuildError:
    """The error for a private WeasyPrint hook that is gone or no longer called."""
    message = f"WeasyPrint {_package_version('weasyprint')} no longer has or calls `{hook}`: {consequence}"
    return BuildError([Diagnostic("error", "engine", message, hint=ENGINE_HINT, kind="layout")])


def page_box(page: Any) -> Any:
    """The root box of a laid-out page (`Page._page_box`), which fit checks walk."""
    try:
        return page._page_box
    except AttributeError:
        raise engine_error("weasyprint.document.Page._page_box", "panels cannot be measured for fit") from None


def wrap_once(owner: Any, name: str, hook: str, consequence: str, wrap: Callable[[Any], Any]) -> None:
    """Replace `owner.name`, the private WeasyPrint function `hook`, by `wrap(original)`, once per process; an
    error saying what is lost (`consequence`) when WeasyPrint has no such function."""
    original = getattr(owner, name, None)
    if original is None:
        raise engine_error(hook, consequence)
    if getattr(original, WRAPPED, False):
        return
    wrapper = wrap(original)
    setattr(wrapper, WRAPPED, True)
    setattr(owner, name, wrapper)
