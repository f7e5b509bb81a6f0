"""From sources to HTML: inline text, fonts, palette, layouts."""
