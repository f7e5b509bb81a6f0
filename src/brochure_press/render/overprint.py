"""Black overprint: 100 % K text and thin 100 % K rules print over what lies beneath instead of knocking it out.

Content streams are rewritten: before each painting operator the overprint state it needs is set through an
ExtGState (`/OP`, `/op` and `/OPM 1` on for black, off for everything else), so white and colours never
overprint whatever another graphics state set before. Path painting gets its state before the path is built,
where a graphics state operator is allowed. Forms are rewritten too; tiling patterns keep their own state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pikepdf

from brochure_press.pdf.colours import CMYK, GRAY, RGB, Colour, initial_colour, resolve_space
from brochure_press.pdf.coordinates import Matrix, bounds, multiply, scale_of, transform
from brochure_press.pdf.operators import TEXT_SHOW, State, numbers
from brochure_press.preflight.plates import is_full_black

#: Rules (strokes and filled bars) at most this thick, in points as printed, overprint when 100 % K.
THIN_RULE_PT = 2.0
OVERPRINT = pikepdf.Name("/BPOverprint")
KNOCKOUT = pikepdf.Name("/BPKnockout")
PATH_BUILD = frozenset({"m", "l", "c", "v", "y", "h", "re", "W", "W*"})
STROKES = frozenset({"S", "s", "B", "B*", "b", "b*"})
FILLS = frozenset({"f", "F", "f*", "B", "B*", "b", "b*"})
#: Text render modes that fill and that stroke the glyphs.
FILL_MODES, STROKE_MODES = frozenset({0, 2, 4, 6}), frozenset({1, 2, 5, 6})
OTHER_PAINT = frozenset({"sh", "Do", "INLINE IMAGE"})
States = dict[pikepdf.Name, pikepdf.Object]


@dataclass
class _State(State):
    #: The overprint state in force: on, off, or None when a graphics state from elsewhere may have set it.
    overprint: bool | None = False


def _path_points(instruction: pikepdf.ContentStreamInstruction, ctm: Matrix) -> list[tuple[float, float]]:
    n = numbers(instruction.operands)
    if str(instruction.operator) == "re" and len(n) == 4:
        x, y, w, h = n
        return [transform(ctm, px, py) for px, py in ((x, y), (x + w, y + h))]
    return [transform(ctm, n[i], n[i + 1]) for i in range(0, len(n) - 1, 2)]


def _wants_overprint(op: str, state: _State, path: list[tuple[float, float]]) -> bool | None:
    """The overprint a painting operator needs: on for 100 % K text and thin 100 % K rules, off for
    anything else, None for text that paints nothing (invisible or clipping only)."""
    if op in TEXT_SHOW:
        fills, strokes = state.render_mode in FILL_MODES, state.render_mode in STROKE_MODES
        if not (fills or strokes):
            return None
        return (not fills or is_full_black(state.fill)) and (not strokes or is_full_black(state.stroke))
    box = bounds(path)
    thin_bar = box is not None and min(box[2] - box[0], box[3] - box[1]) <= THIN_RULE_PT
    thin_line = state.line_width * scale_of(state.ctm) <= THIN_RULE_PT
    strokes_black = op not in STROKES or (is_full_black(state.stroke) and thin_line)
    fills_black = op not in FILLS or (is_full_black(state.fill) and thin_bar)
    return strokes_black and fills_black


class _Rewriter:
    """Rewrites one content stream, inserting overprint graphics states where the state must change."""

    def __init__(self, resources: pikepdf.Object | None, overprint: bool | None) -> None:
        self.resources = resources
        self.state = _State(overprint=overprint)
        self.stack: list[_State] = []
        self.out: list[Any] = []
        self.path: list[Any] = []
        self.points: list[tuple[float, float]] = []
        self.inserted = 0

    def _set_colour(self, op: str, operands: list[Any]) -> None:
        fill = op[0].islower()
        current = self.state.fill if fill else self.state.stroke
        if op.lower() in ("g", "rg", "k"):
            colour = Colour({"g": GRAY, "rg": RGB, "k": CMYK}[op.lower()], tuple(numbers(operands)))
        elif op.lower() == "cs":
            colour = initial_colour(resolve_space(operands[0], self.resources) if operands else GRAY)
        else:
            colour = Colour(current.space, tuple(numbers(operands)))
        if fill:
            self.state.fill = colour
        else:
            self.state.stroke = colour

    def _graphics_state(self, operands: list[Any]) -> None:
        states = self.resources.get("/ExtGState") if self.resources is not None else None
        gs = states.get(operands[0]) if operands and isinstance(states, pikepdf.Dictionary) else None
        if not isinstance(gs, pikepdf.Dictionary) or any(k in gs for k in ("/OP", "/op", "/OPM")):
            self.state.overprint = None
        if isinstance(gs, pikepdf.Dictionary) and "/LW" in gs:
            self.state.line_width = float(gs.LW)

    def _need(self, wanted: bool | None) -> None:
        if wanted is None or wanted == self.state.overprint:
            return
        self.out.append(pikepdf.ContentStreamInstruction([OVERPRINT if wanted else KNOCKOUT], pikepdf.Operator("gs")))
        self.state.overprint = wanted
        self.inserted += 1

    def flush_path(self) -> None:
        self.out.extend(self.path)
        self.path, self.points = [], []

    def feed(self, instruction: Any) -> None:
        op = str(instruction.operator)
        operands = list(instruction.operands) if op != "INLINE IMAGE" else []
        if op in PATH_BUILD:
            self.path.append(instruction)
            self.points.extend(_path_points(instruction, self.state.ctm))
            return
        if op in STROKES or op in FILLS:
            self._need(_wants_overprint(op, self.state, self.points))
        elif op in TEXT_SHOW:
            self._need(_wants_overprint(op, self.state, []))
        elif op in OTHER_PAINT:
            self._need(False)
        self.flush_path()
        self.out.append(instruction)
        if op == "q":
            self.stack.append(replace(self.state))
        elif op == "Q" and self.stack:
            self.state = self.stack.pop()
        elif op == "cm":
            values = numbers(operands)
            if len(values) == 6:
                self.state.ctm = multiply((values[0], values[1], values[2], values[3], values[4], values[5]), self.state.ctm)
        elif op == "w" and operands:
            self.state.line_width = numbers(operands)[0]
        elif op == "Tr" and operands:
            self.state.render_mode = int(numbers(operands)[0])
        elif op in ("g", "G", "rg", "RG", "k", "K", "cs", "CS", "sc", "scn", "SC", "SCN"):
            self._set_colour(op, operands)
        elif op == "gs":
            self._graphics_state(operands)


def _states(pdf: pikepdf.Pdf) -> States:
    """The two graphics states the rewritten content switches between."""
    return {
        OVERPRINT: pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=True, op=True, OPM=1)),
        KNOCKOUT: pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=False, op=False)),
    }


def _rewrite(source: Any, resources: pikepdf.Object | None, overprint: bool | None, states: States) -> bytes | None:
    """The rewritten content, or None when nothing needed to change."""
    rewriter = _Rewriter(resources, overprint)
    for instruction in pikepdf.parse_content_stream(source):
        rewriter.feed(instruction)
    rewriter.flush_path()
    if not rewriter.inserted or not isinstance(resources, pikepdf.Dictionary):
        return None
    if pikepdf.Name.ExtGState not in resources:
        resources.ExtGState = pikepdf.Dictionary()
    for name, state in states.items():
        resources.ExtGState[name] = state
    return bytes(pikepdf.unparse_content_stream(rewriter.out))


def _forms(resources: pikepdf.Object | None) -> list[pikepdf.Stream]:
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(xobjects, pikepdf.Dictionary):
        return []
    return [x for _, x in sorted(xobjects.items()) if isinstance(x, pikepdf.Stream) and x.get("/Subtype") == "/Form"]


def overprint_black(pdf: pikepdf.Pdf) -> None:
    """Make 100 % K text and thin 100 % K rules overprint on every page and in every form drawn on it."""
    done: set[tuple[int, int]] = set()
    states = _states(pdf)
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        content = _rewrite(page, resources, False, states)
        if content is not None:
            page.obj.Contents = pdf.make_stream(content)
        pending = _forms(resources)
        while pending:
            form = pending.pop()
            if form.objgen in done:
                continue
            done.add(form.objgen)
            inner = form.get("/Resources", resources)
            content = _rewrite(form, inner, None, states)
            if content is not None:
                form.write(content)
            pending.extend(_forms(inner))
