"""Black overprint: 100 % K text and thin 100 % K rules print over what lies beneath instead of knocking it out.

Content streams are rewritten: before each painting operator the overprint state it needs is set through an
ExtGState (`/OP`, `/op` and `/OPM 1` on for black, off for everything else), so white and colours never
overprint whatever another graphics state set before. Path painting gets its state before the path is built,
where a graphics state operator is allowed. Forms are rewritten too; tiling patterns keep their own state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pikepdf

from brochure_press.core.policy import THIN_RULE_PT
from brochure_press.pdf.coordinates import Box, Matrix, bounds, scale_of
from brochure_press.pdf.operators import PATH_BUILD, State, Stream, step
from brochure_press.preflight.plates import is_full_black

OVERPRINT = pikepdf.Name("/BPOverprint")
KNOCKOUT = pikepdf.Name("/BPKnockout")
#: Text render modes that fill and that stroke the glyphs.
FILL_MODES, STROKE_MODES = frozenset({0, 2, 4, 6}), frozenset({1, 2, 5, 6})
States = dict[pikepdf.Name, pikepdf.Object]


@dataclass
class _State(State):
    #: The overprint state in force: on, off, or None when a graphics state from elsewhere may have set it.
    overprint: bool | None = False


def _text_overprint(state: State) -> bool | None:
    """The overprint text needs: on when all it paints is 100 % K, off otherwise, None when it paints nothing
    (invisible or clipping only)."""
    fills, strokes = state.render_mode in FILL_MODES, state.render_mode in STROKE_MODES
    if not (fills or strokes):
        return None
    return (not fills or is_full_black(state.fill)) and (not strokes or is_full_black(state.stroke))


def _path_overprint(how: str, path: list[tuple[float, float]], state: State) -> bool:
    """The overprint a path painted `how` (`f`, `s` or `fs`) needs: on for thin 100 % K rules, off otherwise."""
    box = bounds(path)
    thin_bar = box is not None and min(box[2] - box[0], box[3] - box[1]) <= THIN_RULE_PT
    thin_line = state.line_width * scale_of(state.ctm) <= THIN_RULE_PT
    strokes_black = "s" not in how or (is_full_black(state.stroke) and thin_line)
    fills_black = "f" not in how or (is_full_black(state.fill) and thin_bar)
    return strokes_black and fills_black


class _Rewriter:
    """Rewrites one content stream as `pdf.operators` interprets it: each painting the interpreter reports gets the
    overprint graphics state it needs inserted before it (before its path), where the state must change."""

    def __init__(self, resources: pikepdf.Object | None, overprint: bool | None) -> None:
        self.stream = Stream(self, resources, _State(overprint=overprint), "", 0)
        self.out: list[Any] = []
        self.path: list[Any] = []
        self.inserted = 0

    @property
    def state(self) -> _State:
        state = self.stream.state
        assert isinstance(state, _State)
        return state

    def _need(self, wanted: bool | None) -> None:
        if wanted is None or wanted == self.state.overprint:
            return
        self.out.append(pikepdf.ContentStreamInstruction([OVERPRINT if wanted else KNOCKOUT], pikepdf.Operator("gs")))
        self.state.overprint = wanted
        self.inserted += 1

    def flush_path(self) -> None:
        self.out.extend(self.path)
        self.path = []

    def feed(self, instruction: Any) -> None:
        op = str(instruction.operator)
        step(self.stream, op, instruction)
        if op in PATH_BUILD:
            self.path.append(instruction)
            return
        self.flush_path()
        self.out.append(instruction)

    def paint_path(self, how: str, path: list[tuple[float, float]], state: State, where: str) -> None:
        self._need(_path_overprint(how, path, state))

    def paint_text(self, matrix: Matrix, state: State, where: str) -> None:
        self._need(_text_overprint(state))

    def graphics_state(
        self, name: str, gs: pikepdf.Dictionary | None, resources: pikepdf.Object | None, state: State, where: str, depth: int
    ) -> None:
        if gs is None or any(k in gs for k in ("/OP", "/op", "/OPM")):
            self.state.overprint = None

    def shading(self, shading: pikepdf.Object, resources: pikepdf.Object | None, box: Box | None, where: str) -> None:
        self._need(False)

    def xobject(self, name: str, resources: pikepdf.Object | None, state: State, where: str, depth: int) -> None:
        self._need(False)

    def inline_image(self, inline: Any, resources: pikepdf.Object | None, state: State, where: str) -> None:
        self._need(False)

    def pattern(self, name: str, resources: pikepdf.Object | None, state: State, where: str, depth: int) -> None:
        """Tiling patterns keep their own state."""

    def font(self, name: str, resources: pikepdf.Object | None) -> pikepdf.Dictionary | None:
        return None

    def shown(self, font: pikepdf.Dictionary | None, operands: list[Any]) -> None:
        """Which glyphs are shown does not change the overprint they need."""


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
