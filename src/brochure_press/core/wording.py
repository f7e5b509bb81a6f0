"""Counts in words: "1 PDF", "2 PDFs"."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str = "") -> str:
    """`count` and the noun that agrees with it; `plural` defaults to the singular with an s."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"
