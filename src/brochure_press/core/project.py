"""Finding a project folder and loading all its sources, collecting every problem."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from brochure_press.core.campaignmodel import Campaign
from brochure_press.core.diagnostics import BuildError, Diagnostic, Location, Severity, raise_if_errors
from brochure_press.core.fontfiles import font_file_problems
from brochure_press.core.glossary import GLOSSARY_FILE
from brochure_press.core.languages import (
    brochure_languages,
    campaign_languages,
    missing_text_problem,
    missing_texts,
    unknown_languages,
)
from brochure_press.core.model import DEVICE_NAMES, Brochure, Layout, Standard
from brochure_press.core.sources import Key, Marks, dotted, locate, read_yaml, validate

M = TypeVar("M", bound=BaseModel)
CAMPAIGN_FILE = "campaign.yaml"
#: Files in brochures/ that all brochures share; every other `*.yaml` there is a brochure.
SHARED_FILES = frozenset({CAMPAIGN_FILE, GLOSSARY_FILE})
#: The folder in layouts/ of the pictograms a callout may show.
PICTOGRAMS = "pictograms"
#: Validates plain data of one file against a model (`sources.validate` or a lenient stand-in).
Validator = Callable[[type[Any], Any, Marks, Path], Any]


@dataclass(frozen=True)
class Source(Generic[M]):
    """A validated source: the model, its file and where each key stands in it."""

    path: Path
    model: M
    marks: Marks

    def location(self, *key: str | int) -> Location:
        """The location of the value at `key`, or of its deepest known parent."""
        return locate(self.marks, key) or Location(self.path)

    def diagnostic(self, key: Key, severity: Severity, code: str, message: str, hint: str) -> Diagnostic:
        """A diagnostic about the value at `key`, located and named by its key path."""
        return Diagnostic(severity, code, message, self.location(*key), dotted(key), hint)


@dataclass(frozen=True)
class Project:
    """A project folder with its campaign, brochures and layouts."""

    root: Path
    campaign: Source[Campaign]
    brochures: dict[str, Source[Brochure]]
    layouts: dict[str, Source[Layout]]

    @property
    def fonts_dir(self) -> Path:
        return self.root / "fonts"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    def layout_dir(self, name: str) -> Path:
        return self.root / "layouts" / name

    def with_standard(self, standard: Standard) -> Project:
        """The same project with print files made to another PDF/X standard than campaign.yaml asks for."""
        campaign = self.campaign.model
        spec = campaign.print.model_copy(update={"standard": standard})
        return replace(self, campaign=replace(self.campaign, model=campaign.model_copy(update={"print": spec})))


def project_folder(folder: Path) -> Path:
    """A folder given as the project: it must hold `brochures/`."""
    if not (folder / "brochures").is_dir():
        hint = "give the folder that holds brochures/, layouts/ and fonts/"
        raise BuildError([Diagnostic("error", "no-project", f"no `brochures/` folder in {folder}", hint=hint)])
    return folder.resolve()


def outside_problems(root: Path, paths: Iterable[Path]) -> list[Diagnostic]:
    """An error for each path that would be written outside the project, e.g. through a symbolic link."""
    inside = root.resolve()
    leaving = sorted({p for p in paths if not p.resolve().is_relative_to(inside)})
    return [
        Diagnostic(
            "error",
            "outside-project",
            f"{p.relative_to(root) if p.is_relative_to(root) else p} leads outside the project (to {p.resolve()})",
            Location(p),
            hint="replace the symbolic link by a real folder; outputs are written inside the project only",
        )
        for p in leaving
    ]


def ensure_inside(root: Path, *paths: Path) -> None:
    """Stop (a located error) before anything is written to or removed from `paths` when one leads outside the project."""
    raise_if_errors(outside_problems(root, paths))


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds `brochures/`."""
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / "brochures").is_dir():
            return folder
    raise BuildError(
        [
            Diagnostic(
                "error",
                "no-project",
                f"no `brochures/` folder in {start} or above it",
                hint="run inside a project or pass --project DIR",
            )
        ]
    )


#: What a brochure id may be: it names the file, the command-line argument and the output folder.
BROCHURE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_LENGTH = 64
ID_RULE = f"lowercase letters, digits and single hyphens, at most {MAX_ID_LENGTH} characters, not a device name"


def valid_id(name: str) -> bool:
    """Whether `name` may name a brochure."""
    return bool(BROCHURE_ID.match(name)) and len(name) <= MAX_ID_LENGTH and name not in DEVICE_NAMES


