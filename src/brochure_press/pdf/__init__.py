"""Reading finished PDFs: content, colour, text positions, fonts, structure tree, marked content, read-back."""
