"""The data model of campaign and brochure sources: one source of truth, validated by pydantic."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, RootModel, StringConstraints, model_validator

#: A language as BCP 47 writes it (`en`, `ar`, `fil`, `pt-BR`).
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
#: Names Windows keeps for devices: a file or folder so named cannot be made there.
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)})


def _not_a_device(code: str) -> str:
    if code.split("-")[0] in DEVICE_NAMES:
        raise ValueError(f"`{code}` names a device on Windows, so no file can be named after it")
    return code


LanguageCode = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN), AfterValidator(_not_a_device)]
#: An edition of a brochure, as the campaign names it (`en`, `ar`, `bilingual`, `en-hi`).
Edition = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
#: Digit systems by their CLDR names; phone numbers keep Western digits in all of them.
DigitSystem = Literal["latn", "arab", "arabext", "deva", "beng", "mlym", "sinh", "ethi"]
Variant = Literal["print", "proof"]
Panel = Literal["flap", "inside-1", "inside-2", "inside-3", "back"]
#: Every panel of a folded sheet, in reading order: the front cover (designed, not written into), then `Panel`.
SheetPanel = Literal["cover", Panel]
Standard = Literal["x-4", "x-1a"]
#: How each PDF/X standard is named in files, slugs and tickets.
STANDARD_NAMES: dict[str, str] = {"x-4": "PDF/X-4", "x-1a": "PDF/X-1a"}
#: What drafts say in their slug line, metadata (Keywords) and job ticket.
DRAFT_LABEL = "DRAFT – NOT FOR PRESS"

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9]+( [0-9]+)*$")]
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"
Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN)]
Percent = Annotated[float, Field(ge=0, le=100)]
CMYK = Annotated[list[Percent], Field(min_length=4, max_length=4)]


class Strict(BaseModel):
    """Base for every source object: unknown keys are errors, values are never coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Text(RootModel[dict[LanguageCode, NonEmpty]]):
    """A translatable text: one entry per language code, the languages of a block kept together.
    Which languages must be present is the campaign's and the brochure's to say (`core.languages`)."""

    model_config = ConfigDict(strict=True, frozen=True)

    def __getitem__(self, language: str) -> str:
        return self.root[language]

    def get(self, language: str) -> str | None:
        """The text in `language`, or None where it is not written."""
        return self.root.get(language)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.root)


class Block(Strict):
    """One block of a section, of exactly one kind; a callout may add an `icon` (an SVG in layouts/pictograms/)."""

    text: Text | None = None
    bullets: Annotated[list[Text], Field(min_length=1)] | None = None
    callout: Text | None = None
    heading: Text | None = None
    icon: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Block:
        kinds = [name for name in BLOCK_KINDS if getattr(self, name) is not None]
        if len(kinds) != 1:
            raise ValueError("a block has exactly one of: text, bullets, callout, heading")
        if self.icon is not None and self.callout is None:
            raise ValueError("only a callout has an icon")
        return self

    @property
    def kind(self) -> str:
        """The name of the key that is set."""
        return next(n for n in BLOCK_KINDS if getattr(self, n) is not None)


BLOCK_KINDS = ("text", "bullets", "callout", "heading")


class Section(Strict):
    """A titled group of blocks; in folded layouts it fills one panel."""

    panel: Panel
    heading: Text | None = None
    blocks: Annotated[list[Block], Field(min_length=1)]


class Translation(Strict):
    """Where the translation of a brochure into one language stands: `draft` (not yet read by a native speaker;
    proofs say so, hand-off refuses it), `reviewed` (corrected by a native speaker) or `approved` (for print)."""

    status: Literal["draft", "reviewed", "approved"]
    #: Who reviewed it (name, organisation); required once it is no longer a draft.
    reviewer: NonEmpty | None = None
    #: How the translation was made, for the record (e.g. "machine-assisted draft, 2026-11-28").
    made: NonEmpty | None = None

    @model_validator(mode="after")
    def _reviewed_by(self) -> Translation:
        if self.status != "draft" and self.reviewer is None:
            raise ValueError(f"a translation marked {self.status} names its reviewer: add `reviewer: …`")
        return self


class LegalReview(Strict):
    """The legal review of a brochure's texts, as recorded: who checked them against the law, when, and against which
    sources. Until `reviewer`, `date` and `sources` are written, the brochure is not handed to the printer."""

    #: Who reviewed the texts (name, organisation); null while the review is not signed.
    reviewer: NonEmpty | None = None
    #: The day the reviewer signed the texts as they are.
    date: dt.date | None = None
    #: What the texts were checked against (the gazette's text of a law, the campaign's announcement).
    sources: list[NonEmpty] = []

    @property
    def recorded(self) -> bool:
        """Whether the review is signed: a reviewer, a date and at least one source."""
        return self.reviewer is not None and self.date is not None and bool(self.sources)