def brochure_files(root: Path) -> list[Path]:
    """The brochure sources of a project: `brochures/<id>.yaml` except the shared files, sorted."""
    return sorted(
        p for p in (root / "brochures").glob("*.yaml") if p.name not in SHARED_FILES and valid_id(p.stem) and p.is_file()
    )


def stray_files(root: Path) -> list[Diagnostic]:
    """An error for every file in brochures/ that looks like a source but is not read: a `.yml` ending, a name
    that cannot be a brochure id; never skipped in silence."""
    problems = []
    for path in sorted((root / "brochures").iterdir()) if (root / "brochures").is_dir() else []:
        if path.name in SHARED_FILES or path.name == "translations.lock" or path.name.startswith("."):
            continue
        stem, suffix = path.stem, path.suffix
        if suffix.lower() in (".yml", ".yaml") and suffix != ".yaml":
            why, hint = f"`{path.name}` is not read: sources end in `.yaml`", f"rename it to `{stem}.yaml`"
        elif suffix == ".yaml" and not valid_id(stem):
            why, hint = f"`{path.name}` cannot name a brochure", f"rename it: {ID_RULE}"
        else:
            continue
        problems.append(Diagnostic("error", "stray-source", why, Location(path), hint=hint))
    return problems


def read_source(root: Path, path: Path) -> tuple[Any, Marks]:
    """Read a YAML source of the project at `root`; one that is a symbolic link out of the project is refused
    (its content would be shown in messages and the preview)."""
    if not path.resolve().is_relative_to(root.resolve()):
        where = path.relative_to(root) if path.is_relative_to(root) else path
        hint = "copy the file into the project instead of linking to it"
        raise BuildError(
            [
                Diagnostic(
                    "error",
                    "outside-project",
                    f"{where} leads outside the project (to {path.resolve()})",
                    Location(path),
                    hint=hint,
                )
            ]
        )
    return read_yaml(path)


def _load(model: type[M], root: Path, path: Path, problems: list[Diagnostic], validator: Validator) -> Source[M] | None:
    try:
        data, marks = read_source(root, path)
        return Source(path, validator(model, data, marks, path), marks)
    except BuildError as exc:
        problems.extend(exc.diagnostics)
        return None


def load_sources(root: Path, validator: Validator = validate) -> tuple[Project | None, list[Diagnostic]]:
    """Load every source that is valid: the project holds those (None without a valid campaign),
    the list holds the problems of the others."""
    problems: list[Diagnostic] = []
    brochures_dir = root / "brochures"
    campaign = _load(Campaign, root, brochures_dir / CAMPAIGN_FILE, problems, validator)
    brochures = {
        path.stem: source for path in brochure_files(root) if (source := _load(Brochure, root, path, problems, validator))
    }
    layouts = {
        path.parent.name: layout
        for path in sorted((root / "layouts").glob("*/layout.yaml"))
        if (layout := _load(Layout, root, path, problems, validate))
    }
    problems += stray_files(root) + font_file_problems(root / "fonts")
    if campaign is None:
        return None, problems
    problems += reference_problems(campaign, brochures, layouts)
    problems += icon_problems(brochures, pictogram_names(root))
    problems += profile_problems(root, campaign)
    return Project(root, campaign, brochures, layouts), problems


def _unknown(source: Source[Any], key: Key, what: str, name: str, known: Iterable[str]) -> Diagnostic:
    return source.diagnostic(key, "error", f"unknown-{what}", f"unknown {what} `{name}`", f"one of: {', '.join(known)}")


def profile_problems(root: Path, campaign: Source[Campaign]) -> list[Diagnostic]:
    """The output-intent profile must be a CMYK output profile inside the project."""
    name = campaign.model.print.output_intent.profile
    path = (root / name).resolve()
    key: Key = ("print", "output_intent", "profile")
    if not path.is_relative_to(root.resolve()):
        why, hint = (
            f"the profile `{name}` is outside the project",
            "put the printer's profile in layouts/icc/ and name it from there",
        )
    elif not path.is_file():
        why, hint = (
            f"the profile `{name}` does not exist",
            "check the path: it is relative to the project folder, e.g. layouts/icc/…",
        )
    else:
        try:
            header = path.read_bytes()[:20]
        except OSError as exc:
            header, why, hint = b"", f"the profile `{name}` cannot be read: {exc.strerror}", "check the file's permissions"
        if header and header[12:20] == b"prtrCMYK":
            return []
        if header:
            why = f"`{name}` is not a CMYK output (printer) profile"
            hint = "the output intent needs the printer's CMYK profile, e.g. FOGRA39 (layouts/icc/FOGRA39.icc)"
    return [campaign.diagnostic(key, "error", "output-profile", why, hint)]


