"""Walking a PDF page's content streams into what is painted: colours, text, strokes, images, transparency."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pikepdf

from brochure_press.pdf.colours import Colour, Space, function_ends, resolve_space
from brochure_press.pdf.coordinates import IDENTITY, Box, Matrix, bounds, intersect, multiply, scale_of, transform
from brochure_press.pdf.jpx import jpx_space
from brochure_press.pdf.operators import State, Stream, matrix, step
from brochure_press.pdf.painted import PageContent, Paint, PlacedImage, ShownFont, Transparency

#: Forms inside forms inside patterns…: deeper nesting than this is not followed.
MAX_DEPTH = 16


def _id(obj: pikepdf.Object) -> tuple[int, int]:
    return obj.objgen if obj.is_indirect else (id(obj), -1)


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
        stream, op = Stream(self, resources, state, where, depth), ""
        try:
            for instruction in instructions:
                op = str(instruction.operator)
                step(stream, op, instruction)
        except (ValueError, IndexError, TypeError, KeyError, AttributeError, ZeroDivisionError, pikepdf.PdfError) as exc:
            self.content.unreadable.append(f"{where}: malformed `{op}` instruction ({exc}); the rest was not checked")

    def paint_path(self, how: str, path: list[tuple[float, float]], state: State, where: str) -> None:
        box = bounds(path)
        if "f" in how:
            self.content.paints.append(Paint("fill", state.fill, box, where, overprint=state.overprint_fill, clip=state.clip))
        if "s" in how:
            width = state.line_width * scale_of(state.ctm)
            self.content.paints.append(Paint("stroke", state.stroke, box, where, line_width=width, clip=state.clip))

    def paint_text(self, matrix: Matrix, state: State, where: str) -> None:
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

    def font(self, name: str, resources: pikepdf.Object | None) -> pikepdf.Dictionary | None:
        fonts = resources.get("/Font") if resources is not None else None
        font = fonts.get(name) if isinstance(fonts, pikepdf.Dictionary) else None
        if not isinstance(font, pikepdf.Dictionary):
            return None
        self.content.fonts.setdefault(str(font.get("/BaseFont", name)), font)
        return font

    def shown(self, font: pikepdf.Dictionary | None, operands: list[Any]) -> None:
        if font is None:
            return
        shown = self.content.shown.setdefault(_id(font), ShownFont(font))
        for operand in operands:
            items = list(operand) if isinstance(operand, pikepdf.Array) else [operand]
            shown.strings.update(bytes(item) for item in items if isinstance(item, pikepdf.String))

    def graphics_state(
        self, name: str, gs: pikepdf.Dictionary | None, resources: pikepdf.Object | None, state: State, where: str, depth: int
    ) -> None:
        if gs is None:
            return
        label = f"graphics state {name}"
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

    def pattern(self, name: str, resources: pikepdf.Object | None, state: State, where: str, depth: int) -> None:
        patterns = resources.get("/Pattern") if resources is not None else None
        pattern = patterns.get(name) if isinstance(patterns, pikepdf.Dictionary) else None
        if pattern is None or _id(pattern) in self.patterns_seen:
            return
        self.patterns_seen.add(_id(pattern))
        label = f"{where}, pattern {name}"
        if int(pattern.get("/PatternType", 0)) == 2 and "/Shading" in pattern:
            self.shading(pattern.Shading, resources, None, label)
        elif isinstance(pattern, pikepdf.Stream):
            inner = State(ctm=matrix(pattern.get("/Matrix", IDENTITY)))
            paints, images = len(self.content.paints), len(self.content.images)
            self._form(pattern, resources, inner, label, depth, is_pattern=True)
            # A tile is painted wherever the pattern fills, which that fill measures: its cell's place is none.
            self.content.paints[paints:] = [replace(p, box=None, clip=None) for p in self.content.paints[paints:]]
            self.content.images[images:] = [replace(i, box=None, clip=None) for i in self.content.images[images:]]

    def shading(self, shading: pikepdf.Object, resources: pikepdf.Object | None, box: Box | None, where: str) -> None:
        space = resolve_space(shading.get("/ColorSpace", pikepdf.Name.DeviceGray), resources)
        ends = [Colour(space, values) for values in function_ends(shading.get("/Function"))]
        colours = ends if ends and all(c.cmyk() is not None for c in ends) else [Colour(space)]
        self.content.paints.extend(Paint("shading", colour, box, where) for colour in colours)

    def xobject(self, name: str, resources: pikepdf.Object | None, state: State, where: str, depth: int) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        xobject = xobjects.get(name) if isinstance(xobjects, pikepdf.Dictionary) else None
        if not isinstance(xobject, pikepdf.Stream):
            return
        subtype = str(xobject.get("/Subtype", ""))
        if subtype == "/Image":
            self._image(name, xobject, resources, state, where)
        elif subtype == "/Form":
            inner = state.copy()
            inner.ctm = multiply(matrix(xobject.get("/Matrix", IDENTITY)), state.ctm)
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
        if space is None and not mask and "JPXDecode" in names and isinstance(image, pikepdf.Stream):
            space = jpx_space(image.read_raw_bytes())
        soft = "/SMask" in image or int(image.get("/SMaskInData", 0)) > 0
        bits = int(image.get("/BitsPerComponent", 1 if mask else 8))
        placed = PlacedImage(name, width, height, box, ppi, space, bits, mask, names, where, image, state.clip)
        self.content.images.append(placed)
        if mask:
            paint = Paint("image-mask", state.fill, box, where, overprint=state.overprint_fill, clip=state.clip)
            self.content.paints.append(paint)
        if soft:
            self.content.transparency.append(Transparency("soft mask", f"{where}, image {name}"))

    def inline_image(self, inline: Any, resources: pikepdf.Object | None, state: State, where: str) -> None:
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
