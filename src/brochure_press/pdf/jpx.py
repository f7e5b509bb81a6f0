"""The colour space of a JPEG 2000 image that has no `/ColorSpace`: PDF readers take it from the image data
(the JP2 `colr` box, else the number of components in the codestream), and so does preflight."""

from __future__ import annotations

import struct
from collections.abc import Iterator

from brochure_press.pdf.colours import CMYK, GRAY, RGB, Space

#: JP2 enumerated colour spaces (ISO/IEC 15444-1 and -2, `colr` box, method 1) and their family.
ENUMERATED: dict[int, tuple[str, Space]] = {
    12: ("CMYK", CMYK),
    14: ("CIELab", Space("lab", 3, "Lab")),
    16: ("sRGB", RGB),
    17: ("greyscale", GRAY),
    18: ("sYCC", RGB),
    20: ("e-sRGB", RGB),
    21: ("ROMM-RGB", RGB),
    24: ("e-sYCC", RGB),
}
BY_COMPONENTS = {1: GRAY, 3: RGB, 4: CMYK}
#: The start of a raw codestream: SOC then SIZ markers.
CODESTREAM = b"\xff\x4f\xff\x51"
SUPERBOXES = {b"jp2h", b"res "}


def _boxes(data: bytes, start: int = 0, end: int | None = None) -> Iterator[tuple[bytes, bytes]]:
    """(type, contents) of the JP2 boxes between `start` and `end`, superboxes opened."""
    end = len(data) if end is None else end
    at = start
    while at + 8 <= end:
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        header = 8
        if length == 1 and at + 16 <= end:
            length, header = struct.unpack(">Q", data[at + 8 : at + 16])[0], 16
        elif length == 0:
            length = end - at
        if length < header:
            return
        body = (at + header, min(at + length, end))
        if kind in SUPERBOXES:
            yield from _boxes(data, *body)
        else:
            yield kind, data[body[0] : body[1]]
        at += length


def _named(space: Space, what: str) -> Space:
    return Space(space.family, space.components, f"JPEG 2000 {what}", icc=space.icc, colorants=space.colorants)


def jpx_space(data: bytes) -> Space | None:
    """The colour space a JPEG 2000 image's data declares (named `JPEG 2000 sRGB`, …), or None when it cannot tell."""
    if data.startswith(CODESTREAM):
        return _codestream_space(data)
    components = None
    for kind, body in _boxes(data):
        if kind == b"colr" and len(body) >= 3:
            method = body[0]
            if method == 1 and len(body) >= 7:
                known = ENUMERATED.get(struct.unpack(">I", body[3:7])[0])
                if known:
                    return _named(known[1], known[0])
            elif method in (2, 3) and len(body) >= 3 + 20:
                profile = {b"GRAY": GRAY, b"RGB ": RGB, b"CMYK": CMYK}.get(body[3 + 16 : 3 + 20])
                if profile:
                    return _named(profile, f"ICC {profile.name.removeprefix('Device')}")
        elif kind == b"ihdr" and len(body) >= 10:
            components = struct.unpack(">H", body[8:10])[0]
        elif kind == b"jp2c":
            return _codestream_space(body) or (_components(components) if components else None)
    return _components(components) if components else None


def _codestream_space(data: bytes) -> Space | None:
    if not data.startswith(CODESTREAM) or len(data) < 42:
        return None
    return _components(struct.unpack(">H", data[40:42])[0])


def _components(count: int) -> Space | None:
    space = BY_COMPONENTS.get(count)
    return _named(space, f"with {count} component{'s' if count != 1 else ''} ({space.name})") if space else None
