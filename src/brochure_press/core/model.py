"""The data model of campaign and brochure sources: one source of truth, validated by pydantic."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Edition = Literal["en", "ar", "bilingual"]
Variant = Literal["print", "proof"]
Panel = Literal["flap", "inside-1", "inside-2", "inside-3", "back"]
Standard = Literal["x-4", "x-1a"]
LANGUAGES: tuple[str, str] = ("en", "ar")
#: How each PDF/X standard is named in files, slugs and tickets.
STANDARD_NAMES: dict[str, str] = {"x-4": "PDF/X-4", "x-1a": "PDF/X-1a"}

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9]+( [0-9]+)*$")]
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"
Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN)]
Percent = Annotated[float, Field(ge=0, le=100)]
CMYK = Annotated[list[Percent], Field(min_length=4, max_length=4)]


class Strict(BaseModel):
    """Base for every source object: unknown keys are errors, values are never coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Text(Strict):
    """A translatable text: the English and the Arabic kept together."""

    en: NonEmpty
    ar: NonEmpty


class Block(Strict):
    """One block of a section; exactly one of its keys is set."""

    text: Text | None = None
    bullets: Annotated[list[Text], Field(min_length=1)] | None = None
    callout: Text | None = None
    heading: Text | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Block:
        kinds = [name for name in type(self).model_fields if getattr(self, name) is not None]
        if len(kinds) != 1:
            raise ValueError("a block has exactly one of: text, bullets, callout, heading")
        return self

    @property
    def kind(self) -> str:
        """The name of the key that is set."""
        return next(n for n in type(self).model_fields if getattr(self, n) is not None)


class Section(Strict):
    """A titled group of blocks; in folded layouts it fills one panel."""

    panel: Panel
    heading: Text | None = None
    blocks: Annotated[list[Block], Field(min_length=1)]


class Brochure(Strict):
    """One brochure source file (`brochures/<id>.yaml`)."""

    status: Literal["draft", "approved"]
    revised: dt.date
    title: Text
    subtitle: Text | None = None
    editions: Annotated[list[Edition], Field(min_length=1)] | None = None
    sections: Annotated[list[Section], Field(min_length=1)]


class Contact(Strict):
    """A help line printed on every brochure."""

    label: Text
    phone: Phone
    email: Email | None = None


class Place(Strict):
    """Where and when the brochures are handed out."""

    place: Text
    dates: Text


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
    #: How the sheets are bound: loose sheets printed on both sides need an even page count,
    #: a saddle-stitched booklet a multiple of four.
    binding: Literal["none", "saddle-stitch"] = "none"
    standard: Standard = "x-4"
    ink_limit: Annotated[float, Field(ge=100, le=400)] = 300
    drafts: Literal["mark", "refuse"] = "mark"
    #: The printing condition print files are separated for: a name from CONDITIONS, or the printer's own profile.
    output_intent: OutputIntent = OutputIntent(**CONDITIONS["FOGRA39"])
    #: Paper suggested to the printer in the job ticket.
    stock: NonEmpty = "150 g/m² silk-coated"
    #: Who at the campaign answers the printer's questions about the files.
    contact: Party | None = None
    #: The print shop the files go to.
    printer: Party | None = None
    #: Delivery notes for the printer: where, when, how packed.
    delivery: NonEmpty | None = None

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


class Campaign(Strict):
    """What all brochures share (`brochures/campaign.yaml`)."""

    organisation: Text
    name: Text
    hashtag: Text
    auspices: Text
    hotline: Contact
    emergency: Contact
    distribution: list[Place]
    digits: Literal["latn", "arab"] = "latn"
    editions: Annotated[list[Edition], Field(min_length=1)] = ["en", "ar", "bilingual"]
    layouts: dict[Edition, NonEmpty] = {"en": "trifold", "ar": "trifold", "bilingual": "bilingual"}
    palette: Palette
    print: PrintSpec
    #: Printed on pages added so that a document has the page count its binding needs.
    blank_page: Text = Text(en="This page is intentionally left blank.", ar="تُركت هذه الصفحة فارغة عمدًا.")


class PanelSpec(Strict):
    """A fixed box on a folded sheet, named by its role; width in millimetres."""

    name: Literal["cover", "flap", "inside-1", "inside-2", "inside-3", "back"]
    width: Annotated[float, Field(gt=0)]


class PageSpec(Strict):
    """One side of a folded sheet, panels listed left to right for a left-to-right edition."""

    name: NonEmpty
    panels: Annotated[list[PanelSpec], Field(min_length=1)]


class Layout(Strict):
    """A layout's `layout.yaml`: its template, finished size and, for folded sheets, its panels."""

    description: NonEmpty
    template: NonEmpty
    languages: Literal["one", "both"]
    trim_mm: Annotated[list[Annotated[float, Field(gt=0)]], Field(min_length=2, max_length=2)]
    fold: NonEmpty | None = None
    pages: list[PageSpec] = []

    @model_validator(mode="after")
    def _panels_fill_the_sheet(self) -> Layout:
        for page in self.pages:
            total = sum(p.width for p in page.panels)
            if abs(total - self.trim_mm[0]) > 0.01:
                raise ValueError(f"panels of page `{page.name}` add up to {total} mm, not the sheet width {self.trim_mm[0]} mm")
        return self
