"""PDF colour spaces and colours, reduced to what print checks ask: family, process inks, registration."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

import pikepdf

#: Process colorant names of Separation and DeviceN colour spaces, and the CMYK channel each one is.
PROCESS = {"Cyan": 0, "Magenta": 1, "Yellow": 2, "Black": 3}


@dataclass(frozen=True)
class Space:
    """A colour space reduced to what preflight asks of it."""

    family: Literal["gray", "rgb", "cmyk", "lab", "separation", "devicen", "indexed", "pattern", "unknown"]
    components: int
    name: str
    icc: bool = False
    colorants: tuple[str, ...] = ()
    base: Space | None = None

    @property
    def effective(self) -> Space:
        """The space colours really come from: an indexed space's base, else itself."""
        return self.base.effective if self.family == "indexed" and self.base else self


GRAY = Space("gray", 1, "DeviceGray")
RGB = Space("rgb", 3, "DeviceRGB")
CMYK = Space("cmyk", 4, "DeviceCMYK")
PATTERN = Space("pattern", 0, "Pattern")
DEVICE_SPACES = {
    "/DeviceGray": GRAY,
    "/G": GRAY,
    "/CalGray": GRAY,
    "/DeviceRGB": RGB,
    "/RGB": RGB,
    "/CalRGB": RGB,
    "/DeviceCMYK": CMYK,
    "/CMYK": CMYK,
    "/Pattern": PATTERN,
}


@dataclass(frozen=True)
class Colour:
    """A colour set in the graphics state: its space and component values (0–1)."""

    space: Space
    values: tuple[float, ...] = ()
    pattern: str = ""

    def cmyk(self) -> tuple[float, float, float, float] | None:
        """The process inks (0–1) this colour prints with, when it is made of process inks."""
        space, v = self.space, self.values
        if space.family == "cmyk" and len(v) == 4:
            return (v[0], v[1], v[2], v[3])
        if space.family == "gray" and len(v) == 1:
            return (0.0, 0.0, 0.0, 1.0 - v[0])
        if space.family in ("separation", "devicen") and len(v) == len(space.colorants):
            if space.colorants == ("All",):
                return (v[0],) * 4
            if all(name in PROCESS or name == "None" for name in space.colorants):
                inks = [0.0] * 4
                for name, value in zip(space.colorants, v, strict=True):
                    if name in PROCESS:
                        inks[PROCESS[name]] = value
                return (inks[0], inks[1], inks[2], inks[3])
        return None

    @property
    def registration(self) -> bool:
        """Whether this is the `All` separation that prints on every plate."""
        return self.space.family == "separation" and self.space.colorants == ("All",)


def initial_colour(space: Space) -> Colour:
    """The colour `cs`/`CS` sets before any `sc`: black, or full tint for separations."""
    if space.family == "cmyk":
        return Colour(space, (0.0, 0.0, 0.0, 1.0))
    if space.family in ("separation", "devicen"):
        return Colour(space, (1.0,) * space.components)
    return Colour(space, (0.0,) * space.components)


def resolve_space(obj: Any, resources: pikepdf.Object | None, depth: int = 0) -> Space:
    """The colour space a name or array in a content stream or dictionary stands for."""
    if depth > 8:
        return Space("unknown", 0, "nested too deep")
    if isinstance(obj, pikepdf.Name):
        name = str(obj)
        if name in DEVICE_SPACES:
            return DEVICE_SPACES[name]
        named = resources.get("/ColorSpace") if resources is not None else None
        if isinstance(named, pikepdf.Dictionary) and name in named:
            return resolve_space(named[name], resources, depth + 1)
        return Space("unknown", 0, name.lstrip("/"))
    if isinstance(obj, pikepdf.Array) and len(obj):
        head = str(obj[0])
        if len(obj) == 1:
            return resolve_space(obj[0], resources, depth + 1)
        if head == "/ICCBased":
            n = int(obj[1].get("/N", 0))
            family = {1: "gray", 3: "rgb", 4: "cmyk"}.get(n, "unknown")
            return Space(family, n, f"ICCBased ({n} components)", icc=True)  # type: ignore[arg-type]
        if head in ("/CalRGB", "/CalGray"):
            return replace(DEVICE_SPACES[head], name=head.lstrip("/"))
        if head == "/Lab":
            return Space("lab", 3, "Lab")
        if head == "/Separation":
            colorant = str(obj[1]).lstrip("/")
            return Space("separation", 1, f"Separation {colorant}", colorants=(colorant,))
        if head == "/DeviceN":
            names = tuple(str(n).lstrip("/") for n in obj[1])
            return Space("devicen", len(names), f"DeviceN {' '.join(names)}", colorants=names)
        if head in ("/Indexed", "/I"):
            return Space("indexed", 1, "Indexed", base=resolve_space(obj[1], resources, depth + 1))
        if head == "/Pattern":
            return replace(PATTERN, base=resolve_space(obj[1], resources, depth + 1))
    return Space("unknown", 0, str(obj)[:40])


def cmyk_text(inks: tuple[float, ...]) -> str:
    """A CMYK colour as printers write it: `C100 M70 Y0 K30`."""
    return " ".join(f"{ch}{round(v * 100):g}" for ch, v in zip("CMYK", inks, strict=True))


def function_ends(function: Any) -> Iterator[tuple[float, ...]]:
    """Colour values at the ends of a shading's function, where they can be read without evaluating it."""
    if isinstance(function, pikepdf.Array):
        parts = [list(function_ends(f)) for f in function]
        if parts and all(len(p) == 2 for p in parts):
            yield tuple(v for p in parts for v in p[0])
            yield tuple(v for p in parts for v in p[1])
        return
    if not isinstance(function, pikepdf.Dictionary | pikepdf.Stream):
        return
    kind = int(function.get("/FunctionType", -1))
    if kind == 2:
        yield tuple(float(v) for v in function.get("/C0", [0.0]))
        yield tuple(float(v) for v in function.get("/C1", [1.0]))
    elif kind == 3:
        for part in function.get("/Functions", []):
            yield from function_ends(part)
