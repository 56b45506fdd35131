"""Render stage: the registry → Markdown pages and data files (never computes a figure)."""
