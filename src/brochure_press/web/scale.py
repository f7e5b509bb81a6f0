"""The web edition's type scale: sizes in rem, so text follows the reader's font setting, per language."""

from __future__ import annotations

from brochure_press.compose.typography import Sizes
from brochure_press.core.model import TypeScale

#: Body text of the source language on a screen, in rem (18 px at a browser's default 16 px).
BODY_REM = 1.125
#: Footer and other small text, relative to the body: a step under it, never print's 7.5 pt.
SMALL = 0.875


def web_sizes(source: TypeScale) -> Sizes:
    """Sizes for screens: each language's body text as large as the source language's, or larger where its print
    body is (print shrinks some scripts to fit the panels; a screen has room), and its headings and title in the
    proportions of its own print scale."""

    def sizes(scale: TypeScale) -> dict[str, str]:
        body = BODY_REM * max(1.0, scale.body / source.body)
        steps = {"body": 1.0, "heading": scale.heading / scale.body, "subheading": scale.subheading / scale.body}
        steps |= {"title": scale.title / scale.body, "small": SMALL}
        return {name: f"{body * step:.4g}rem" for name, step in steps.items()}

    return sizes
