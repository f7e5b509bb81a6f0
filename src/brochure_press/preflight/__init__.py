"""Preflight: the rules a finished print file or proof must keep, judged on what `pdf` reads from it, and their report."""
