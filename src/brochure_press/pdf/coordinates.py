"""Coordinates in PDF user space: matrices, points and boxes, in points (MM of them to the millimetre)."""

from __future__ import annotations

import math
from collections.abc import Iterable

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
#: Points to the millimetre.
MM = 72 / 25.4


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """The matrix that applies `m`, then `n` (PDF's `m × n`)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def transform(m: Matrix, x: float, y: float) -> tuple[float, float]:
    """A point mapped by `m`."""
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def bounds(points: Iterable[tuple[float, float]]) -> Box | None:
    """The smallest box around `points`, or None when there are none."""
    xs, ys = [], []
    for x, y in points:
        xs.append(x)
        ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def intersect(box: Box | None, clip: Box | None) -> Box | None:
    """The part of `box` inside `clip`, a box of no area when nothing is left; when one is None (unknown or
    unclipped), the other one."""
    if box is None or clip is None:
        return box or clip
    x0, y0 = max(box[0], clip[0]), max(box[1], clip[1])
    return (x0, y0, max(x0, min(box[2], clip[2])), max(y0, min(box[3], clip[3])))


def scale_of(m: Matrix) -> float:
    """How much `m` enlarges lengths, on average over both axes."""
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))
