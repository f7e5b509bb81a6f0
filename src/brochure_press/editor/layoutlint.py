"""Lint rules on the layouts: justified or letter-spaced Arabic in CSS and templates, phone numbers printed
without isolation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import tinycss2

from brochure_press.core.diagnostics import Diagnostic, Location

#: Selectors that can only match English: rules under them may justify and letter-space freely.
ENGLISH_ONLY = (":lang(en)", "[lang=en]", "[dir=ltr]", ":dir(ltr)", ".edition-en")
HARMLESS_SPACING = frozenset({"normal", "0", "0px", "0em", "0mm", "0pt", "inherit", "initial", "unset"})
TEMPLATE_CSS = re.compile(r"(text-align(?:-last)?\s*:\s*justify|letter-spacing\s*:\s*(?!normal|0\b|0[a-z]+\b)[^;\"'}]+)", re.I)
UNFILTERED_PHONE = re.compile(r"\{\{\s*([\w.]*phone)\s*\}\}")


def _english_only(selector: str) -> bool:
    parts = re.sub(r"[\s\"']", "", selector.lower()).split(",")
    return all(any(marker in part for marker in ENGLISH_ONLY) for part in parts)


def _css_declarations(rules: list[Any], selector: str = "") -> Iterator[tuple[str, tinycss2.ast.Declaration]]:
    """(selector, declaration) of every style rule, looking inside @media and @supports."""
    for rule in rules:
        if rule.type == "qualified-rule":
            prelude = tinycss2.serialize(rule.prelude).strip()
            for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if declaration.type == "declaration":
                    yield prelude, declaration
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            yield from _css_declarations(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))


def _arabic_spacing(path: Path, line: int, column: int, what: str, justified: bool) -> Diagnostic:
    why = (
        "WeasyPrint has no kashida, so word gaps balloon" if justified else "letter-spacing breaks the joining of Arabic letters"
    )
    return Diagnostic(
        "warning",
        "arabic-css",
        f"{what} can reach Arabic text: {why}",
        Location(path, line, column),
        hint="limit the rule to English, e.g. `p:lang(en)`; Arabic stays start-aligned, without letter-spacing",
    )


@cache
def _spacing_rules(css: str) -> tuple[tuple[int, int, str, bool], ...]:
    """(line, column, rule, justified) of each rule of a stylesheet that justifies or letter-spaces more than English;
    remembered by the stylesheet's text (every check reads the same layouts)."""
    found = []
    for selector, declaration in _css_declarations(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)):
        value = tinycss2.serialize(declaration.value).strip().lower().removesuffix("!important").strip()
        justified = declaration.lower_name in ("text-align", "text-align-last") and value == "justify"
        spaced = declaration.lower_name == "letter-spacing" and value not in HARMLESS_SPACING
        if (justified or spaced) and not _english_only(selector):
            rule = f"`{selector} {{ {declaration.lower_name}: {value} }}`"
            found.append((declaration.source_line, declaration.source_column, rule, justified))
    return tuple(found)


def layout_problems(layouts_dir: Path) -> list[Diagnostic]:
    """Justified or letter-spaced Arabic in the layouts' CSS and templates, and phone numbers printed un-isolated."""
    problems = []
    for path in sorted(layouts_dir.rglob("*.css")):
        for row, column, what, justified in _spacing_rules(path.read_text(encoding="utf-8", errors="replace")):
            problems.append(_arabic_spacing(path, row, column, what, justified))
    for path in sorted(layouts_dir.rglob("*.j2")):
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            for match in TEMPLATE_CSS.finditer(line):
                what, justified = f"`{match.group().strip()}` in a template", "justify" in match.group().lower()
                problems.append(_arabic_spacing(path, number, match.start() + 1, what, justified))
            for match in UNFILTERED_PHONE.finditer(line):
                problems.append(
                    Diagnostic(
                        "warning",
                        "phone-isolation",
                        f"`{match.group()}` prints a phone number without isolation: in Arabic it can read backwards",
                        Location(path, number, match.start() + 1),
                        hint=f"write `{{{{ {match.group(1)} | phone }}}}` (in an attribute `| phone_text`)",
                    )
                )
    return problems
