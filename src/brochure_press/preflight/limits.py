"""Bounds on what preflight decodes: no stream inflated past a limit, so every file is checked in bounded time and memory."""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pikepdf

from brochure_press.core.diagnostics import PageProblem

MIB = 2**20
#: Decompressed bytes are counted in pieces this large, so counting a bomb never holds it in memory.
CHUNK = MIB
#: Image codecs decode to the size the image dictionary declares; at most this many bytes per pixel and component.
MAX_COMPONENTS = 4
#: Streams of a raw file: the dictionary before `stream`, then the data up to `endstream`.
RAW_STREAM = re.compile(rb"(?<!end)stream\r?\n")
IMAGE_CODECS = {"/DCTDecode", "/DCT", "/JPXDecode", "/CCITTFaxDecode", "/CCF", "/JBIG2Decode"}


@dataclass(frozen=True)
class Limits:
    """How much preflight may decode and spend on one file."""

    #: Largest stream, decoded.
    stream_bytes: int = 64 * MIB
    #: All streams of a file together, decoded.
    total_bytes: int = 512 * MIB
    #: Pages checked at most (a print file has a handful).
    pages: int = 64
    #: Seconds and address space for a rendering program (Ghostscript) run on the file.
    render_seconds: float = 60.0
    render_memory_bytes: int = 2048 * MIB


class TooLarge(Exception):
    """A stream decodes to more than the limit."""


def _inflated_size(data: bytes, limit: int, keep: bool) -> tuple[int, bytes]:
    """Size of zlib data once inflated (and the bytes when `keep`); TooLarge past `limit`.
    Damaged data counts what inflated before the damage, as PDF readers show that much."""
    inflater = zlib.decompressobj()
    size, kept, pending = 0, [], data
    try:
        while not inflater.eof:
            piece = inflater.decompress(pending, CHUNK)
            if not piece:
                break
            pending = inflater.unconsumed_tail
            size += len(piece)
            if size > limit:
                raise TooLarge
            if keep:
                kept.append(piece)
    except zlib.error:
        pass
    return size, b"".join(kept)


def _run_length(data: bytes, limit: int) -> bytes:
    out, i = bytearray(), 0
    while i < len(data) and data[i] != 128:
        n = data[i]
        if n < 128:
            out += data[i + 1 : i + 2 + n]
            i += n + 2
        else:
            out += data[i + 1 : i + 2] * (257 - n)
            i += 2
        if len(out) > limit:
            raise TooLarge
    return bytes(out)


def _lzw(data: bytes, limit: int, early: int = 1) -> bytes:
    """LZW as PDF uses it (MSB first, 9–12 bit codes, 256 clear, 257 end)."""
    table = [bytes([i]) for i in range(256)] + [b"", b""]
    out, bits, buffer, width, previous = bytearray(), 0, 0, 9, b""
    for byte in data:
        buffer, bits = (buffer << 8) | byte, bits + 8
        while bits >= width:
            bits -= width
            code = (buffer >> bits) & ((1 << width) - 1)
            if code == 256:
                table, width, previous = table[:258], 9, b""
                continue
            if code == 257:
                return bytes(out)
            entry = table[code] if code < len(table) else previous + previous[:1]
            if previous and len(table) < 4096:
                table.append(previous + entry[:1])
            out += entry
            if len(out) > limit:
                raise TooLarge
            previous = entry
            width = min(12, max(9, (len(table) + early).bit_length()))
    return bytes(out)


def _names(value: Any) -> list[str]:
    if isinstance(value, pikepdf.Array):
        return [str(v) for v in value]
    return [str(value)] if value is not None else []


def _declared_image_size(stream: pikepdf.Stream) -> int:
    width, height = int(stream.get("/Width", 0)), int(stream.get("/Height", 0))
    bits = int(stream.get("/BitsPerComponent", 8))
    return max(width, 0) * max(height, 0) * MAX_COMPONENTS * max(bits, 1) // 8


