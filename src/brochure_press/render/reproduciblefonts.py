"""Embedded font programs made reproducible: no build clock in their `head` table, subset tags from their bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import struct
from collections.abc import Iterator

import pikepdf

from brochure_press.pdf.bundledfonts import PROGRAM_KEYS

#: sfnt versions of TrueType and OpenType font programs.
SFNT_VERSIONS = (b"\x00\x01\x00\x00", b"OTTO", b"true")
#: TrueType dates count seconds from this moment.
TRUETYPE_EPOCH = dt.datetime(1904, 1, 1, tzinfo=dt.UTC)
#: The whole font sums to this once `head.checkSumAdjustment` is set (OpenType specification, `head` table).
CHECKSUM_MAGIC = 0xB1B0AFBA
SUBSET_PREFIX = re.compile(r"^/?[A-Z]{6}\+")


def table_checksum(data: bytes | bytearray) -> int:
    """The OpenType checksum of a table: its big-endian 32-bit words summed, the last one padded with zeros."""
    padded = bytes(data) + b"\0" * (-len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(padded) // 4}I", padded)
    return sum(words) & 0xFFFFFFFF


def set_modified(program: bytes, when: dt.datetime) -> bytes:
    """The font program with `head.modified` set to `when` and its checksums right again; every other byte
    as it was. A program that is not an sfnt, or has no `head` table, is returned as it is."""
    if len(program) < 12 or program[:4] not in SFNT_VERSIONS:
        return program
    (count,) = struct.unpack_from(">H", program, 4)
    for record in range(12, min(12 + 16 * count, len(program) - 15), 16):
        tag, _, offset, length = struct.unpack_from(">4sIII", program, record)
        if tag == b"head" and length >= 36 and offset + length <= len(program):
            break
    else:
        return program
    font = bytearray(program)
    struct.pack_into(">q", font, offset + 28, int((when - TRUETYPE_EPOCH).total_seconds()))
    struct.pack_into(">I", font, offset + 8, 0)
    struct.pack_into(">I", font, record + 4, table_checksum(font[offset : offset + length]))
    struct.pack_into(">I", font, offset + 8, (CHECKSUM_MAGIC - table_checksum(font)) & 0xFFFFFFFF)
    return bytes(font)


def subset_tag(program: bytes) -> str:
    """Six capital letters derived from a font program's bytes: equal programs, equal tags; different
    programs, different tags (but for a one in 300 million chance)."""
    number = int.from_bytes(hashlib.sha256(program).digest()[:8], "big")
    letters = []
    for _ in range(6):
        number, letter = divmod(number, 26)
        letters.append(chr(ord("A") + letter))
    return "".join(letters)


def _fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font:
            yield obj


def _retag(holder: pikepdf.Dictionary, key: str, tag: str) -> None:
    name = holder.get(key)
    if isinstance(name, pikepdf.Name) and SUBSET_PREFIX.match(str(name)):
        holder[key] = pikepdf.Name(f"/{tag}+{str(name)[8:]}")


def normalise_font_programs(pdf: pikepdf.Pdf, when: dt.datetime) -> None:
    """Set every embedded font program's modification date to `when`, then name each subset font by a tag
    derived from its program (`/BaseFont` of the font and its CIDFont, `/FontName` of its descriptor), so
    that a RIP caching fonts by name never mistakes one subset for another."""
    tags: dict[tuple[int, int], str] = {}
    for font in _fonts(pdf):
        descendants = font.get("/DescendantFonts")
        inner = descendants[0] if isinstance(descendants, pikepdf.Array) and len(descendants) else font
        descriptor = inner.get("/FontDescriptor") if isinstance(inner, pikepdf.Dictionary) else None
        if not isinstance(inner, pikepdf.Dictionary) or not isinstance(descriptor, pikepdf.Dictionary):
            continue
        program = next((descriptor[k] for k in PROGRAM_KEYS if isinstance(descriptor.get(k), pikepdf.Stream)), None)
        if program is None:
            continue
        key = program.objgen
        if key not in tags:
            original = program.read_bytes()
            fixed = set_modified(original, when)
            if fixed != original:
                program.write(fixed)
            tags[key] = subset_tag(fixed)
        for holder, name_key in ((font, "/BaseFont"), (inner, "/BaseFont"), (descriptor, "/FontName")):
            _retag(holder, name_key, tags[key])
