"""brochure-press: bilingual (Arabic/English) brochures from YAML sources to print-ready PDFs."""

__version__ = "0.1.0"
