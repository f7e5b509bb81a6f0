"""The PDF/UA-1 claim of a finished proof: written into its XMP only when the accessibility check passes."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pikepdf

from brochure_press.preflight.accessibility import accessibility_problems


def claim_pdfua(data: bytes, lang: str, scripts: Mapping[str, str], expected: Mapping[str, list[str]]) -> bytes:
    """The tagged PDF with `pdfuaid:part 1` and its title in the XMP if it passes the accessibility check and reads
    back the `expected` words (per language, those it was typeset from), else as it is."""
    if any(problem.severity == "error" for problem in accessibility_problems(data, lang, scripts, expected)):
        return data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["pdfuaid:part"] = "1"
            meta["dc:title"] = str(pdf.docinfo.get("/Title", ""))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve, compress_streams=True)
        return out.getvalue()
