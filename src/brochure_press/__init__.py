"""brochure-press: bilingual (Arabic/English) brochures from YAML sources to print-ready PDFs."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("brochure-press")
except PackageNotFoundError:
    __version__ = "0.0.0"
