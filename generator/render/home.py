"""The home page."""

from __future__ import annotations

from generator.load.records import Loaded
from generator.render.templating import render_template


def render_home_page(loaded: Loaded) -> str:
    counts = {kind: len(records) for kind, records in loaded.records.items()}
    return render_template("home.md.j2", counts=counts)
