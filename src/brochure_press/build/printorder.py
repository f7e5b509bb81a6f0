"""The print order in the job ticket: quantities, stock, finishing, delivery, proofs, trapping, ganging; and every
question it leaves open."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from brochure_press.compose.layouts import place_panels
from brochure_press.compose.qr import is_placeholder
from brochure_press.core.campaignmodel import Party, PrintOrder, Stock
from brochure_press.core.languages import edition_language
from brochure_press.core.model import Edition, Layout
from brochure_press.core.project import Project

#: Where the order is kept, for the questions that point at it.
ORDER_KEY = "order"


#: Characters Markdown or HTML give a meaning to inside a line (a value never starts one: line breaks are flattened).
_MARKDOWN = re.compile(r"[\\`*_\[\]<>|~&]")


def stock_text(stock: Stock | None) -> str | None:
    """The stock as a printer writes it: `150 g/m² silk, grain parallel to the folds`."""
    return f"{stock.weight_gsm} g/m² {stock.finish}, grain {stock.grain}" if stock else None


def fold_sequence(layout: Layout, direction: str) -> list[str]:
    """The folds in the order they are made, from the outside (page 1): the narrow panel folds in first."""
    if not layout.fold or not layout.pages:
        return []
    outside = sorted(place_panels(layout, direction)[0], key=lambda panel: panel.x)
    narrow = min(outside, key=lambda panel: panel.width)
    folds = sorted((panel.x for panel in outside[1:]), reverse=narrow is outside[-1])
    steps = [f"fold {n} at {x:g} mm from the left edge of the outside (page 1)" for n, x in enumerate(folds, start=1)]
    if steps:
        steps[0] += f": the {narrow.width:g} mm {narrow.name} panel folds in first"
    return steps


def finishing_entry(project: Project, edition: Edition) -> dict[str, Any]:
    """How the sheets of an edition are printed and finished: sides, folds in order, creasing, binding."""
    campaign = project.campaign.model
    layout_name = campaign.editions[edition].layout
    layout = project.layouts[layout_name].model
    finishing = campaign.order.finishing.get(layout_name)
    return {
        "layout": layout_name,
        "sides": finishing.sides if finishing else None,
        "fold": layout.fold,
        "fold_sequence": fold_sequence(layout, edition_language(campaign, edition)[1]),
        "creasing": finishing.creasing if finishing else None,
        "binding": finishing.binding if finishing else None,
    }


def _party(party: Party | None) -> dict[str, str] | None:
    return party.model_dump(exclude_none=True) if party else None


def order_data(order: PrintOrder) -> dict[str, Any]:
    """The order's own facts, for the top of the ticket."""
    delivery = order.delivery
    return {
        "printer": _party(order.printer),
        "contact": _party(order.contact),
        "delivery": {
            "address": delivery.address,
            "date": delivery.date.isoformat() if delivery.date else None,
            "notes": delivery.notes,
        },
        "stock": stock_text(order.stock),
        "proof": order.proof.model_dump() if order.proof else None,
        "trapping": {"printer": "by the printer (the files are not trapped)", "none": "none wanted"}.get(order.trapping or ""),
        "ganging": order.ganging,
    }


