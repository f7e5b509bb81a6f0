"""Text bound for a terminal: control characters from sources never reach it raw, so no escape sequence in a
brochure can clear the screen, retitle the window or forge a confirmation."""

from __future__ import annotations

import os
import re
from typing import TextIO

#: Set to `visual` by a user whose terminal neither joins Arabic letters nor runs them right to left (xterm, kitty,
#: Alacritty, Windows Terminal): quoted Arabic is then sent to it shaped and in display order.
ARABIC_DISPLAY = "BROCHURE_PRESS_ARABIC"
#: C0 controls but tab and line feed, DEL, C1 controls, and the bidi controls that reorder what a terminal shows.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with each control character shown as its code point, `<U+001B>`, instead of acting on the terminal."""
    return _CONTROLS.sub(lambda match: f"<U+{ord(match.group()):04X}>", text)


def printable_json(text: str) -> str:
    """JSON text with every control character left in its strings written as a `\\u` escape (JSON itself escapes
    only C0 controls; a C1 control such as U+009B starts an escape sequence in some terminals)."""
    return _CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def shaping_less(stream: TextIO) -> bool:
    """Whether Arabic is to be sent to `stream` shaped and in display order: only to a terminal its user declared
    unable to do that itself (`BROCHURE_PRESS_ARABIC=visual`). No terminal says whether it can, and those that can
    (VTE's: GNOME Terminal, Xfce Terminal, Tilix; Konsole; mlterm; macOS Terminal) reorder what they get, so text
    sent reordered shows backwards there; files, pipes and logs want the text as written. Everywhere else Arabic
    goes in logical order: exact, searchable, right where the terminal does BiDi, legible letter by letter where
    it does not."""
    return os.environ.get(ARABIC_DISPLAY, "").strip().lower() == "visual" and stream.isatty()
