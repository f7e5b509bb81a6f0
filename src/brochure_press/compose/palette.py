"""Campaign colours as CSS: device CMYK for print, sRGB soft-proofed through the output profile for proofs."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageCms

from brochure_press.core.model import Variant
from brochure_press.core.project import Project


def cmyk_css(cmyk: list[float]) -> str:
    """A CMYK percentage quadruple as a CSS `device-cmyk()` colour."""
    return "device-cmyk(" + " ".join(f"{v / 100:g}" for v in cmyk) + ")"


@cache
def _transform(profile: bytes) -> ImageCms.ImageCmsTransform:
    """The CMYK to sRGB transform of an output profile, kept per process for the profile's bytes (not its name or
    time stamp: a profile replaced in place is read anew)."""
    return ImageCms.buildTransform(
        ImageCms.getOpenProfile(io.BytesIO(profile)),
        ImageCms.createProfile("sRGB"),
        "CMYK",
        "RGB",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
    )


def srgb_of(cmyk: list[float], profile: Path) -> tuple[int, int, int]:
    """The sRGB colour a CMYK colour prints as under `profile`."""
    pixel = Image.new("CMYK", (1, 1), tuple(round(v * 2.55) for v in cmyk))
    converted = ImageCms.applyTransform(pixel, _transform(profile.read_bytes()))
    assert converted is not None  # applyTransform returns None only when converting in place
    r, g, b = converted.getpixel((0, 0))  # type: ignore[misc]
    return r, g, b


def palette_colours(project: Project, variant: Variant) -> dict[str, str]:
    """Every palette colour as CSS: device CMYK in print masters, sRGB as printed in proofs."""
    campaign = project.campaign.model
    profile = project.root / campaign.print.output_intent.profile
    return {
        name: cmyk_css(cmyk) if variant == "print" else "rgb({} {} {})".format(*srgb_of(cmyk, profile))
        for name, cmyk in campaign.palette
    }


def palette_css(project: Project, variant: Variant) -> str:
    """CSS custom properties `--<name>` for every palette colour."""
    return "".join(f"--{name}: {value};" for name, value in palette_colours(project, variant).items())
