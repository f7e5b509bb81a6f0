"""Reshaping a tagged PDF's structure tree for reading: layout tables read column by column, the layout's reading
order, /Lang only where the language changes, no empty or meaningless wrappers, element ids in an IDTree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pikepdf

from brochure_press.pdf.structtree import content_items, is_element, kids, nodes, role, struct_root

#: Keys every structure element has; an element with no other key says nothing about its content.
PLAIN_KEYS = frozenset({"/Type", "/S", "/K", "/P", "/Pg"})
#: Wrappers WeasyPrint makes for inline elements, anonymous boxes and text runs; without attributes they are
#: meaningless and their content belongs to their parent.
WRAPPERS = frozenset({"NonStruct", "Span"})
ROW_GROUPS = frozenset({"THead", "TBody", "TFoot"})


class _Tree:
    """The structure tree of one PDF, reshaped; its parent tree is written anew at the end (`write_parent_tree`)."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf

    @staticmethod
    def adopt(kid: Any, old: pikepdf.Dictionary, new: pikepdf.Dictionary) -> Any:
        """Move one kid from element `old` to element `new`: the kid to put in `new`'s /K."""
        if is_element(kid):
            kid.P = new
            return kid
        if not isinstance(kid, int):
            return kid  # a marked-content or object reference names its page itself
        page = old.get("/Pg")
        if page is None or (new.get("/Pg") is not None and new.Pg.objgen == page.objgen):
            return kid
        return pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page, MCID=kid)

    def element(self, s: str, parent: pikepdf.Dictionary, like: pikepdf.Dictionary) -> pikepdf.Dictionary:
        """A new, empty element of type `s` under `parent`, on the page and in the language of `like`."""
        new = self.pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + s), P=parent))
        for key in ("/Pg", "/Lang"):
            if key in like:
                new[key] = like[key]
        new.K = pikepdf.Array()
        return new


