"""Content-addressed build cache: a PDF is remade only when one of its inputs changed."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from brochure_press import __version__
from brochure_press.core.files import locked, write_atomic
from brochure_press.render.engine import engine_versions

CACHE_FILE = Path(".cache") / "manifest.json"


@cache
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file, remembered while its modification time and size stay the same."""
    stat = path.stat()
    return _digest(path, stat.st_mtime_ns, stat.st_size)


def tree_files(folder: Path) -> list[Path]:
    """Every file below a folder, sorted, hidden files excluded."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.parts))


@cache
def _tool_fingerprint() -> str:
    """The tool's version, its own code and the version of every library that shapes a PDF's bytes (WeasyPrint,
    pydyf, pikepdf, Pango, HarfBuzz and its subsetter…): a new tool or engine remakes everything."""
    package = Path(__file__).parent.parent
    code = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        code.update(f"{path.relative_to(package).as_posix()}\0{file_digest(path)}\n".encode())
    engine = json.dumps(engine_versions(), sort_keys=True)
    return f"{__version__}|{engine}|{code.hexdigest()}"


def input_key(root: Path, files: list[Path], options: str) -> str:
    """A key for one output from the tool, the options and the content of every input file."""
    key = hashlib.sha256(f"{_tool_fingerprint()}\n{options}\n".encode())
    for path in files:
        key.update(f"{path.relative_to(root).as_posix()}\0{file_digest(path)}\n".encode())
    return key.hexdigest()


def read_records(path: Path) -> dict[str, Any]:
    """A cache file's records by name; empty when the file is missing or damaged (the cache is then cold)."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def merge_records(path: Path, entries: dict[str, Any]) -> None:
    """Merge entries into a cache file, atomically, keeping what a concurrent run recorded."""
    with locked(path):
        merged = {**read_records(path), **entries}
        write_atomic(path, json.dumps(merged, indent=1, sort_keys=True).encode())


def load_manifest(output_dir: Path) -> dict[str, dict[str, str]]:
    """Output name → {"inputs": key, "output": sha256} of the last successful build."""
    return read_records(output_dir / CACHE_FILE)


def save_manifest(output_dir: Path, entries: dict[str, dict[str, str]]) -> None:
    """Record written outputs in the manifest."""
    merge_records(output_dir / CACHE_FILE, entries)


def is_current(manifest: dict[str, dict[str, str]], name: str, key: str, path: Path) -> bool:
    """True when `path` was made from inputs with this key and has not been changed since."""
    entry = manifest.get(name)
    return isinstance(entry, dict) and entry.get("inputs") == key and path.is_file() and file_digest(path) == entry.get("output")
