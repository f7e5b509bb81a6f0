"""Walking a PDF page's content streams into what is painted: colours, text, strokes, images, transparency."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

import pikepdf

from brochure_press.pdf.colours import CMYK, GRAY, RGB, Colour, Space, function_ends, initial_colour, resolve_space
from brochure_press.pdf.coordinates import IDENTITY, Box, Matrix, bounds, intersect, multiply, scale_of, transform

#: Forms inside forms inside patterns…: deeper nesting than this is not followed.
MAX_DEPTH = 16


@dataclass(frozen=True)
class Paint:
    """One painting operation: what kind, in which colour, where (page space, points), and the clipping
    path's box around it; for text, its font's `/BaseFont`."""

    kind: Literal["fill", "stroke", "text", "text-stroke", "shading", "image-mask"]
    colour: Colour
    box: Box | None
    where: str
    line_width: float = 0.0
    font_size: float = 0.0
    overprint: bool = False
    clip: Box | None = None
    font: str = ""

    @property
    def visible(self) -> Box | None:
        """What can show of it: its box within the clip."""
        return intersect(self.box, self.clip)


@dataclass(frozen=True)
class PlacedImage:
    """An image drawn on the page, with its pixels, placed size and colour."""

    name: str
    width: int
    height: int
    box: Box | None
    ppi: float
    space: Space | None
    bits: int
    mask: bool
    soft_mask: bool
    filters: tuple[str, ...]
    where: str
    obj: pikepdf.Object = field(compare=False, repr=False)
    clip: Box | None = None

    @property
    def inline(self) -> bool:
        return not isinstance(self.obj, pikepdf.Stream)


@dataclass(frozen=True)
class Transparency:
    """Something that makes the page use transparency, and the colour space it blends in."""

    what: str
    where: str
    space: Space | None = None


@dataclass
class ShownFont:
    """A font used on a page and the strings shown with it (its character codes)."""

    font: pikepdf.Dictionary
    strings: set[bytes] = field(default_factory=set)


@dataclass
class PageContent:
    """Everything a page paints, gathered from its content streams, forms and patterns."""

    paints: list[Paint] = field(default_factory=list)
    images: list[PlacedImage] = field(default_factory=list)
    transparency: list[Transparency] = field(default_factory=list)
    fonts: dict[str, pikepdf.Dictionary] = field(default_factory=dict)
    shown: dict[tuple[int, int], ShownFont] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)


@dataclass
class State:
    """What a content stream has set so far that decides how the next operator paints."""

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


def _numbers(operands: Iterable[Any]) -> list[float]:
    return [float(o) for o in operands if isinstance(o, int | float | Decimal)]


def _matrix(values: Iterable[Any]) -> Matrix:
    v = [float(x) for x in values]
    return (v[0], v[1], v[2], v[3], v[4], v[5]) if len(v) == 6 else IDENTITY


def _id(obj: pikepdf.Object) -> tuple[int, int]:
    return obj.objgen if obj.is_indirect else (id(obj), -1)


PATH_PAINT = {"S": "s", "s": "s", "f": "f", "F": "f", "f*": "f", "B": "fs", "B*": "fs", "b": "fs", "b*": "fs"}
TEXT_SHOW = {"Tj", "TJ", "'", '"'}


class _Walker:
    """Interprets content streams far enough to know what every painting operator paints."""

    def __init__(self, content: PageContent) -> None:
        self.content = content
        self.active: list[tuple[int, int]] = []
        self.patterns_seen: set[tuple[int, int]] = set()

    def walk(self, source: Any, resources: pikepdf.Object | None, state: State, where: str, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            self.content.unreadable.append(f"{where}: nested deeper than {MAX_DEPTH} levels, not checked")
            return
        try:
            instructions = pikepdf.parse_content_stream(source)
        except (pikepdf.PdfError, TypeError, ValueError) as exc:
            self.content.unreadable.append(f"{where}: content stream cannot be read ({exc})")
            return
        stack: list[State] = []
        path: list[tuple[float, float]] = []
        text_matrix = line_matrix = IDENTITY
        op, clipping = "", False
        try:
            for instruction in instructions:
                op = str(instruction.operator)
                args = list(instruction.operands) if op != "INLINE IMAGE" else []
                if op == "q":
                    stack.append(state.copy())
                elif op == "Q":
                    state = stack.pop() if stack else state
                elif op == "cm":
                    state.ctm = multiply(_matrix(args), state.ctm)
                elif op in ("m", "l"):
                    path.append(transform(state.ctm, *_numbers(args)[:2]))
                elif op in ("c", "v", "y"):
                    n = _numbers(args)
                    path.extend(transform(state.ctm, n[i], n[i + 1]) for i in range(0, len(n) - 1, 2))
                elif op == "re":
                    x, y, w, h = _numbers(args)[:4]
                    path.extend(transform(state.ctm, px, py) for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)))
                elif op in ("W", "W*"):
                    clipping = True
                elif op in PATH_PAINT or op == "n":
                    if op != "n":
                        self._paint_path(PATH_PAINT[op], path, state, where)
                    if clipping:
                        state.clip = intersect(bounds(path), state.clip)
                    path, clipping = [], False
                elif op == "w":
                    state.line_width = _numbers(args)[0] if args else state.line_width
                elif op in ("g", "G", "rg", "RG", "k", "K"):
                    space = {"g": GRAY, "rg": RGB, "k": CMYK}[op.lower()]
                    self._set(state, op.islower(), Colour(space, tuple(_numbers(args))))
                elif op in ("cs", "CS"):
                    self._set(state, op == "cs", initial_colour(resolve_space(args[0], resources) if args else GRAY))
                elif op in ("sc", "scn", "SC", "SCN"):
                    current = state.fill if op.islower() else state.stroke
                    pattern = str(args[-1]) if args and isinstance(args[-1], pikepdf.Name) else ""
                    self._set(state, op.islower(), Colour(current.space, tuple(_numbers(args)), pattern))
                    if pattern:
                        self._pattern(pattern, resources, state, where, depth)
                elif op == "gs" and args:
                    self._graphics_state(str(args[0]), resources, state, where, depth)
                elif op == "BT":
                    text_matrix = line_matrix = IDENTITY
                elif op == "Tm":
                    text_matrix = line_matrix = _matrix(args)
                elif op in ("Td", "TD"):
                    tx, ty = _numbers(args)[:2]
                    state.leading = -ty if op == "TD" else state.leading
                    text_matrix = line_matrix = multiply((1, 0, 0, 1, tx, ty), line_matrix)
                elif op in ("T*", "'", '"'):
                    text_matrix = line_matrix = multiply((1, 0, 0, 1, 0, -state.leading), line_matrix)
                elif op == "Tf" and len(args) == 2:
                    state.font_size = float(args[1])
                    state.font = self._font(str(args[0]), resources)
                elif op == "Tz":
                    state.horizontal_scale = _numbers(args)[0] / 100 if args else 1.0
                elif op == "Ts":
                    state.rise = _numbers(args)[0] if args else 0.0
                elif op == "TL":
                    state.leading = _numbers(args)[0] if args else 0.0
                elif op == "Tr":
                    state.render_mode = int(_numbers(args)[0]) if args else 0
                if op in TEXT_SHOW:
                    self._paint_text(multiply(text_matrix, state.ctm), state, where)
                    self._shown(state.font, args)
                elif op == "sh" and args:
                    shadings = resources.get("/Shading") if resources is not None else None
                    shading = shadings.get(str(args[0])) if shadings is not None else None
                    if shading is not None:
                        self._shading(shading, resources, state.clip, where)
                elif op == "Do" and args:
                    self._xobject(str(args[0]), resources, state, where, depth)
                elif op == "INLINE IMAGE":
                    self._inline_image(instruction.iimage, resources, state, where)  # type: ignore[union-attr]
        except (ValueError, IndexError, TypeError, KeyError, AttributeError, ZeroDivisionError, pikepdf.PdfError) as exc:
            self.content.unreadable.append(f"{where}: malformed `{op}` instruction ({exc}); the rest was not checked")

    def _set(self, state: State, fill: bool, colour: Colour) -> None:
        if fill:
            state.fill = colour
        else:
            state.stroke = colour

    def _paint_path(self, how: str, path: list[tuple[float, float]], state: State, where: str) -> None:
        box = bounds(path)
        if "f" in how:
            self.content.paints.append(Paint("fill", state.fill, box, where, overprint=state.overprint_fill, clip=state.clip))
        if "s" in how:
            width = state.line_width * scale_of(state.ctm)
            self.content.paints.append(Paint("stroke", state.stroke, box, where, line_width=width, clip=state.clip))

    def _paint_text(self, matrix: Matrix, state: State, where: str) -> None:
        glyph = multiply((state.font_size * state.horizontal_scale, 0, 0, state.font_size, 0, state.rise), matrix)
        size = math.hypot(glyph[2], glyph[3])
        box = bounds([transform(glyph, 0, -0.25), transform(glyph, 0, 1.0)])
        mode = state.render_mode
        if mode in (0, 2, 4, 6):
            font = str(state.font.get("/BaseFont", "")) if state.font is not None else ""
            paint = Paint("text", state.fill, box, where, 0.0, size, state.overprint_fill, state.clip, font)
            self.content.paints.append(paint)
        if mode in (1, 2, 5, 6):
            self.content.paints.append(Paint("text-stroke", state.stroke, box, where, state.line_width, size, clip=state.clip))

    def _font(self, name: str, resources: pikepdf.Object | None) -> pikepdf.Dictionary | None:
        fonts = resources.get("/Font") if resources is not None else None
        font = fonts.get(name) if isinstance(fonts, pikepdf.Dictionary) else None
        if not isinstance(font, pikepdf.Dictionary):
            return None
        self.content.fonts.setdefault(str(font.get("/BaseFont", name)), font)
        return font

    def _shown(self, font: pikepdf.Dictionary | None, operands: list[Any]) -> None:
        if font is None:
            return
        shown = self.content.shown.setdefault(_id(font), ShownFont(font))
        for operand in operands:
            items = list(operand) if isinstance(operand, pikepdf.Array) else [operand]
            shown.strings.update(bytes(item) for item in items if isinstance(item, pikepdf.String))

    def _graphics_state(self, name: str, resources: pikepdf.Object | None, state: State, where: str, depth: int) -> None:
        states = resources.get("/ExtGState") if resources is not None else None
        gs = states.get(name) if isinstance(states, pikepdf.Dictionary) else None
        if not isinstance(gs, pikepdf.Dictionary):
            return
        label = f"graphics state {name}"
        if "/LW" in gs:
            state.line_width = float(gs.LW)
        if "/OP" in gs:
            state.overprint_fill = bool(gs.OP)
        if "/op" in gs:
            state.overprint_fill = bool(gs.op)
        for key, what in (("/CA", "stroke opacity"), ("/ca", "fill opacity")):
            if key in gs and float(gs[key]) < 1:
                self.content.transparency.append(Transparency(f"{what} {float(gs[key]):g}", f"{where}, {label}"))
        mode = gs.get("/BM")
        modes = [str(m) for m in mode] if isinstance(mode, pikepdf.Array) else [str(mode)] if mode is not None else []
        if modes and modes[0] not in ("/Normal", "/Compatible"):
            self.content.transparency.append(Transparency(f"blend mode {modes[0].lstrip('/')}", f"{where}, {label}"))
        mask = gs.get("/SMask")
        if isinstance(mask, pikepdf.Dictionary):
            group = mask.get("/G")
            self.content.transparency.append(Transparency("soft mask", f"{where}, {label}", self._group_space(group)))
            if isinstance(group, pikepdf.Stream):
                self._form(group, resources, state.copy(), f"{where}, soft mask of {label}", depth)

    def _group_space(self, form: Any) -> Space | None:
        group = form.get("/Group") if isinstance(form, pikepdf.Stream) else None
        if isinstance(group, pikepdf.Dictionary) and "/CS" in group:
            return resolve_space(group.CS, form.get("/Resources"))
        return None

    def _pattern(self, name: str, resources: pikepdf.Object | None, state: State, where: str, depth: int) -> None:
        patterns = resources.get("/Pattern") if resources is not None else None
        pattern = patterns.get(name) if isinstance(patterns, pikepdf.Dictionary) else None
        if pattern is None or _id(pattern) in self.patterns_seen:
            return
        self.patterns_seen.add(_id(pattern))
        label = f"{where}, pattern {name}"
        if int(pattern.get("/PatternType", 0)) == 2 and "/Shading" in pattern:
            self._shading(pattern.Shading, resources, None, label)
        elif isinstance(pattern, pikepdf.Stream):
            inner = State(ctm=_matrix(pattern.get("/Matrix", IDENTITY)))
            self._form(pattern, resources, inner, label, depth, is_pattern=True)

    def _shading(self, shading: pikepdf.Object, resources: pikepdf.Object | None, box: Box | None, where: str) -> None:
        space = resolve_space(shading.get("/ColorSpace", pikepdf.Name.DeviceGray), resources)
        ends = [Colour(space, values) for values in function_ends(shading.get("/Function"))]
        colours = ends if ends and all(c.cmyk() is not None for c in ends) else [Colour(space)]
        self.content.paints.extend(Paint("shading", colour, box, where) for colour in colours)

    def _xobject(self, name: str, resources: pikepdf.Object | None, state: State, where: str, depth: int) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        xobject = xobjects.get(name) if isinstance(xobjects, pikepdf.Dictionary) else None
        if not isinstance(xobject, pikepdf.Stream):
            return
        subtype = str(xobject.get("/Subtype", ""))
        if subtype == "/Image":
            self._image(name, xobject, resources, state, where)
        elif subtype == "/Form":
            inner = state.copy()
            inner.ctm = multiply(_matrix(xobject.get("/Matrix", IDENTITY)), state.ctm)
            if "/BBox" in xobject:
                x0, y0, x1, y1 = (float(v) for v in list(xobject.BBox)[:4])
                corners = ((x0, y0), (x1, y0), (x0, y1), (x1, y1))
                inner.clip = intersect(bounds(transform(inner.ctm, x, y) for x, y in corners), state.clip)
            self._form(xobject, resources, inner, f"{where}, form {name}", depth)

    def _form(
        self, form: pikepdf.Stream, parent: pikepdf.Object | None, state: State, where: str, depth: int, is_pattern: bool = False
    ) -> None:
        key = _id(form)
        if key in self.active:
            self.content.unreadable.append(f"{where}: draws itself (a cycle), not followed")
            return
        group = form.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and str(group.get("/S", "")) == "/Transparency":
            self.content.transparency.append(Transparency("transparency group", where, self._group_space(form)))
        resources = form.get("/Resources", parent if not is_pattern else None)
        self.active.append(key)
        try:
            self.walk(form, resources, state, where, depth + 1)
        finally:
            self.active.pop()

    def _image(self, name: str, image: pikepdf.Object, resources: pikepdf.Object | None, state: State, where: str) -> None:
        ctm = state.ctm
        box = bounds(transform(ctm, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1)))
        width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        placed_w, placed_h = math.hypot(ctm[0], ctm[1]), math.hypot(ctm[2], ctm[3])
        ppi = min(width / (placed_w / 72) if placed_w else math.inf, height / (placed_h / 72) if placed_h else math.inf)
        mask = bool(image.get("/ImageMask", False))
        filters = image.get("/Filter")
        names = (
            tuple(str(f).lstrip("/") for f in filters)
            if isinstance(filters, pikepdf.Array)
            else ((str(filters).lstrip("/"),) if filters is not None else ())
        )
        space = None if mask or "/ColorSpace" not in image else resolve_space(image.ColorSpace, resources)
        soft = "/SMask" in image or int(image.get("/SMaskInData", 0)) > 0
        bits = int(image.get("/BitsPerComponent", 1 if mask else 8))
        placed = PlacedImage(name, width, height, box, ppi, space, bits, mask, soft, names, where, image, state.clip)
        self.content.images.append(placed)
        if mask:
            paint = Paint("image-mask", state.fill, box, where, overprint=state.overprint_fill, clip=state.clip)
            self.content.paints.append(paint)
        if soft:
            self.content.transparency.append(Transparency("soft mask", f"{where}, image {name}"))

    def _inline_image(self, inline: Any, resources: pikepdf.Object | None, state: State, where: str) -> None:
        obj = getattr(inline, "obj", None)
        if isinstance(obj, pikepdf.Dictionary):
            self._image("(inline)", obj, resources, state, where)


def page_content(page: pikepdf.Page) -> PageContent:
    """What one page paints, following forms, tiling and shading patterns, soft masks and images."""
    content = PageContent()
    walker = _Walker(content)
    group = page.obj.get("/Group")
    if isinstance(group, pikepdf.Dictionary) and str(group.get("/S", "")) == "/Transparency":
        space = resolve_space(group.CS, page.obj.get("/Resources")) if "/CS" in group else None
        content.transparency.append(Transparency("page transparency group", "page", space))
    walker.walk(page, page.obj.get("/Resources"), State(), "page")
    return content
