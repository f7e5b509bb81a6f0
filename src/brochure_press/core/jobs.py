"""What can be made: one PDF of one brochure, in one edition and one variant."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line imports this module to parse options, before (and without) the model
    from brochure_press.core.diagnostics import Diagnostic
    from brochure_press.core.model import Edition, Variant

VARIANTS: tuple[Variant, ...] = ("print", "proof")


@dataclass(frozen=True, order=True)
class Job:
    """One PDF to make."""

    brochure: str
    edition: Edition
    variant: Variant

    @property
    def name(self) -> str:
        return f"{self.brochure}.{self.edition}.{self.variant}.pdf"

    def path(self, output_dir: Path) -> Path:
        """Where the PDF is written: `output/<brochure>/<brochure>.<edition>.<variant>.pdf`."""
        return output_dir / self.brochure / self.name


@dataclass(frozen=True)
class Made:
    """A PDF made in memory, with the seconds spent laying it out and writing it, and what preflight warned of."""

    job: Job
    data: bytes
    pages: int
    layout_seconds: float
    write_seconds: float
    warnings: tuple[Diagnostic, ...] = ()
