"""Whether an output intent's embedded profile is the printing condition it names: the Lab colours the profile
gives a handful of CMYK patches, compared with those of the bundled reference profile of that condition."""

from __future__ import annotations

import io
import math
from functools import cache
from pathlib import Path

from PIL import Image, ImageCms

#: Paper, solids, overprints, a rich black, tints and a neutral: where printing conditions differ most.
PATCHES: tuple[tuple[int, int, int, int], ...] = (
    (0, 0, 0, 0),
    (100, 0, 0, 0),
    (0, 100, 0, 0),
    (0, 0, 100, 0),
    (0, 0, 0, 100),
    (100, 100, 0, 0),
    (0, 100, 100, 0),
    (100, 0, 100, 0),
    (60, 40, 40, 100),
    (50, 40, 40, 0),
    (25, 0, 0, 0),
    (0, 25, 0, 0),
)


def patch_lab(profile: bytes) -> list[tuple[float, float, float]]:
    """The Lab colour (D50, relative colorimetric) the CMYK profile `profile` gives each of PATCHES."""
    return list(_lab(profile))


@cache
def _lab(profile: bytes) -> tuple[tuple[float, float, float], ...]:
    source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    lab = ImageCms.createProfile("LAB", 5000)
    transform = ImageCms.buildTransform(source, lab, "CMYK", "LAB", ImageCms.Intent.RELATIVE_COLORIMETRIC)
    patches = Image.new("CMYK", (len(PATCHES), 1))
    patches.putdata([tuple(round(v * 2.55) for v in patch) for patch in PATCHES])
    result = ImageCms.applyTransform(patches, transform)
    assert result is not None
    pixels: list[tuple[int, int, int]] = [result.getpixel((x, 0)) for x in range(len(PATCHES))]  # type: ignore[misc]
    return tuple((px[0] / 2.55, float(px[1] - 128), float(px[2] - 128)) for px in pixels)


def largest_difference(embedded: bytes, reference: Path) -> tuple[float, tuple[int, int, int, int]]:
    """The largest ΔE between two CMYK profiles over PATCHES, and the patch it is found on."""
    pairs = zip(patch_lab(embedded), patch_lab(reference.read_bytes()), strict=True)
    differences = [math.dist(a, b) for a, b in pairs]
    worst = max(range(len(PATCHES)), key=differences.__getitem__)
    return differences[worst], PATCHES[worst]
