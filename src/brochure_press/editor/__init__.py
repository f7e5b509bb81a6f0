"""What editors use while writing: check, lint, translations, scaffold, preview."""
