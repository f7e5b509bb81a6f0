"""The campaign's model (`brochures/campaign.yaml`): help lines, partners, palette, print, order and web edition."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from brochure_press.core.model import (
    CMYK,
    DEFAULT_EDITIONS,
    DEFAULT_LANGUAGES,
    Edition,
    EditionSpec,
    Email,
    Language,
    LanguageCode,
    NonEmpty,
    Phone,
    Standard,
    Strict,
    Text,
)


class Contact(Strict):
    """A help line printed on every brochure."""

    label: Text
    phone: Phone
    email: Email | None = None


class Place(Strict):
    """Where and when the brochures are handed out."""

    place: Text
    dates: Text


class Logo(Strict):
    """A partner's logo for the back panel: a file the partner supplied, kept in the project's `layouts/logos/`."""

    file: Annotated[str, StringConstraints(pattern=r"^layouts/logos/[A-Za-z0-9_-][A-Za-z0-9._-]*\.(svg|png)$")]
    #: The partner's name, the logo's text alternative in proofs.
    name: Text


class Palette(Strict):
    """Campaign colours as CMYK percentages (c, m, y, k)."""

    ink: CMYK
    primary: CMYK
    accent: CMYK
    tint: CMYK
    paper: CMYK


class OutputIntent(Strict):
    """The printing condition print files are made for."""

    profile: NonEmpty
    condition: NonEmpty
    info: NonEmpty
    registry: str = "http://www.color.org"


#: Printing conditions the project ships a profile for, by the name campaign.yaml gives (`output_intent: FOGRA39`).
CONDITIONS: dict[str, dict[str, str]] = {
    "FOGRA39": {
        "profile": "layouts/icc/FOGRA39.icc",
        "condition": "FOGRA39",
        "info": "Coated FOGRA39 (ISO 12647-2:2004)",
    },
    "SWOP": {
        "profile": "layouts/icc/default_cmyk.icc",
        "condition": "CGATS TR 001",
        "info": "SWOP (CGATS TR 001), coated web offset – Artifex CMYK SWOP Profile",
    },
}
ConditionName = Literal["FOGRA39", "SWOP"]


class Party(Strict):
    """Someone the printer deals with: a name and how to reach them."""

    name: NonEmpty
    phone: Phone | None = None
    email: Email | None = None


class PlateRules(Strict):
    """Type that misregistration of the plates can blur: text reversed out of a colour (no ink of its own)
    or built from two or more plates must be at least this size; single-plate text may be smaller."""

    min_text_pt: Annotated[float, Field(ge=4, le=24)] = 9
    min_bold_text_pt: Annotated[float, Field(ge=4, le=24)] = 8


class PrintSpec(Strict):
    """How print files are made, and what the printer is told in the hand-off job ticket."""

    bleed_mm: Annotated[float, Field(ge=0, le=10)] = 3
    safety_mm: Annotated[float, Field(ge=0, le=20)] = 4
    marks: Literal["crop", "none"] = "crop"
    #: Gap between the bleed edge and where crop and fold marks start.
    marks_offset_mm: Annotated[float, Field(ge=0, le=10)] = 2
    #: How far a panel's background colour runs past a fold, so that no colour break lies on it.
    fold_wrap_mm: Annotated[float, Field(ge=0, le=5)] = 1.5
    plate_rules: PlateRules = PlateRules()
    #: Page counts of flowing documents: loose sheets printed on both sides need an even count,
    #: a saddle-stitched booklet a multiple of four.
    binding: Literal["none", "saddle-stitch"] = "none"
    standard: Standard = "x-4"
    ink_limit: Annotated[float, Field(ge=100, le=400)] = 300
    #: Strokes thinner than this (points, as printed) may not print: preflight fails print files that have them.
    min_line_pt: Annotated[float, Field(ge=0, le=2)] = 0.25
    small_black_text_pt: Annotated[
        float,
        Field(
            ge=4,
            le=24,
            description="Black text smaller than this (points, as printed) must print from the black plate alone "
            "(100 % K): the four plates never register exactly, and small type built from them blurs.",
        ),
    ] = 12
    min_image_ppi: Annotated[
        int,
        Field(
            ge=72,
            le=1200,
            description="Images placed at less than this resolution (pixels per inch at their printed size) "
            "fail preflight: they print visibly blocky.",
        ),
    ] = 150
    sharp_image_ppi: Annotated[
        int,
        Field(
            ge=72,
            le=2400,
            description="Images placed at less than this resolution (pixels per inch at their printed size), "
            "but at least min_image_ppi, are a preflight warning: they print soft.",
        ),
    ] = 300
    drafts: Literal["mark", "refuse"] = "mark"
    #: The printing condition print files are separated for: a name from CONDITIONS, or the printer's own profile.
    output_intent: OutputIntent = OutputIntent(**CONDITIONS["FOGRA39"])

    @field_validator("output_intent", mode="before", json_schema_input_type=ConditionName | OutputIntent)
    @classmethod
    def _named_condition(cls, value: object) -> object:
        """A condition named in CONDITIONS stands for its profile, identifier and description."""
        if isinstance(value, str) and value not in CONDITIONS:
            raise ValueError(
                f"no bundled profile for the printing condition `{value}`: name one of {', '.join(CONDITIONS)}, "
                "or give the printer's profile as {profile: layouts/icc/<file>.icc, condition: <name>, info: <description>}"
            )
        return CONDITIONS[value] if isinstance(value, str) else value


class Stock(Strict):
    """The paper to print on."""

    weight_gsm: Annotated[int, Field(ge=60, le=400)]
    finish: Literal["gloss", "silk", "matt", "uncoated"]
    #: Grain direction; for folded leaflets it runs parallel to the folds, or the fold cracks.
    grain: Literal["parallel to the folds", "long", "short", "any"]


class Finishing(Strict):
    """How the sheets of one layout are printed and finished (fold positions and order come from the layout)."""

    sides: Literal["simplex", "duplex"]
    #: Crease before folding (coated stock above about 130 g/m² cracks along an uncreased fold).
    creasing: bool | None = None
    #: How the pages are held together, e.g. `corner stapled, top left`, or `none`.
    binding: NonEmpty | None = None


class Delivery(Strict):
    """Where and when the printed copies go."""

    address: NonEmpty | None = None
    date: dt.date | None = None
    #: Packing and labelling.
    notes: NonEmpty | None = None


class Proofing(Strict):
    """What proof the printer shows before the run, and who at the campaign signs it off."""

    kind: Literal["contract proof", "press pass", "contract proof and press pass"]
    signed_off_by: NonEmpty | None = None


class PrintOrder(Strict):
    """What the printer is asked to make: the job ticket carries all of it, and lists what is unset as open questions."""

    #: Copies per brochure (file name without .yaml) and edition.
    quantities: dict[NonEmpty, dict[Edition, Annotated[int, Field(ge=1)]]] = Field(default_factory=dict)
    stock: Stock | None = None
    #: Per layout name (`trifold`, `bilingual`).
    finishing: dict[NonEmpty, Finishing] = Field(default_factory=dict)
    delivery: Delivery = Delivery()
    #: The print shop the files go to.
    printer: Party | None = None
    #: Who at the campaign answers the printer's questions about the files.
    contact: Party | None = None
    proof: Proofing | None = None
    #: Who traps: the files are not trapped (Trapped False); `printer` traps as its press needs, `none` asks for none.
    trapping: Literal["printer", "none"] | None = None
    #: Whether editions may share a press sheet with other editions or jobs.
    ganging: bool | None = None


#: Where the web edition is published until the campaign confirms its address (`web.base_url`).
PLACEHOLDER_BASE_URL = "https://together-against-trafficking.example/"


#: One label of a domain name: up to 63 letters, digits and hyphens, neither first nor last a hyphen.
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


class WebSpec(Strict):
    """The web edition: where it is published. Printed QR codes link there, so set it before printing."""

    #: The address the `output/web/` folder is served at, with a trailing slash.
    base_url: Annotated[str, StringConstraints(pattern=r"^https://[a-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~-]+)*/$")] = (
        PLACEHOLDER_BASE_URL
    )
    #: A style per language for the web pages and share cards (`{ur: naskh}`), as editions choose theirs.
    styles: dict[LanguageCode, NonEmpty] = Field(default_factory=dict)
    #: Printed beside each language's QR code, in that language: what the code does for the reader.
    qr_caption: Text | None = None

    @field_validator("base_url")
    @classmethod
    def _host_and_port(cls, url: str) -> str:
        """The host must be a domain name a browser can look up, and the port one that exists (QR codes print it)."""
        authority = url.removeprefix("https://").split("/", 1)[0]
        host, _, port = authority.partition(":")
        if not all(_LABEL.fullmatch(label) for label in host.split(".")) or "." not in host:
            raise ValueError(f"`{host}` is not a domain name (labels of letters, digits and inner hyphens, joined by dots)")
        if port and not 1 <= int(port) <= 65535:
            raise ValueError(f"port {port} does not exist (1–65535)")
        return url


class Campaign(Strict):
    """What all brochures share (`brochures/campaign.yaml`)."""

    #: Every language the campaign writes in; the first is the source the others are translated from.
    languages: Annotated[dict[LanguageCode, Language], Field(min_length=1)] = DEFAULT_LANGUAGES
    #: Every edition a brochure can be built in, by name.
    editions: Annotated[dict[Edition, EditionSpec], Field(min_length=1)] = DEFAULT_EDITIONS
    organisation: Text
    name: Text
    hashtag: Text
    auspices: Text
    hotline: Contact
    emergency: Contact
    distribution: list[Place]
    #: Partner logos in the back panel's logo slot; without any, proofs show the empty slot as a frame.
    logos: list[Logo] = Field(default_factory=list)
    palette: Palette
    print: PrintSpec
    order: PrintOrder = PrintOrder()
    web: WebSpec = WebSpec()
    #: Printed on pages added so that a flowing document has the page count `print.binding` needs.
    blank_page: Text | None = None
