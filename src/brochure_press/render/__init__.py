"""From HTML to a finished PDF: typesetting, fit checks, finishing, one PDF job."""