def decoded_size(stream: pikepdf.Stream, limit: int) -> int:
    """How many bytes `stream` decodes to, worked out within `limit` (TooLarge past it).
    Images are held to the size their dictionary declares, whatever their codec."""
    if str(stream.get("/Subtype", "")) == "/Image" and _declared_image_size(stream) > limit:
        raise TooLarge
    data = stream.read_raw_bytes()
    filters = _names(stream.get("/Filter"))
    for n, name in enumerate(filters):
        last = n == len(filters) - 1
        if name in ("/FlateDecode", "/Fl"):
            size, data = _inflated_size(data, limit, keep=not last)
            if last:
                return size
        elif name in ("/ASCIIHexDecode", "/AHx"):
            hexdigits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">", 1)[0])
            data = binascii.unhexlify(hexdigits + b"0" * (len(hexdigits) % 2))
        elif name in ("/ASCII85Decode", "/A85"):
            body = re.sub(rb"\s", b"", data.split(b"~>", 1)[0]).removeprefix(b"<~")
            try:
                data = base64.a85decode(body)
            except ValueError:
                return len(data)
        elif name in ("/RunLengthDecode", "/RL"):
            data = _run_length(data, limit)
        elif name in ("/LZWDecode", "/LZW"):
            data = _lzw(data, limit)
        elif name in IMAGE_CODECS:
            return _declared_image_size(stream)
        if len(data) > limit:
            raise TooLarge
    return len(data)


def raw_flate_streams(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(offset, data) of every Flate-only stream in a file's bytes, read before the file is opened, so that
    object streams, which a PDF library inflates while opening, are bounded too."""
    for found in RAW_STREAM.finditer(data):
        start = found.end()
        header = data[max(0, found.start() - 512) : found.start()]
        filters = re.findall(rb"/Filter\s*(\[[^\]]*\]|/\w+)", header)
        if filters and filters[-1].strip(b"[] \r\n") in (b"/FlateDecode", b"/Fl"):
            end = data.find(b"endstream", start)
            yield start, data[start : end if end >= 0 else len(data)]


def raw_stream_problems(data: bytes, limits: Limits) -> list[PageProblem]:
    """Flate streams of the file's bytes that inflate past the limit."""
    problems = []
    for offset, raw in raw_flate_streams(data):
        try:
            _inflated_size(raw, limits.stream_bytes, keep=False)
        except TooLarge:
            message = f"a compressed stream at byte {offset} inflates past {limits.stream_bytes / MIB:g} MiB"
            problems.append(PageProblem(None, "error", "too-large", message, "an inflate bomb or a damaged file; make it again"))
    return problems


def stream_problems(pdf: pikepdf.Pdf, limits: Limits) -> list[PageProblem]:
    """Streams that decode past the limit, all streams together past the total, and too many pages."""
    problems: list[PageProblem] = []
    hint = "an inflate bomb, a damaged file or far more than a brochure holds; make it again from its sources"
    total = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        label = f"object {obj.objgen[0]}" + (" (an image)" if str(obj.get("/Subtype", "")) == "/Image" else "")
        try:
            total += decoded_size(obj, limits.stream_bytes)
        except TooLarge:
            message = f"{label} decodes to more than {limits.stream_bytes / MIB:g} MiB; it was not decoded"
            problems.append(PageProblem(None, "error", "too-large", message, hint))
            continue
        except (pikepdf.PdfError, ValueError, binascii.Error):
            continue  # a stream that cannot be read is reported by the checks that read it
        if total > limits.total_bytes:
            message = f"its streams decode to more than {limits.total_bytes / MIB:g} MiB together; they were not decoded"
            problems.append(PageProblem(None, "error", "too-large", message, hint))
            break
    if len(pdf.pages) > limits.pages:
        message = f"{len(pdf.pages)} pages; preflight checks print files of at most {limits.pages} pages"
        problems.append(PageProblem(None, "error", "too-large", message, hint))
    return problems
