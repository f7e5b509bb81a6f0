"""The one content-stream interpreter, an operator handler each: what every operator does to the graphics state,
the path and the text position, and which painting it reports to its painter (the walker that records what a page
paints, the rewriter that sets black overprint)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Protocol

import pikepdf

from brochure_press.pdf.colours import CMYK, GRAY, RGB, Colour, initial_colour, resolve_space
from brochure_press.pdf.coordinates import IDENTITY, Box, Matrix, bounds, intersect, multiply, transform


@dataclass
class State:
    """The graphics state a content stream paints with."""

    ctm: Matrix = IDENTITY
    fill: Colour = field(default_factory=lambda: Colour(GRAY, (0.0,)))
    stroke: Colour = field(default_factory=lambda: Colour(GRAY, (0.0,)))
    line_width: float = 1.0
    font_size: float = 0.0
    horizontal_scale: float = 1.0
    rise: float = 0.0
    leading: float = 0.0
    render_mode: int = 0
    overprint_fill: bool = False
    clip: Box | None = None
    font: pikepdf.Dictionary | None = None

    def copy(self) -> State:
        return replace(self)


def numbers(operands: Iterable[Any]) -> list[float]:
    return [float(o) for o in operands if isinstance(o, int | float | Decimal)]


def matrix(values: Iterable[Any]) -> Matrix:
    v = [float(x) for x in values]
    return (v[0], v[1], v[2], v[3], v[4], v[5]) if len(v) == 6 else IDENTITY


PATH_PAINT = {"S": "s", "s": "s", "f": "f", "F": "f", "f*": "f", "B": "fs", "B*": "fs", "b": "fs", "b*": "fs"}
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
#: Operators that build the current path or make it the clip: nothing else may stand between them and the operator
#: that paints (or ends) the path.
PATH_BUILD = frozenset({"m", "l", "c", "v", "y", "h", "re", "W", "W*"})


class Painter(Protocol):
    """What the handlers report painting and resources to; the graphics state they keep themselves."""

    def paint_path(self, how: str, path: list[tuple[float, float]], state: State, where: str) -> None: ...
    def pattern(self, name: str, resources: pikepdf.Object | None, state: State, where: str, depth: int) -> None: ...
    def graphics_state(
        self, name: str, gs: pikepdf.Dictionary | None, resources: pikepdf.Object | None, state: State, where: str, depth: int
    ) -> None: ...
    def paint_text(self, matrix: Matrix, state: State, where: str) -> None: ...
    def shown(self, font: pikepdf.Dictionary | None, operands: list[Any]) -> None: ...
    def font(self, name: str, resources: pikepdf.Object | None) -> pikepdf.Dictionary | None: ...
    def shading(self, shading: pikepdf.Object, resources: pikepdf.Object | None, box: Box | None, where: str) -> None: ...
    def xobject(self, name: str, resources: pikepdf.Object | None, state: State, where: str, depth: int) -> None: ...
    def inline_image(self, inline: Any, resources: pikepdf.Object | None, state: State, where: str) -> None: ...


@dataclass
class Stream:
    """Where the interpretation of one content stream stands: graphics state, path, text position."""

    walker: Painter
    resources: pikepdf.Object | None
    state: State
    where: str
    depth: int
    stack: list[State] = field(default_factory=list)
    path: list[tuple[float, float]] = field(default_factory=list)
    clipping: bool = False
    text_matrix: Matrix = IDENTITY
    line_matrix: Matrix = IDENTITY

    def move_text(self, matrix: Matrix) -> None:
        self.text_matrix = self.line_matrix = matrix


def _save(s: Stream, op: str, args: list[Any]) -> None:
    s.stack.append(s.state.copy())


def _restore(s: Stream, op: str, args: list[Any]) -> None:
    s.state = s.stack.pop() if s.stack else s.state


def _concat(s: Stream, op: str, args: list[Any]) -> None:
    s.state.ctm = multiply(matrix(args), s.state.ctm)


def _point(s: Stream, op: str, args: list[Any]) -> None:
    s.path.append(transform(s.state.ctm, *numbers(args)[:2]))


def _curve(s: Stream, op: str, args: list[Any]) -> None:
    n = numbers(args)
    s.path.extend(transform(s.state.ctm, n[i], n[i + 1]) for i in range(0, len(n) - 1, 2))


def _rectangle(s: Stream, op: str, args: list[Any]) -> None:
    x, y, w, h = numbers(args)[:4]
    s.path.extend(transform(s.state.ctm, px, py) for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)))


def _clip(s: Stream, op: str, args: list[Any]) -> None:
    s.clipping = True


def _end_path(s: Stream, op: str, args: list[Any]) -> None:
    """A painting operator, or `n`: paint the path, then make it the clip if `W` asked for that."""
    if op != "n":
        s.walker.paint_path(PATH_PAINT[op], s.path, s.state, s.where)
    if s.clipping:
        s.state.clip = intersect(bounds(s.path), s.state.clip)
    s.path, s.clipping = [], False


def _line_width(s: Stream, op: str, args: list[Any]) -> None:
    s.state.line_width = numbers(args)[0] if args else s.state.line_width


def _set_colour(s: Stream, fill: bool, colour: Colour) -> None:
    if fill:
        s.state.fill = colour
    else:
        s.state.stroke = colour


def _device_colour(s: Stream, op: str, args: list[Any]) -> None:
    space = {"g": GRAY, "rg": RGB, "k": CMYK}[op.lower()]
    _set_colour(s, op.islower(), Colour(space, tuple(numbers(args))))


def _colour_space(s: Stream, op: str, args: list[Any]) -> None:
    _set_colour(s, op == "cs", initial_colour(resolve_space(args[0], s.resources) if args else GRAY))


def _colour(s: Stream, op: str, args: list[Any]) -> None:
    current = s.state.fill if op.islower() else s.state.stroke
    pattern = str(args[-1]) if args and isinstance(args[-1], pikepdf.Name) else ""
    _set_colour(s, op.islower(), Colour(current.space, tuple(numbers(args)), pattern))
    if pattern:
        s.walker.pattern(pattern, s.resources, s.state, s.where, s.depth)


def _graphics_state(s: Stream, op: str, args: list[Any]) -> None:
    """`gs`: the line width it sets; the painter is told the state by name, with its dictionary if it has one."""
    if not args:
        return
    states = s.resources.get("/ExtGState") if s.resources is not None else None
    gs = states.get(str(args[0])) if isinstance(states, pikepdf.Dictionary) else None
    gs = gs if isinstance(gs, pikepdf.Dictionary) else None
    if gs is not None and "/LW" in gs:
        s.state.line_width = float(gs.LW)
    s.walker.graphics_state(str(args[0]), gs, s.resources, s.state, s.where, s.depth)


def _begin_text(s: Stream, op: str, args: list[Any]) -> None:
    s.move_text(IDENTITY)


def _text_matrix(s: Stream, op: str, args: list[Any]) -> None:
    s.move_text(matrix(args))


def _text_position(s: Stream, op: str, args: list[Any]) -> None:
    tx, ty = numbers(args)[:2]
    s.state.leading = -ty if op == "TD" else s.state.leading
    s.move_text(multiply((1, 0, 0, 1, tx, ty), s.line_matrix))


def _next_line(s: Stream, op: str, args: list[Any]) -> None:
    s.move_text(multiply((1, 0, 0, 1, 0, -s.state.leading), s.line_matrix))


def _font(s: Stream, op: str, args: list[Any]) -> None:
    if len(args) == 2:
        s.state.font_size = float(args[1])
        s.state.font = s.walker.font(str(args[0]), s.resources)


def _text_state(s: Stream, op: str, args: list[Any]) -> None:
    value = numbers(args)[0] if args else None
    if op == "Tz":
        s.state.horizontal_scale = value / 100 if value is not None else 1.0
    elif op == "Ts":
        s.state.rise = value or 0.0
    elif op == "TL":
        s.state.leading = value or 0.0
    else:
        s.state.render_mode = int(value or 0)


def _show(s: Stream, op: str, args: list[Any]) -> None:
    """Text shown; `'` and `"` move to the next line first."""
    if op in ("'", '"'):
        _next_line(s, op, args)
    s.walker.paint_text(multiply(s.text_matrix, s.state.ctm), s.state, s.where)
    s.walker.shown(s.state.font, args)


def _shading(s: Stream, op: str, args: list[Any]) -> None:
    shadings = s.resources.get("/Shading") if s.resources is not None and args else None
    shading = shadings.get(str(args[0])) if shadings is not None else None
    if shading is not None:
        s.walker.shading(shading, s.resources, s.state.clip, s.where)


def _xobject(s: Stream, op: str, args: list[Any]) -> None:
    if args:
        s.walker.xobject(str(args[0]), s.resources, s.state, s.where, s.depth)


def _inline_image(s: Stream, op: str, args: list[Any]) -> None:
    s.walker.inline_image(args[0].iimage, s.resources, s.state, s.where)


#: What each content-stream operator does to the interpretation; operators not listed change nothing checked.
OPERATORS: dict[str, Callable[[Stream, str, list[Any]], None]] = {
    "q": _save,
    "Q": _restore,
    "cm": _concat,
    "m": _point,
    "l": _point,
    "c": _curve,
    "v": _curve,
    "y": _curve,
    "re": _rectangle,
    "W": _clip,
    "W*": _clip,
    "n": _end_path,
    **dict.fromkeys(PATH_PAINT, _end_path),
    "w": _line_width,
    **dict.fromkeys(("g", "G", "rg", "RG", "k", "K"), _device_colour),
    "cs": _colour_space,
    "CS": _colour_space,
    **dict.fromkeys(("sc", "scn", "SC", "SCN"), _colour),
    "gs": _graphics_state,
    "BT": _begin_text,
    "Tm": _text_matrix,
    "Td": _text_position,
    "TD": _text_position,
    "T*": _next_line,
    "Tf": _font,
    **dict.fromkeys(("Tz", "Ts", "TL", "Tr"), _text_state),
    **dict.fromkeys(TEXT_SHOW, _show),
    "sh": _shading,
    "Do": _xobject,
    "INLINE IMAGE": _inline_image,
}


def step(s: Stream, op: str, instruction: Any) -> None:
    """Interpret one instruction of a content stream (its operator `op`); operators not handled change nothing."""
    handler = OPERATORS.get(op)
    if handler is not None:
        handler(s, op, list(instruction.operands) if op != "INLINE IMAGE" else [instruction])
