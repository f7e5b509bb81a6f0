"""The sources and their model: YAML with marks, validation, the project, diagnostics."""
