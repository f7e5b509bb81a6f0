"""Reading finished PDFs: content, colour, text positions, preflight and its report."""