def _rows(table: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    for kid in kids(table):
        if is_element(kid) and role(kid) in ROW_GROUPS:
            yield from _rows(kid)
        elif is_element(kid) and role(kid) == "TR":
            yield kid


def _descendants(element: pikepdf.Dictionary, depth: int = 0) -> Iterator[pikepdf.Dictionary]:
    for kid in kids(element):
        if is_element(kid) and depth < 64:
            yield kid
            yield from _descendants(kid, depth + 1)


def is_layout_table(element: pikepdf.Dictionary) -> bool:
    """A table with no header cell and no caption lays content out; it holds no data to be read as a table.
    (Browsers guess layout tables the same way for assistive technology.)"""
    return role(element) == "Table" and not any(role(e) in ("TH", "Caption") for e in _descendants(element))


def _columns(tree: _Tree, tables: list[pikepdf.Dictionary], parent: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """The content of layout tables (one table split over pages) as one section per column, read top to bottom."""
    columns: list[pikepdf.Dictionary] = []
    for table in tables:
        for row in _rows(table):
            for index, cell in enumerate(kid for kid in kids(row) if is_element(kid)):
                if index == len(columns):
                    columns.append(tree.element("Sect", parent, cell))
                columns[index].K.extend(tree.adopt(kid, cell, columns[index]) for kid in kids(cell))
    return columns


def unwrap_layout_tables(tree: _Tree, element: pikepdf.Dictionary) -> None:
    """Replace the layout tables among an element's kids (and further down) by their columns; consecutive layout
    tables are one table that runs over several pages."""
    out: list[Any] = []
    run: list[pikepdf.Dictionary] = []
    for kid in [*kids(element), None]:
        if kid is not None and is_element(kid) and is_layout_table(kid):
            run.append(kid)
            continue
        if run:
            out.extend(_columns(tree, run, element))
            run = []
        if kid is not None:
            if is_element(kid):
                unwrap_layout_tables(tree, kid)
            out.append(kid)
    element.K = pikepdf.Array(out)


def _remove(element: pikepdf.Dictionary) -> int:
    """Take an element out of its parent's /K; its former index."""
    parent = element.P
    siblings = kids(parent)
    index = next(i for i, kid in enumerate(siblings) if is_element(kid) and kid.objgen == element.objgen)
    del siblings[index]
    parent.K = pikepdf.Array(siblings)
    return index


def apply_reading_order(pdf: pikepdf.Pdf, order: tuple[str, ...]) -> None:
    """Read the elements whose /ID is in `order` in that order, all at the place of the first of them."""
    found = {str(n.element.ID): n.element for n in nodes(pdf) if "/ID" in n.element and str(n.element.ID) in order}
    ranked = [found[name] for name in order if name in found]
    if len(ranked) < 2:
        return
    first = next(n.element for n in nodes(pdf) if "/ID" in n.element and str(n.element.ID) in found)
    parent = first.P
    index = _remove(first)
    for element in ranked:
        if element.objgen != first.objgen:
            _remove(element)
    siblings = kids(parent)
    index = min(index, len(siblings))
    for element in ranked:
        element.P = parent
    parent.K = pikepdf.Array([*siblings[:index], *ranked, *siblings[index:]])


def prune_languages(pdf: pikepdf.Pdf) -> None:
    """Keep /Lang only where an element's language differs from the one it inherits."""
    inherited: dict[tuple[int, int], str] = {}
    document = str(pdf.Root.get("/Lang", ""))
    for node in nodes(pdf):
        element = node.element
        parent = element.get("/P")
        above = inherited.get(parent.objgen, document) if isinstance(parent, pikepdf.Dictionary) else document
        inherited[element.objgen] = node.lang
        if "/Lang" in element and str(element.Lang) == above:
            del element.Lang


def _is_plain_wrapper(kid: Any) -> bool:
    return is_element(kid) and role(kid) in WRAPPERS and set(kid.keys()) <= PLAIN_KEYS


def unwrap_plain(tree: _Tree, element: pikepdf.Dictionary, depth: int = 0) -> bool:
    """Give the content of attribute-less Span and NonStruct wrappers to their parents, and drop elements left
    with no content; whether `element` still has content."""
    out: list[Any] = []
    for kid in kids(element):
        if not is_element(kid):
            out.append(kid)
            continue
        if depth > 200 or not unwrap_plain(tree, kid, depth + 1):
            continue
        if _is_plain_wrapper(kid):
            out.extend(tree.adopt(grandchild, kid, element) for grandchild in kids(kid))
        else:
            if role(kid) == "NonStruct" and "/Lang" in kid:
                kid.S = pikepdf.Name.Span  # a run in another language inside a line (a `bdi` with `lang`)
            out.append(kid)
    element.K = pikepdf.Array(out)
    return bool(out)


def paragraphs_from_text_divs(pdf: pikepdf.Pdf) -> None:
    """A Div that holds text and nothing else is a paragraph (a contact's label, its number): tag it P."""
    for node in nodes(pdf):
        content = kids(node.element)
        if role(node.element) == "Div" and content and not any(is_element(kid) for kid in content):
            node.element.S = pikepdf.Name.P


def index_ids(pdf: pikepdf.Pdf) -> None:
    """Element ids unique (the first fragment of a split box keeps its id) and listed in the IDTree."""
    names: dict[str, pikepdf.Dictionary] = {}
    for node in nodes(pdf):
        if "/ID" not in node.element:
            continue
        name = str(node.element.ID)
        if name in names:
            del node.element.ID
        else:
            names[name] = node.element
    root = struct_root(pdf)
    if root is not None and names:
        entries = [item for name in sorted(names) for item in (pikepdf.String(name), names[name])]
        root.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(entries)))


def write_parent_tree(pdf: pikepdf.Pdf) -> None:
    """The parent tree from the structure tree as it is now: each page's marked content and each annotation to the
    element that owns it; content no element owns has no entry (finishing makes it an artifact)."""
    root = struct_root(pdf)
    if root is None:
        return
    owners: dict[int, dict[int, pikepdf.Dictionary]] = {}
    entries: dict[int, Any] = {}
    for node in nodes(pdf):
        for page, mcid in content_items(node.element):
            if isinstance(page, pikepdf.Dictionary) and "/StructParents" in page:
                owners.setdefault(int(page.StructParents), {})[mcid] = node.element
        for kid in kids(node.element):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR" and "/StructParent" in kid.Obj:
                entries[int(kid.Obj.StructParent)] = node.element
    for sheet in pdf.pages:
        if "/StructParents" in sheet.obj:
            owned = owners.get(int(sheet.obj.StructParents), {})
            size = max(owned, default=-1) + 1
            entries[int(sheet.obj.StructParents)] = pikepdf.Array([owned.get(i) for i in range(size)])
    nums = [item for key in sorted(entries) for item in (key, entries[key])]
    root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
    root.ParentTreeNextKey = max(entries, default=-1) + 1


def reshape(pdf: pikepdf.Pdf, reading_order: tuple[str, ...]) -> None:
    """Every reshaping, in order: tables first (their cells carry the languages), ids last."""
    root = struct_root(pdf)
    if root is None:
        return
    tree = _Tree(pdf)
    for top in kids(root):
        if is_element(top):
            unwrap_layout_tables(tree, top)
    apply_reading_order(pdf, reading_order)
    prune_languages(pdf)
    for top in kids(root):
        if is_element(top):
            unwrap_plain(tree, top)
    paragraphs_from_text_divs(pdf)
    index_ids(pdf)
    write_parent_tree(pdf)
