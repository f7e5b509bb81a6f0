"""The web edition: a static site of every brochure in each language, font subsets, and share cards."""