class Brochure(Strict):
    """One brochure source file (`brochures/<id>.yaml`)."""

    status: Literal["draft", "approved"]
    revised: dt.date
    #: The languages this brochure is written in; by default the campaign's default languages.
    languages: Annotated[list[LanguageCode], Field(min_length=1)] | None = None
    #: Review state per translated language; a language not listed here is as final as the brochure's status.
    translations: dict[LanguageCode, Translation] = {}
    #: The legal review of the texts; a brochure without a recorded one is a draft for print.
    review: LegalReview | None = None
    title: Text
    subtitle: Text | None = None
    editions: Annotated[list[Edition], Field(min_length=1)] | None = None
    sections: Annotated[list[Section], Field(min_length=1)]


class FontStacks(Strict):
    """Font families of one language, by role; each stack ends in a face that covers everything its texts use."""

    body: Annotated[list[NonEmpty], Field(min_length=1)]
    display: Annotated[list[NonEmpty], Field(min_length=1)] | None = None


class TypeScale(Strict):
    """Type sizes of one language in points, and its line height; scripts differ in visual size."""

    body: Annotated[float, Field(ge=5, le=20)] = 10.5
    heading: Annotated[float, Field(ge=5, le=30)] = 14
    subheading: Annotated[float, Field(ge=5, le=30)] = 11
    title: Annotated[float, Field(ge=8, le=48)] = 23
    small: Annotated[float, Field(ge=5, le=14)] = 7.5
    line_height: Annotated[float, Field(ge=1, le=3)] = 1.42
    heading_line_height: Annotated[float, Field(ge=1, le=3)] = 1.2


class Style(Strict):
    """Another face for a language's texts (Urdu in Naskh rather than Nastaliq), chosen by an edition."""

    fonts: FontStacks
    scale: TypeScale = TypeScale()


class Language(Strict):
    """A language the campaign writes in: its script, direction, digits, fonts and type scale."""

    name: NonEmpty
    #: The language's name in itself (`العربية`), for the web edition's language links; by default `name`.
    native_name: NonEmpty | None = None
    script: Annotated[str, StringConstraints(pattern=r"^[A-Z][a-z]{3}$")]
    direction: Literal["ltr", "rtl"] = "ltr"
    digits: DigitSystem = "latn"
    fonts: FontStacks
    scale: TypeScale = TypeScale()
    hyphenate: bool = False
    #: Names never broken across lines (agencies, ministries, programmes), as written in this language's texts.
    keep_together: list[NonEmpty] = []
    #: Prepositions, articles and particles a title or subtitle line never ends on (`في`, `of`): each is bound to
    #: the word after it in titles.
    particles: list[NonEmpty] = []
    #: Brochures that do not list their languages are written in the default ones.
    default: bool = True
    #: The word for DRAFT on proofs and drafts, in this language.
    draft: NonEmpty = "DRAFT"
    #: Page numbers in running footers; {page} and {pages} are replaced.
    page_of: NonEmpty = "Page {page} of {pages}"
    #: Printed on proofs while a brochure's translation into this language is a draft, beside the English.
    under_review: NonEmpty = "Translation under review"
    #: The web edition's first link, for keyboards and screen readers: past the header to the brochure's text.
    skip_link: NonEmpty = "Skip to content"
    #: Other faces an edition may choose for this language (`styles: {ur: naskh}` in the edition).
    styles: dict[NonEmpty, Style] = {}


class EditionSpec(Strict):
    """One edition a brochure can be built in: its layout and its languages, in reading order."""

    layout: NonEmpty
    languages: Annotated[list[LanguageCode], Field(min_length=1, max_length=2)]
    #: A style per language instead of its usual fonts and scale, by name from the language's `styles`.
    styles: dict[LanguageCode, NonEmpty] = {}


DEFAULT_LANGUAGES: dict[str, Language] = {
    "en": Language(name="English", script="Latn", fonts=FontStacks(body=["IBM Plex Sans", "Noto Sans"]), hyphenate=True),
    "ar": Language(
        name="Arabic",
        script="Arab",
        direction="rtl",
        fonts=FontStacks(body=["IBM Plex Sans Arabic", "IBM Plex Sans"]),
        scale=TypeScale(body=10.5, heading=14, subheading=12, title=23, line_height=1.65, heading_line_height=1.35),
        draft="مسودة",
        page_of="صفحة {page} من {pages}",
    ),
}
DEFAULT_EDITIONS: dict[str, EditionSpec] = {
    "en": EditionSpec(layout="trifold", languages=["en"]),
    "ar": EditionSpec(layout="trifold", languages=["ar"]),
    "bilingual": EditionSpec(layout="bilingual", languages=["en", "ar"]),
}


class PanelSpec(Strict):
    """A fixed box on a folded sheet, named by its role; width in millimetres."""

    name: SheetPanel
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
