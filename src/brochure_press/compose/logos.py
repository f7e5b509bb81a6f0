"""Partner logos fit for print: drawn as vectors (SVG) in CMYK colours, not a raster image or RGB."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from brochure_press.core.campaignmodel import Campaign
from brochure_press.core.diagnostics import Diagnostic
from brochure_press.core.project import Source

#: SVG attributes and style properties that paint.
PAINTS = ("fill", "stroke", "stop-color", "flood-color", "lighting-color", "color")
#: Paint values that name no colour of their own.
NO_COLOUR = re.compile(r"none|transparent|currentcolor|inherit|url\(.*\)|device-cmyk\(.*\)", re.IGNORECASE | re.DOTALL)
#: `property: value` in a style attribute or a `<style>` sheet.
DECLARATION = re.compile(rf"(?<![\w-])({'|'.join(PAINTS)})\s*:\s*([^;}}]+)", re.IGNORECASE)
HINT = "ask the partner for the logo as SVG with its colours written as device-cmyk(c m y k)"


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def svg_colours(root: ET.Element) -> tuple[list[str], bool]:
    """The colours an SVG paints in other than CMYK (`#1a2b3c`, `rgb(…)`, `red`), and whether it embeds a raster
    image. A drawing that sets no fill at all paints in black, which WeasyPrint writes as RGB."""
    found: list[str] = []
    raster = False
    filled = False
    for node in root.iter():
        tag = _local(node.tag)
        raster = raster or tag == "image"
        values = [(_local(key), value) for key, value in node.attrib.items() if _local(key) in PAINTS]
        values += DECLARATION.findall(node.get("style", ""))
        if tag == "style":
            values += DECLARATION.findall(node.text or "")
        for name, value in values:
            filled = filled or name.lower() == "fill"
            if not NO_COLOUR.fullmatch(value.strip()):
                found.append(value.strip())
    return (found or ([] if filled else ["black (no fill given)"])), raster


def logo_problems(campaign: Source[Campaign], root: Path) -> list[Diagnostic]:
    """Errors for the partner logos listed in campaign.yaml that print cannot use: a missing file, a raster image,
    an SVG that paints in RGB; each located at its `logos` entry."""
    problems = []
    for i, logo in enumerate(campaign.model.logos):
        key = ("logos", i, "file")
        path = root / logo.file
        if not path.is_file():
            problems.append(campaign.diagnostic(key, "error", "logo", f"{logo.file} does not exist", HINT))
            continue
        if path.suffix.lower() != ".svg":
            message = f"{logo.file} is a raster image: print needs the logo as vectors"
            problems.append(campaign.diagnostic(key, "error", "logo", message, HINT))
            continue
        try:
            colours, raster = svg_colours(ET.parse(path).getroot())
        except ET.ParseError as exc:
            problems.append(campaign.diagnostic(key, "error", "logo", f"{logo.file} is not readable SVG: {exc}", HINT))
            continue
        if raster:
            message = f"{logo.file} embeds a raster image: print needs the logo as vectors"
            problems.append(campaign.diagnostic(key, "error", "logo", message, HINT))
        if colours:
            shown = ", ".join(dict.fromkeys(colours[:3]))
            message = f"{logo.file} paints in RGB ({shown}): print files are CMYK"
            problems.append(campaign.diagnostic(key, "error", "logo", message, HINT))
    return problems
