"""The error-code catalogue page: every code with its severity, title, remedy and explanation."""

from __future__ import annotations

from generator.findings import CatalogueEntry, catalogue
from generator.render.markdown import render_template

FAMILY_TITLES = {
    "files": "Files and paths",
    "yaml": "YAML",
    "schema": "Fields of a record",
}


def as_shown(pattern: str) -> str:
    """A message pattern as a reader sees it: `{value}` marks what the finding fills in, and a
    literal brace, doubled in the pattern (`{{CC}}`), is shown single (`{CC}`)."""
    return pattern.replace("{{", "{").replace("}}", "}")


def render_codes_page() -> str:
    families: dict[str, list[CatalogueEntry]] = {}
    for entry in catalogue().values():
        families.setdefault(entry.family, []).append(entry)
    return render_template(
        "codes.md.j2",
        as_shown=as_shown,
        families=[
            (FAMILY_TITLES.get(name, name.title()), entries) for name, entries in families.items()
        ],
    )
