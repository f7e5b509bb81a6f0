"""Reading a tagged PDF's structure tree: elements in tree order with the language each is read in, and the
marked content they own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pikepdf

#: Deeper trees than this are not followed (a damaged or hostile file).
MAX_DEPTH = 256
ObjGen = tuple[int, int]


def kids(element: pikepdf.Object) -> list[Any]:
    """An element's /K as a list: structure elements, marked-content ids and references, object references."""
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def is_element(kid: Any) -> bool:
    """Whether a kid is a structure element (not marked content or an object reference)."""
    return isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.get("/Type", pikepdf.Name.StructElem) == "/StructElem"


def role(element: pikepdf.Dictionary, role_map: pikepdf.Dictionary | None = None) -> str:
    """The element's structure type without its slash, mapped to a standard one through the role map."""
    name = str(element.get("/S", ""))
    for _ in range(8):
        if role_map is None or name not in role_map:
            break
        name = str(role_map[name])
    return name.removeprefix("/")


@dataclass(frozen=True)
class Node:
    """An element met in tree order: its depth and the language it is read in (its own /Lang or inherited)."""

    element: pikepdf.Dictionary
    depth: int
    lang: str


def struct_root(pdf: pikepdf.Pdf) -> pikepdf.Dictionary | None:
    root = pdf.Root.get("/StructTreeRoot")
    return root if isinstance(root, pikepdf.Dictionary) else None


def nodes(pdf: pikepdf.Pdf) -> Iterator[Node]:
    """Every structure element in tree order (depth first), each once."""
    root = struct_root(pdf)
    if root is None:
        return
    seen: set[ObjGen] = set()
    stack = [(kid, 0, str(pdf.Root.get("/Lang", ""))) for kid in reversed(kids(root))]
    while stack:
        element, depth, lang = stack.pop()
        if not is_element(element) or depth > MAX_DEPTH:
            continue
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        lang = str(element.get("/Lang", lang))
        yield Node(element, depth, lang)
        stack.extend((kid, depth + 1, lang) for kid in reversed(kids(element)))


def content_items(element: pikepdf.Dictionary) -> Iterator[tuple[pikepdf.Object | None, int]]:
    """The marked content an element owns directly, in order: (page, marked-content id); the page None for the
    element's own /Pg."""
    page = element.get("/Pg")
    for kid in kids(element):
        if isinstance(kid, int):
            yield page, int(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR" and "/MCID" in kid:
            yield kid.get("/Pg", page), int(kid.MCID)


def owned_content(pdf: pikepdf.Pdf) -> dict[ObjGen, set[int]]:
    """Per page (by object id), the marked-content ids that belong to an element in the tree."""
    owned: dict[ObjGen, set[int]] = {}
    for node in nodes(pdf):
        for page, mcid in content_items(node.element):
            if isinstance(page, pikepdf.Dictionary) and page.is_indirect:
                owned.setdefault(page.objgen, set()).add(mcid)
    return owned