def _style_problems(campaign: Source[Campaign], where: Key, chosen: dict[str, str], languages: list[str]) -> list[Diagnostic]:
    """Styles chosen per language (by an edition, by the web edition): each for one of `languages`, and one of
    that language's styles."""
    problems = []
    for code, style in chosen.items():
        styles = campaign.model.languages[code].styles if code in campaign.model.languages else {}
        if code not in languages:
            problems.append(_unknown(campaign, (*where, code), "language", code, languages))
        elif style not in styles:
            problems.append(_unknown(campaign, (*where, code), "style", style, styles))
    return problems


def _layout_language_problems(campaign: Source[Campaign], name: str, languages: list[str], layout: Layout) -> list[Diagnostic]:
    """An error when an edition gives its layout another number of languages than it sets (one, or two side by side)."""
    wanted = 1 if layout.languages == "one" else 2
    if len(languages) == wanted:
        return []
    layout_name = campaign.model.editions[name].layout
    message = (
        f"layout `{layout_name}` sets {'one language' if wanted == 1 else 'two languages side by side'}, not {len(languages)}"
    )
    hint = f"give {'one language' if wanted == 1 else 'two languages'}, or choose a layout for {len(languages)}"
    return [campaign.diagnostic(("editions", name, "languages"), "error", "edition-languages", message, hint)]


def reference_problems(
    campaign: Source[Campaign], brochures: dict[str, Source[Brochure]], layouts: dict[str, Source[Layout]]
) -> list[Diagnostic]:
    """Names that must refer to something: layouts and languages of editions, editions and languages of
    brochures; texts in undeclared languages, and texts missing a language their file is written in."""
    model = campaign.model
    problems = []
    for name, spec in model.editions.items():
        if spec.layout not in layouts:
            problems.append(_unknown(campaign, ("editions", name, "layout"), "layout", spec.layout, layouts))
        for i, code in enumerate(spec.languages):
            if code not in model.languages:
                problems.append(_unknown(campaign, ("editions", name, "languages", i), "language", code, model.languages))
            elif code in spec.languages[:i]:
                message = f"`{code}` is named twice"
                hint = "name each language of the edition once"
                problems.append(
                    campaign.diagnostic(("editions", name, "languages", i), "error", "edition-languages", message, hint)
                )
        if spec.layout in layouts:
            problems += _layout_language_problems(campaign, name, spec.languages, layouts[spec.layout].model)
        problems += _style_problems(campaign, ("editions", name, "styles"), spec.styles, spec.languages)
    problems += _style_problems(campaign, ("web", "styles"), model.web.styles, list(model.languages))
    for source in brochures.values():
        written = brochure_languages(model, source.model)
        for code in source.model.translations:
            if code not in written:
                problems.append(_unknown(source, ("translations", code), "language", code, written))
        for i, code in enumerate(source.model.languages or ()):
            if code not in model.languages:
                problems.append(_unknown(source, ("languages", i), "language", code, model.languages))
        for i, edition in enumerate(source.model.editions or ()):
            if edition not in model.editions:
                problems.append(_unknown(source, ("editions", i), "edition", edition, model.editions))
    required = {campaign.path: campaign_languages(model, [s.model for s in brochures.values()])}
    required |= {s.path: brochure_languages(model, s.model) for s in brochures.values()}
    every: list[Source[Any]] = [campaign, *brochures.values()]
    for each in every:
        problems += unknown_languages(model, each.model, each.marks, each.path)
        known = tuple(code for code in required[each.path] if code in model.languages)
        problems += [missing_text_problem(key, each.marks, each.path, model) for key in missing_texts(each.model, known)]
    return problems


def pictogram_names(root: Path) -> list[str]:
    """The pictograms a callout may name: the SVG files in layouts/pictograms/."""
    return sorted(path.stem for path in (root / "layouts" / PICTOGRAMS).glob("*.svg"))


def icon_problems(brochures: dict[str, Source[Brochure]], pictograms: list[str]) -> list[Diagnostic]:
    """Callout icons that name no pictogram of the project."""
    problems = []
    for source in brochures.values():
        for s, section in enumerate(source.model.sections):
            for b, block in enumerate(section.blocks):
                if block.icon is not None and block.icon not in pictograms:
                    key = ("sections", s, "blocks", b, "icon")
                    problems.append(_unknown(source, key, "pictogram", block.icon, pictograms))
    return problems


def load_project(root: Path, missing_ok: bool = False) -> Project:
    """Load and validate every source of the project; raise all problems together (translations still missing
    too, unless `missing_ok`: translators fill them)."""
    project, problems = load_sources(root)
    problems = [d for d in problems if not (missing_ok and d.code == "missing-translation")]
    if problems or project is None:
        raise BuildError(problems)
    return project