def open_questions(project: Project, files: list[tuple[str, Edition]], date: dt.date) -> list[str]:
    """What the printer would have to ask: every part of the order that is unset for these files, each naming
    its key in campaign.yaml."""
    order = project.campaign.model.order
    questions = []
    unset = {
        "printer": (order.printer, "Which printer prints the job?"),
        "contact": (order.contact, "Who at the campaign answers the printer's questions?"),
        "delivery.address": (order.delivery.address, "Where are the copies delivered?"),
        "delivery.date": (order.delivery.date, "By which date (with the year) are they delivered?"),
        "stock": (order.stock, "On which paper (weight, finish, grain)?"),
        "proof": (order.proof, "Which proof is wanted before the run (contract proof or press pass)?"),
        "trapping": (order.trapping, "Who traps the files, if anyone?"),
        "ganging": (order.ganging, "May editions share a press sheet (ganging)?"),
    }
    questions += [f"{question} ({ORDER_KEY}.{key})" for key, (value, question) in unset.items() if value is None]
    base_url = project.campaign.model.web.base_url
    if is_placeholder(base_url):
        questions.append(
            f"At which address is the web edition published? The QR codes link to the placeholder {base_url} (web.base_url)"
        )
    if "logos" not in project.campaign.model.model_fields_set:
        questions.append(
            "Which partner logos go on the back panel? None are listed, so the print leaves no room for them: "
            "list their files, or write `logos: []` for none (logos)"
        )
    if order.proof and not order.proof.signed_off_by:
        questions.append(f"Who signs the proof off? ({ORDER_KEY}.proof.signed_off_by)")
    if order.delivery.date and order.delivery.date < date:
        late = f"The delivery date {order.delivery.date} is before this ticket's date {date}."
        questions.append(f"{late} ({ORDER_KEY}.delivery.date)")
    missing: dict[str, list[str]] = defaultdict(list)
    for brochure, edition in files:
        if edition not in order.quantities.get(brochure, {}):
            missing[brochure].append(edition)
    for brochure, editions in missing.items():
        questions.append(f"How many copies of {brochure}: {', '.join(editions)}? ({ORDER_KEY}.quantities.{brochure})")
    for name in sorted({project.campaign.model.editions[edition].layout for _, edition in files}):
        finishing = order.finishing.get(name)
        if finishing is None:
            how = f"How are the `{name}` sheets printed and finished (sides, creasing, binding)?"
            questions.append(f"{how} ({ORDER_KEY}.finishing.{name})")
        elif project.layouts[name].model.fold and finishing.creasing is None:
            questions.append(f"Are the `{name}` sheets creased before folding? ({ORDER_KEY}.finishing.{name}.creasing)")
    questions += [
        f"The quantities name {name}, which is not a brochure of this project. ({ORDER_KEY}.quantities.{name})"
        for name in order.quantities
        if name not in project.brochures
    ]
    return questions


def markdown_text(text: str) -> str:
    """A value from campaign.yaml as literal Markdown on one line: every character Markdown or HTML could act on
    escaped, so no note can add a heading, a status line, a link or a remote image to the ticket."""
    flat = " ".join(str(text).split())
    return _MARKDOWN.sub(lambda match: f"&#{ord(match.group())};" if match.group() in "<>&" else "\\" + match.group(), flat)


def _text(value: Any, key: str) -> str:
    if value is None:
        return f"**open** ({ORDER_KEY}.{key} in campaign.yaml)"
    if isinstance(value, dict):
        return ", ".join(markdown_text(v) for v in value.values() if v)
    return {True: "yes", False: "no"}.get(value, "") if isinstance(value, bool) else markdown_text(value)


def questions_markdown(ticket: dict[str, Any]) -> list[str]:
    """The open questions, as Markdown lines for the top of the ticket (none when all is answered)."""
    if not ticket["open_questions"]:
        return []
    lines = ["## Open questions", "", "To be answered before printing (the order in campaign.yaml leaves them open):", ""]
    return lines + [f"- {question}" for question in ticket["open_questions"]] + [""]


def finishing_text(finishing: dict[str, Any]) -> str:
    """How one file is printed and finished, in a line."""
    parts = [finishing["sides"] or f"**open** ({ORDER_KEY}.finishing.{finishing['layout']})"]
    if finishing["fold"]:
        parts.append(f"{finishing['fold']}: " + "; ".join(finishing["fold_sequence"]))
        creasing = finishing["creasing"]
        parts.append({True: "crease before folding", False: "no creasing"}.get(creasing, "creasing **open**"))
    if finishing["binding"]:
        parts.append(finishing["binding"])
    return "; ".join(parts)


def order_markdown(ticket: dict[str, Any]) -> list[str]:
    """The order, as Markdown lines."""
    order = ticket["order"]
    lines: list[str] = []
    delivery, proof = order["delivery"], order["proof"]
    signed = f"{proof['kind']}, signed off by {_text(proof['signed_off_by'], 'proof.signed_off_by')}" if proof else None
    ganging = {True: "editions may share a press sheet", False: "each edition on its own sheets"}.get(order["ganging"])
    rows = [
        ("Printer", _text(order["printer"], "printer")),
        ("Contact", _text(order["contact"], "contact")),
        ("Deliver to", _text(delivery["address"], "delivery.address")),
        ("Deliver by", _text(delivery["date"], "delivery.date")),
        ("Packing", _text(delivery["notes"], "delivery.notes")),
        ("Stock", _text(order["stock"], "stock")),
        ("Proof", signed or _text(None, "proof")),
        ("Trapping", _text(order["trapping"], "trapping")),
        ("Ganging", ganging or _text(None, "ganging")),
    ]
    copies = [(f["file"], f["quantity"]) for f in ticket["files"]]
    lines += ["## Order", "", "| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows), ""]
    lines += ["| File | Copies |", "|---|---|", *(f"| `{name}` | {n if n else '**open**'} |" for name, n in copies), ""]
    return lines
