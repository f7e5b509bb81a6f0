"""`new`: a brochure source to start from, with TODO texts for the editor to write."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from brochure_press.compose.inline import ARABIC, suspicious_characters
from brochure_press.core.campaignmodel import Campaign
from brochure_press.core.diagnostics import BuildError, Diagnostic
from brochure_press.core.model import Brochure
from brochure_press.core.project import CAMPAIGN_FILE, ID_RULE, SHARED_FILES, ensure_inside, valid_id
from brochure_press.core.sources import load
from brochure_press.core.translations import read_lock, record, write_lock

TEMPLATE = """\
# yaml-language-server: $schema=../schema/brochure.schema.json
# {title_en}
# A new brochure: replace every TODO text (English and Arabic), then
#   brochure-press check {id}       lists what is left to do, and whether the text fits its panels
#   brochure-press preview          shows the brochure in your browser and reloads it on every save
#   brochure-press approve {id}     records the Arabic as reviewed, once it is
status: draft            # set to approved after legal review
revised: {today}         # the date printed files carry
title:
  en: {title_en_yaml}
  ar: {title_ar_yaml}
subtitle:
  en: "TODO: one line under the title, on the cover"
  ar: "TODO: the subtitle in Arabic"
# editions: [en, ar, bilingual]    # optional; the default comes from campaign.yaml
sections:
  # One section per panel of the folded leaflet, in reading order: flap, inside-1, inside-2, inside-3.
  # The cover is made from the title; the back panel ends with the help lines from campaign.yaml.
  - panel: flap
    heading:
      en: "TODO: heading of the first panel seen when the cover is opened"
      ar: "TODO: the heading in Arabic"
    blocks:
      - text:
          en: "TODO: a short paragraph. **Bold**, *italic* and [links](https://www.iom.int) work."
          ar: "TODO: the paragraph in Arabic, with the same [links](https://www.iom.int)"
  - panel: inside-1
    heading:
      en: "TODO: heading"
      ar: "TODO: the heading in Arabic"
    blocks:
      - bullets:
          - en: "TODO: first point"
            ar: "TODO: the first point in Arabic"
          - en: "TODO: second point"
            ar: "TODO: the second point in Arabic"
  - panel: inside-2
    heading:
      en: "TODO: heading"
      ar: "TODO: the heading in Arabic"
    blocks:
      - text:
          en: "TODO: paragraph"
          ar: "TODO: the paragraph in Arabic"
  - panel: inside-3
    heading:
      en: "TODO: heading"
      ar: "TODO: the heading in Arabic"
    blocks:
      - callout:
          en: "TODO: the one thing a reader must remember"
          ar: "TODO: the same in Arabic"
  - panel: back
    heading:
      en: "TODO: where to get help"
      ar: "TODO: the heading in Arabic"
    blocks:
      - text:
          en: "TODO: a sentence leading to the help lines below (write no phone numbers here)"
          ar: "TODO: the sentence in Arabic"

# The legal review: who checked the texts against the law, when, and against what. `handoff` refuses the
# brochure until a lawyer has signed it here.
review:
  reviewer: null
  date: null
  sources: []
"""


def _refuse(code: str, message: str, hint: str) -> BuildError:
    return BuildError([Diagnostic("error", code, message, hint=hint)])


def _check_title(value: str, option: str) -> str:
    title = value.strip()
    if not title:
        raise _refuse("bad-title", f"{option} is empty", f'give the title, e.g. {option} "…"')
    if "\n" in title or suspicious_characters(title):
        raise _refuse("bad-title", f"{option} holds line breaks or invisible control characters", "type the title on one line")
    return title


def new_brochure(root: Path, brochure_id: str, title_en: str, title_ar: str, today: dt.date | None = None) -> Path:
    """Write `brochures/<id>.yaml` from the template and record its title pair as approved; never overwrites."""
    if not valid_id(brochure_id) or f"{brochure_id}.yaml" in SHARED_FILES:
        raise _refuse(
            "bad-id",
            f"`{brochure_id}` cannot name a brochure",
            f"use {ID_RULE}, like `worker-rights`; `campaign` and `glossary` are taken",
        )
    english, arabic = _check_title(title_en, "--title-en"), _check_title(title_ar, "--title-ar")
    if not re.search(f"[{ARABIC}]", arabic):
        hint = "the two titles may be swapped" if re.search(f"[{ARABIC}]", english) else "write the Arabic title in Arabic"
        raise _refuse("bad-title", "--title-ar has no Arabic letters", hint)
    lock = read_lock(root)
    path = root / "brochures" / f"{brochure_id}.yaml"
    ensure_inside(root, path.parent)
    text = TEMPLATE.format(
        id=brochure_id,
        title_en=english,
        title_en_yaml=json.dumps(english, ensure_ascii=False),
        title_ar_yaml=json.dumps(arabic, ensure_ascii=False),
        today=(today or dt.date.today()).isoformat(),
    )
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise _refuse("exists", f"brochures/{brochure_id}.yaml already exists", "choose another id, or edit that file") from None
    try:
        model = load(Brochure, path)
    except BuildError:
        path.unlink()
        raise
    record(lock, brochure_id, model, load(Campaign, root / "brochures" / CAMPAIGN_FILE))
    write_lock(root, lock)
    return path
